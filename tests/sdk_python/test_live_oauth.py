"""The official okta Python SDK in PrivateKey mode (issue 19), with and without DPoP, against a live gunicorn
Warden: it gets its access token from /oauth2/v1/token with a private_key_jwt client assertion (and for DPoP
the nonce round trip), then lists API tokens, changes a network zone, reads the System Log, and is refused
for a scope its app lacks."""

import asyncio
from concurrent.futures import ThreadPoolExecutor

import pytest

from bench.server import gunicorn
from oauth import services
from syslog.models import LogEvent
from tests.sdk_live import live_env, require_live, seed_org

okta_client = pytest.importorskip("okta.client")
from okta.models import NetworkZone  # noqa: E402

pytestmark = [pytest.mark.live, pytest.mark.django_db(transaction=True)]
SCOPES = ["okta.apiTokens.read", "okta.networkZones.read", "okta.networkZones.manage", "okta.logs.read"]


@pytest.fixture(scope="module")
def server(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        require_live()
        env = live_env()
    with gunicorn(workers=2, env=env) as base:
        yield base


def service_app(*, require_dpop: bool):
    app = services.app_create(name="SDK service app", require_dpop=require_dpop)
    key, private_pem = services.key_generate(app=app)
    for scope in SCOPES:
        services.scope_grant(app=app, scope=scope)
    services.role_assign(app=app, role_type="SUPER_ADMIN")
    return app, key.kid, private_pem


def sdk_client(base: str, app, kid: str, pem: str, *, dpop: bool, scopes=SCOPES):
    config = {
        "orgUrl": base,
        "authorizationMode": "PrivateKey",
        "clientId": app.id,
        "scopes": scopes,
        "privateKey": pem,
        "kid": kid,
        "rateLimit": {"maxRetries": 0},
    }
    if dpop:
        config["dpopEnabled"] = True
    return okta_client.Client(config)


def run(scenario):
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, scenario).result()


@pytest.mark.parametrize("dpop", [False, True], ids=["bearer", "dpop"])
def test_python_sdk_private_key_mode(server, monkeypatch, dpop):
    monkeypatch.setenv("OKTA_TESTING_TESTINGDISABLEHTTPSCHECK", "true")
    seed = seed_org()
    app, kid, pem = service_app(require_dpop=dpop)

    async def scenario():
        sdk = sdk_client(server, app, kid, pem, dpop=dpop)
        tokens, _, error = await sdk.list_api_tokens()
        assert error is None, error
        assert {t.id for t in tokens} <= set(seed.token_ids) and tokens
        zone, _, error = await sdk.get_network_zone(seed.policy_zone_id)
        assert error is None, error
        body = zone.to_dict()
        body["name"] = "renamed by a service app"
        replaced, _, error = await sdk.replace_network_zone(seed.policy_zone_id, NetworkZone.from_dict(body))
        assert error is None, error
        assert replaced.name == "renamed by a service app"
        events, _, error = await sdk.list_log_events(filter='eventType eq "zone.update"', limit=5)
        assert error is None, error
        assert events
        _, _, error = await sdk.list_trusted_origins()  # okta.trustedOrigins.read is not granted
        assert error is not None and "E0000006" in (getattr(error, "error_code", None) or str(error))

    run(scenario())
    update = LogEvent.objects.filter(event_type="zone.update", actor_id=app.id).get()
    assert update.data["transaction"]["detail"] == {"requestOAuthClientId": app.id}
    grant = LogEvent.objects.filter(event_type="app.oauth2.token.grant.access_token", outcome_result="SUCCESS").get()
    assert grant.data["debugContext"]["debugData"]["tokenType"] == ("DPoP" if dpop else "Bearer")


def test_python_sdk_asking_for_an_ungranted_scope_gets_invalid_scope(server, monkeypatch):
    monkeypatch.setenv("OKTA_TESTING_TESTINGDISABLEHTTPSCHECK", "true")
    seed_org()
    app, kid, pem = service_app(require_dpop=False)

    async def scenario():
        sdk = sdk_client(server, app, kid, pem, dpop=False, scopes=["okta.trustedOrigins.read"])
        _, _, error = await sdk.list_trusted_origins()
        assert error is not None and "invalid_scope" in str(error)

    run(scenario())
