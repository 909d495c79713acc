// TrustedOriginApi: create / list (q, filter, limit + next) / get / replace / lifecycle / delete.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { client, collect, refusal, seed } from './helpers.js';

const api = client().trustedOriginApi;

test('a trusted origin through its whole lifecycle', async () => {
  const created = await api.createTrustedOrigin({ trustedOrigin: {
    name: 'node origin', origin: 'https://node.example.com', scopes: [{ type: 'CORS' }, { type: 'REDIRECT' }],
  } });
  assert.equal(created.status, 'ACTIVE');
  assert.equal(created.createdBy, seed.owner_id);
  assert.deepEqual(created.scopes.map((s) => s.type), ['CORS', 'REDIRECT']);
  assert.ok(created.created instanceof Date);
  const fetched = await api.getTrustedOrigin({ trustedOriginId: created.id });
  assert.equal(fetched.origin, 'https://node.example.com');
  const replaced = await api.replaceTrustedOrigin({ trustedOriginId: created.id, trustedOrigin: {
    name: 'node origin renamed', origin: 'https://node2.example.com', scopes: [{ type: 'CORS' }],
  } });
  assert.equal(replaced.name, 'node origin renamed');
  assert.deepEqual(replaced.scopes.map((s) => s.type), ['CORS']);
  assert.equal((await api.deactivateTrustedOrigin({ trustedOriginId: created.id })).status, 'INACTIVE');
  assert.equal((await api.activateTrustedOrigin({ trustedOriginId: created.id })).status, 'ACTIVE');
  await api.deleteTrustedOrigin({ trustedOriginId: created.id });
  assert.deepEqual(await refusal(api.getTrustedOrigin({ trustedOriginId: created.id })),
    { status: 404, errorCode: 'E0000007' });
});

test('listTrustedOrigins with q, filter, and limit 1 following next links', async () => {
  const extra = await api.createTrustedOrigin({ trustedOrigin: {
    name: 'node list origin', origin: 'https://list.example.com', scopes: [{ type: 'CORS' }],
  } });
  const all = await collect(await api.listTrustedOrigins({ limit: 200 }));
  const paged = await collect(await api.listTrustedOrigins({ limit: 1 }));
  assert.deepEqual(paged.map((o) => o.id), all.map((o) => o.id));
  assert.ok(all.some((o) => o.id === seed.origin_id) && all.some((o) => o.id === extra.id));
  const searched = await collect(await api.listTrustedOrigins({ q: 'node list' }));  // a prefix of name or origin
  assert.deepEqual(searched.map((o) => o.id), [extra.id]);
  const filtered = await collect(await api.listTrustedOrigins({ filter: 'name eq "SDK origin"' }));
  assert.deepEqual(filtered.map((o) => o.id), [seed.origin_id]);
  await api.deleteTrustedOrigin({ trustedOriginId: extra.id });
});

test('an invalid origin is 400 E0000001', async () => {
  const answer = await refusal(api.createTrustedOrigin({ trustedOrigin: {
    name: 'bad', origin: 'https://*.example.com', scopes: [{ type: 'CORS' }],
  } }));
  assert.deepEqual(answer, { status: 400, errorCode: 'E0000001' });
});
