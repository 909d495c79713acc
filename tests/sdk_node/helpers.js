// Shared by the Node SDK suite: the seeded organisation (tests/sdk_live.py) and clients.
import assert from 'node:assert/strict';
import okta from '@okta/okta-sdk-nodejs';

export const seed = JSON.parse(process.env.WARDEN_SDK_SEED ?? '{}');
export const orgUrl = process.env.WARDEN_ORG_URL;

export function client(token = seed.token, rateLimit = { maxRetries: 0 }) {
  // maxRetries 0 by default: a 429 must fail loudly everywhere but in the retry test. No response
  // cache: the SDK's default one answers a repeated GET from memory, and every call here must reach Warden.
  const executor = new okta.DefaultRequestExecutor(rateLimit);
  return new okta.Client({ orgUrl, token, requestExecutor: executor, cacheMiddleware: null });
}

// Every item of a collection, following `next` links; at most `max`, so a cursor that repeats
// itself fails the test instead of looping forever.
export async function collect(collection, max = 2000) {
  const items = [];
  for await (const item of collection) {
    if (item) items.push(item);
    if (items.length >= max) break;
  }
  return items;
}

// The HTTP status and Okta error code of a call that must fail.
export async function refusal(promise) {
  try {
    await promise;
  } catch (error) {
    return { status: error.status, errorCode: error.errorCode };
  }
  assert.fail('the call succeeded');
}

