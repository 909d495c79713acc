// ApiTokenApi: list, get, upsert (network), revoke, revoke current. Tokens are created in the
// console or by services.token_create; tests/sdk_live.py seeds them (none can be made over the API).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { client, collect, refusal, seed } from './helpers.js';

const api = client().apiTokenApi;
const DAY_MS = 24 * 3600 * 1000;

test('listApiTokens returns every active token, agent tokens and other owners included', async () => {
  const tokens = await collect(await api.listApiTokens());
  assert.deepEqual(new Set(tokens.map((t) => t.id)), new Set(seed.token_ids));
  assert.ok(tokens.some((t) => t.id === seed.agent_token_id));
  assert.ok(tokens.some((t) => t.id === seed.other_owner_token_id));
});

test('getApiToken reads every field as a typed value', async () => {
  const token = await api.getApiToken({ apiTokenId: seed.token_id });
  assert.equal(token.id, seed.token_id);
  assert.equal(token.name, 'sdk main');
  assert.equal(token.userId, seed.owner_id);
  assert.equal(token.clientName, 'Okta API');
  assert.equal(token.tokenWindow, 'P30D');
  assert.equal(token.network.connection, 'ANYWHERE');
  assert.ok(token.created instanceof Date && token.created <= new Date());
  assert.ok(token.lastUpdated instanceof Date);
  const daysLeft = (token.expiresAt - Date.now()) / DAY_MS;
  assert.ok(daysLeft > 29 && daysLeft <= 30, `expiresAt ${token.expiresAt.toISOString()}`);
});

test('an agent token names its agent and its owner', async () => {
  const token = await api.getApiToken({ apiTokenId: seed.agent_token_id });
  assert.equal(token.clientName, 'Okta LDAP Agent');
  assert.equal(token.userId, seed.owner_id);
  assert.equal(token.tokenWindow, 'P30D');
});

test('an agent token has a real expiry, not new Date(null)', async () => {
  const token = await api.getApiToken({ apiTokenId: seed.agent_token_id });
  assert.ok(token.expiresAt instanceof Date && token.expiresAt > new Date(), `expiresAt ${token.expiresAt}`);
});

test('upsertApiToken replaces the network condition and answers the token', async () => {
  const zoned = await api.upsertApiToken({
    apiTokenId: seed.revoke_token_id,
    apiTokenUpdate: { name: 'sdk revoke me', network: { connection: 'ZONE', include: [seed.policy_zone_id] } },
  });
  assert.equal(zoned.network.connection, 'ZONE');
  assert.deepEqual(zoned.network.include, [seed.policy_zone_id]);
  const fetched = await api.getApiToken({ apiTokenId: seed.revoke_token_id });
  assert.deepEqual(fetched.network.include, [seed.policy_zone_id]);
  const open = await api.upsertApiToken({
    apiTokenId: seed.revoke_token_id,
    apiTokenUpdate: { name: 'sdk revoke me', network: { connection: 'ANYWHERE' } },
  });
  assert.equal(open.network.connection, 'ANYWHERE');
  assert.equal(open.network.include, undefined);
});

test('upsertApiToken refuses an unknown zone with 400 E0000001', async () => {
  const answer = await refusal(api.upsertApiToken({
    apiTokenId: seed.revoke_token_id,
    apiTokenUpdate: { name: 'x', network: { connection: 'ZONE', include: ['nzo00000000000000000'] } },
  }));
  assert.deepEqual(answer, { status: 400, errorCode: 'E0000001' });
});

test('upsertApiToken without network is refused and changes nothing', async () => {
  await api.upsertApiToken({
    apiTokenId: seed.revoke_token_id,
    apiTokenUpdate: { name: 'sdk revoke me', network: { connection: 'ZONE', include: [seed.policy_zone_id] } },
  });
  const answer = await refusal(api.upsertApiToken({ apiTokenId: seed.revoke_token_id, apiTokenUpdate: { name: 'x' } }));
  assert.deepEqual(answer, { status: 400, errorCode: 'E0000001' });
  const token = await api.getApiToken({ apiTokenId: seed.revoke_token_id });
  assert.deepEqual(token.network.include, [seed.policy_zone_id]);
});

test('revokeApiToken revokes; the token is gone from get and list', async () => {
  await api.revokeApiToken({ apiTokenId: seed.revoke_token_id });
  assert.deepEqual(await refusal(api.getApiToken({ apiTokenId: seed.revoke_token_id })),
    { status: 404, errorCode: 'E0000007' });
  const ids = (await collect(await api.listApiTokens())).map((t) => t.id);
  assert.ok(!ids.includes(seed.revoke_token_id));
});

test('revokeCurrentApiToken (no body) revokes the calling token; its next request gets 401', async () => {
  const own = client(seed.current_token).apiTokenApi;
  assert.equal((await own.getApiToken({ apiTokenId: seed.current_token_id })).name, 'sdk current');
  await own.revokeCurrentApiToken();
  assert.deepEqual(await refusal(own.getApiToken({ apiTokenId: seed.token_id })),
    { status: 401, errorCode: 'E0000011' });
});

test('an unknown token id is 404 E0000007', async () => {
  assert.deepEqual(await refusal(api.getApiToken({ apiTokenId: '00T00000000000000000' })),
    { status: 404, errorCode: 'E0000007' });
});
