// OAuth 2.0 for the API (issue 19): the SDK in PrivateKey mode gets its own access token from
// /oauth2/v1/token (private_key_jwt) and lists API tokens, changes a zone, reads the System Log, and is
// refused for a scope its app lacks. The SDK 8.x sends a DPoP proof on every token request; an app that does
// not require DPoP ignores it and issues a Bearer token. The issue expected its DPoP path to throw on
// `use_dpop_nonce`; as installed (8.1.0) it does not, because oauth.js's `Http.errorFilter` is undefined
// (docs/oauth.md): the last test shows the DPoP path working, and the invalid_scope test what it costs.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import okta from '@okta/okta-sdk-nodejs';
import { collect, orgUrl, refusal, seed } from './helpers.js';

const oauth = JSON.parse(process.env.WARDEN_OAUTH_APPS ?? 'null');
const skip = oauth ? false : 'WARDEN_OAUTH_APPS not set (run through test_node_sdk.py)';

function appClient(app, scopes = app.scopes) {
  const requestExecutor = new okta.DefaultRequestExecutor({ maxRetries: 0 });
  return new okta.Client({
    orgUrl, authorizationMode: 'PrivateKey', clientId: app.clientId, scopes: scopes.join(' '),
    privateKey: app.privateKey, keyId: app.kid, requestExecutor, cacheMiddleware: null,
  });
}

test('PrivateKey mode: tokens, a zone change and the System Log, with a Bearer token', { skip }, async () => {
  const sdk = appClient(oauth.bearer);
  const tokens = await collect(await sdk.apiTokenApi.listApiTokens());
  assert.ok(tokens.length > 0);  // the other files revoked some of the seed's tokens already
  assert.ok(tokens.every((t) => seed.token_ids.includes(t.id)));
  const zone = await sdk.networkZoneApi.createNetworkZone({ zone: {
    type: 'IP', name: 'node oauth zone', usage: 'POLICY', gateways: [{ type: 'CIDR', value: '10.77.0.0/16' }],
  } });
  const renamed = await sdk.networkZoneApi.replaceNetworkZone({ zoneId: zone.id, zone: {
    type: 'IP', name: 'node oauth zone renamed', usage: 'POLICY', gateways: [{ type: 'CIDR', value: '10.78.0.0/16' }],
  } });
  assert.equal(renamed.name, 'node oauth zone renamed');
  await sdk.networkZoneApi.deactivateNetworkZone({ zoneId: zone.id });
  await sdk.networkZoneApi.deleteNetworkZone({ zoneId: zone.id });
  // The System Log always has a next link (polling): read until the app's own event, never past 20 events.
  let mine = null;
  let seen = 0;
  const query = { filter: 'eventType eq "zone.create"', sortOrder: 'DESCENDING', limit: 20 };
  const actors = [];
  for await (const event of await sdk.systemLogApi.listLogEvents(query)) {
    if (event) actors.push(event.actor.id);
    seen += 1;
    if (event && event.actor.id === oauth.bearer.clientId) { mine = event; break; }
    if (seen >= 20) break;
  }
  assert.ok(mine, `the zone.create event names the app: ${actors}`);
  assert.equal(mine.actor.type, 'PublicClientApp');
  assert.equal(sdk.oauth.isDPoP, false);
  assert.equal(sdk.oauth.accessToken.token_type, 'Bearer');
});

test('PrivateKey mode: a scope the token lacks is 403 E0000006', { skip }, async () => {
  const sdk = appClient(oauth.bearer);
  assert.deepEqual(await refusal(sdk.trustedOriginApi.listTrustedOrigins().then(collect)), { status: 403, errorCode: 'E0000006' });
});

test('PrivateKey mode: asking for a scope the app was not granted is refused', { skip }, async () => {
  // Warden answers the token request 400 invalid_scope; for the same errorFilter reason the SDK keeps that
  // body as its "token", sends `Bearer undefined`, and surfaces the 401 E0000011 of the API call.
  const sdk = appClient(oauth.bearer, ['okta.trustedOrigins.read']);
  assert.deepEqual(await refusal(sdk.trustedOriginApi.listTrustedOrigins().then(collect)), { status: 401, errorCode: 'E0000011' });
  assert.equal(sdk.oauth.accessToken.error, 'invalid_scope');
});

test('the SDK 8.x DPoP path completes the nonce round trip and signs every call', { skip }, async () => {
  // oauth.js runs `.then(Http.errorFilter)`, but requires './http' as the module object, whose `errorFilter` is
  // undefined, so the 400 use_dpop_nonce reaches its retry branch: the DPoP path works (docs/oauth.md).
  const sdk = appClient(oauth.dpop);
  const tokens = await collect(await sdk.apiTokenApi.listApiTokens());
  assert.ok(tokens.length > 0);
  assert.equal(sdk.oauth.isDPoP, true);
  assert.equal(sdk.oauth.accessToken.token_type, 'DPoP');
  const zones = await collect(await sdk.networkZoneApi.listNetworkZones(), 50);
  assert.ok(zones.length > 0);
});
