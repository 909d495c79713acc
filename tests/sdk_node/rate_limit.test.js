// A 429 that the SDK waits out (X-Rate-Limit-Reset and Date) and retries. The seeded
// throttled token has 3 requests per 2-second window (tests/sdk_live.py).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { client, seed } from './helpers.js';

test('without retries the SDK surfaces 429 E0000047 with the rate-limit headers', async () => {
  const api = client(seed.throttled_token).apiTokenApi;
  let answer;
  for (let i = 0; i < 8 && !answer; i += 1) {
    try {
      await api.getApiToken({ apiTokenId: seed.token_id });
    } catch (error) {
      answer = error;
    }
  }
  assert.ok(answer, 'eight requests within two windows of 3 must meet a 429');
  assert.equal(answer.status, 429);
  assert.equal(answer.errorCode, 'E0000047');
  assert.equal(answer.headers.get('x-rate-limit-remaining'), '0');
  assert.ok(Number(answer.headers.get('x-rate-limit-reset')) * 1000 > Date.now() - 1000);
});

test('with retries the SDK backs off until the window resets and every call succeeds', async () => {
  const sdk = client(seed.throttled_token, { maxRetries: 3 });
  const delays = [];
  sdk.requestExecutor.on('backoff', (request, response, requestId, delayMs) => delays.push(delayMs));
  const started = Date.now();
  for (let i = 0; i < 5; i += 1) {
    const token = await sdk.apiTokenApi.getApiToken({ apiTokenId: seed.token_id });
    assert.equal(token.id, seed.token_id);
  }
  assert.ok(delays.length >= 1, 'five calls at 3 per window must be throttled at least once');
  assert.ok(delays.every((ms) => ms > 0 && ms <= 4000), `backoff delays ${delays}`);
  assert.ok(Date.now() - started < 15000);
});
