// SystemLogApi.listLogEvents: collections that follow `next` links with since, until, filter
// and limit, over windows of events seeded an hour ago (tests/sdk_live.py).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { client, collect, seed } from './helpers.js';

const api = client().systemLogApi;

async function bounded(window, params) {
  const filter = `eventType eq "${window.event_type}"`;
  const collection = await api.listLogEvents({ since: window.since, until: window.until, filter, ...params });
  return collect(collection, 2 * window.count);
}

test('a bounded query paged at limit 3 returns exactly the events of one large page', async () => {
  const window = seed.distinct;
  const page = await bounded(window, { limit: 1000 });
  assert.equal(page.length, window.count);
  const paged = await bounded(window, { limit: 3 });
  assert.deepEqual(paged.map((e) => e.uuid), page.map((e) => e.uuid));
  const published = page.map((e) => e.published.getTime());
  assert.deepEqual(published, [...published].sort((a, b) => a - b));
});

test('DESCENDING pages return the same events newest first', async () => {
  const window = seed.distinct;
  const ascending = await bounded(window, { limit: 1000 });
  const descending = await bounded(window, { limit: 4, sortOrder: 'DESCENDING' });
  assert.deepEqual(descending.map((e) => e.uuid), ascending.map((e) => e.uuid).reverse());
});

test('events arrive as typed SDK models', async () => {
  const window = seed.distinct;
  const collection = await api.listLogEvents({ since: window.since, until: window.until, limit: 1,
    filter: `eventType eq "${window.event_type}"` });
  const { value: event } = await collection.next();
  assert.equal(event.eventType, 'zone.update');
  assert.equal(event.version, '0');
  assert.equal(event.severity, 'INFO');
  assert.ok(event.published instanceof Date);
  assert.equal(event.actor.id, seed.owner_id);
  assert.equal(event.target[0].id, seed.policy_zone_id);
  assert.equal(event.target[0].type, 'NetworkZone');
  assert.equal(event.outcome.result, 'SUCCESS');
});

test('a filter on target.id and actor.id narrows the collection', async () => {
  const filter = `target.id eq "${seed.origin_id}" and actor.id eq "${seed.owner_id}"`;
  const window = seed.same_millisecond;
  const events = await collect(await api.listLogEvents({ since: window.since, until: window.until, filter,
    limit: 1000 }), 2 * window.count);
  assert.equal(events.length, window.count);
  assert.ok(events.every((e) => e.target[0].id === seed.origin_id));
});

test('polling (no until) pages in persistence order and stops at the first empty page', async () => {
  const window = seed.distinct;
  const collection = await api.listLogEvents({ since: window.since, limit: 5,
    filter: `eventType eq "${window.event_type}" and target.id eq "${seed.policy_zone_id}"` });
  const events = [];
  while (events.length <= 2 * window.count) {  // polling always has a next link: an empty page is the end
    const { value } = await collection.next();
    if (!value) break;
    events.push(value);
  }
  assert.equal(events.length, window.count);
  assert.equal(new Set(events.map((e) => e.uuid)).size, window.count);
});

test('a bounded query paged at limit 5 over events sharing milliseconds repeats none', async () => {
    const window = seed.same_millisecond;
    const page = await bounded(window, { limit: 1000 });
    assert.equal(page.length, window.count);
    const paged = await bounded(window, { limit: 5 });
    assert.deepEqual(paged.map((e) => e.uuid), page.map((e) => e.uuid));
  });
