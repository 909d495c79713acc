"""Access tokens on /api/v1: accepted, refused, scoped, cached, and DPoP-bound (tests/oauth/helpers.py)."""

import json
import time

import pytest
import time_machine
from django.conf import settings
from django.test import Client

from oauth import server, services
from syslog.models import LogEvent
from tests.oauth.helpers import AppUnderTest, ProofKey, get_token, post_form
from tests.zones.factories import ZoneFactory, cidr

pytestmark = pytest.mark.django_db
ZONES = "/api/v1/zones"


def bearer(token: str) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


def token_for(app: AppUnderTest, scope: str) -> str:
    response = get_token(Client(), app, scope)
    assert response.status_code == 200, response.content
    return response.json()["access_token"]


def zone_body(name="oauth zone") -> str:
    return json.dumps({"type": "IP", "name": name, "gateways": [cidr("10.1.0.0/16")]})


def test_scoped_token_reads_zones_with_rate_limit_headers():
    app = AppUnderTest(scopes=["okta.networkZones.read"])
    ZoneFactory(name="visible")
    response = Client().get(ZONES, **bearer(token_for(app, "okta.networkZones.read")))
    assert response.status_code == 200, response.content
    assert any(z["name"] == "visible" for z in response.json())
    assert "X-Rate-Limit-Remaining" in response


def test_missing_scope_is_403_with_okta_challenge():
    app = AppUnderTest(scopes=["okta.networkZones.read", "okta.logs.read"])
    token = token_for(app, "okta.networkZones.read")  # logs granted but not asked for
    response = Client().get("/api/v1/logs", **bearer(token))
    assert response.status_code == 403
    assert response.json()["errorCode"] == "E0000006"
    org = settings.ORG_URL
    assert response["WWW-Authenticate"] == (
        f'Bearer authorization_uri="{org}/oauth2/v1/authorize", realm="{org}", scope="okta.logs.read", '
        'error="insufficient_scope", error_description="The access token provided does not contain the required '
        'scopes.", resource="/api/v1/logs"'
    )
    write = Client().post(ZONES, zone_body(), content_type="application/json", **bearer(token))
    assert write.status_code == 403 and 'scope="okta.networkZones.manage"' in write["WWW-Authenticate"]


def test_a_scope_refusal_is_in_the_system_log_once_a_minute_per_app_and_scope():
    app = AppUnderTest(scopes=["okta.networkZones.read"])
    token = token_for(app, "okta.networkZones.read")
    for _ in range(3):
        assert Client().get("/api/v1/logs", **bearer(token)).status_code == 403
    write = Client().post(ZONES, zone_body(), content_type="application/json", **bearer(token))
    assert write.status_code == 403
    refused = list(LogEvent.objects.filter(event_type="warden.oauth2.scope_refused").order_by("published"))
    assert [e.data["outcome"]["reason"].split(" needs ")[1] for e in refused] == [
        "okta.logs.read",
        "okta.networkZones.manage",
    ]
    assert {e.actor_id for e in refused} == {app.client_id}
    assert refused[0].outcome_result == "DENY"
    assert "GET /api/v1/logs" in refused[0].data["outcome"]["reason"]


def test_allowed_is_what_both_scopes_and_roles_allow():
    reader = AppUnderTest(scopes=["okta.networkZones.manage"], roles=["READ_ONLY_ADMIN"])
    token = token_for(reader, "okta.networkZones.manage")
    assert Client().get(ZONES, **bearer(token)).status_code == 200  # manage includes read; the role reads
    write = Client().post(ZONES, zone_body(), content_type="application/json", **bearer(token))
    assert write.status_code == 403 and "WWW-Authenticate" not in write  # the role, not the scope, refuses
    roleless = AppUnderTest(scopes=["okta.networkZones.read"], roles=[])
    assert Client().get(ZONES, **bearer(token_for(roleless, "okta.networkZones.read"))).status_code == 403


def test_an_app_changes_a_zone_and_the_event_names_the_app():
    app = AppUnderTest(scopes=["okta.networkZones.manage"])
    token = token_for(app, "okta.networkZones.manage")
    response = Client().post(ZONES, zone_body(), content_type="application/json", **bearer(token))
    assert response.status_code == 200, response.content
    event = LogEvent.objects.get(event_type="zone.create")
    assert event.data["actor"] == {
        "id": app.client_id,
        "type": "PublicClientApp",
        "alternateId": app.client_id,
        "displayName": app.app.name,
        "detailEntry": None,
    }
    assert event.data["transaction"]["detail"] == {"requestOAuthClientId": app.client_id}
    assert event.request_api_token_id is None


def test_users_me_is_not_found_for_an_app_token():
    app = AppUnderTest(scopes=["okta.users.read.self"])
    response = Client().get("/api/v1/users/me", **bearer(token_for(app, "okta.users.read.self")))
    assert response.status_code == 404 and response.json()["errorCode"] == "E0000007"


def test_deactivation_scope_revocation_and_deletion_end_tokens_on_the_next_request():
    app = AppUnderTest(scopes=["okta.networkZones.read"])
    token = token_for(app, "okta.networkZones.read")
    assert Client().get(ZONES, **bearer(token)).status_code == 200
    services.scope_revoke(app=app.app, scope="okta.networkZones.read")
    assert Client().get(ZONES, **bearer(token)).status_code == 403
    services.scope_grant(app=app.app, scope="okta.networkZones.read")
    assert Client().get(ZONES, **bearer(token)).status_code == 200
    services.app_deactivate(app=app.app)
    assert Client().get(ZONES, **bearer(token)).status_code == 401
    services.app_activate(app=app.app)
    assert Client().get(ZONES, **bearer(token)).status_code == 401  # reactivation does not revive old tokens
    with time_machine.travel(time.time() + 2, tick=True):  # past the deactivation's own second
        fresh = token_for(app, "okta.networkZones.read")
        assert Client().get(ZONES, **bearer(fresh)).status_code == 200
    services.app_deactivate(app=app.app)
    services.app_delete(app=app.app)
    assert Client().get(ZONES, **bearer(fresh)).status_code == 401


def test_expired_tampered_and_foreign_tokens_are_401():
    app = AppUnderTest(scopes=["okta.networkZones.read"])
    expired, _ = server.issue(app.app, ["okta.networkZones.read"], now=time.time() - 3700)
    assert Client().get(ZONES, **bearer(expired)).status_code == 401
    good = token_for(app, "okta.networkZones.read")
    head, body, sig = good.split(".")
    tampered = ".".join([head, body, sig[:-4] + ("AAAA" if sig[-4:] != "AAAA" else "BBBB")])
    assert Client().get(ZONES, **bearer(tampered)).status_code == 401
    for junk in ("x", "a.b.c", "e30.e30.e30", "Bearer", "x" * 9000):
        response = Client().get(ZONES, HTTP_AUTHORIZATION=f"Bearer {junk}")
        assert response.status_code == 401 and response.json()["errorCode"] == "E0000011"


def test_a_verified_token_is_not_verified_again_on_each_request(monkeypatch):
    app = AppUnderTest(scopes=["okta.networkZones.read"])
    token = token_for(app, "okta.networkZones.read")
    calls = []
    original = server.verified_access_token
    monkeypatch.setattr(server, "verified_access_token", lambda value: calls.append(1) or original(value))
    for _ in range(5):
        assert Client().get(ZONES, **bearer(token)).status_code == 200
    assert len(calls) == 1


def test_api_tokens_current_refuses_an_app_token():
    app = AppUnderTest(scopes=["okta.apiTokens.manage"])
    response = Client().delete("/api/v1/api-tokens/current", **bearer(token_for(app, "okta.apiTokens.manage")))
    assert response.status_code == 403


# --- DPoP-bound tokens -----------------------------------------------------------------------------------


def dpop_token(app: AppUnderTest, key: ProofKey, scope="okta.networkZones.read") -> str:
    url = settings.ORG_URL + "/oauth2/v1/token"
    first = post_form(Client(), "/oauth2/v1/token", app.form(scope), HTTP_DPOP=key.proof("POST", url))
    nonce = first["DPoP-Nonce"]
    second = post_form(Client(), "/oauth2/v1/token", app.form(scope), HTTP_DPOP=key.proof("POST", url, nonce=nonce))
    assert second.status_code == 200, second.content
    assert second.json()["token_type"] == "DPoP"
    return second.json()["access_token"]


def dpop_get(token, proof, path=ZONES):
    return Client().get(path, HTTP_AUTHORIZATION=f"DPoP {token}", HTTP_DPOP=proof)


def test_dpop_token_needs_a_proof_bound_to_method_url_and_token():
    app = AppUnderTest(scopes=["okta.networkZones.read"], require_dpop=True)
    key = ProofKey("EC")
    token = dpop_token(app, key)
    url = settings.ORG_URL + ZONES
    assert dpop_get(token, key.proof("GET", url, access_token=token)).status_code == 200
    assert dpop_get(token, key.proof("GET", url + "?limit=5", access_token=token)).status_code == 200
    assert Client().get(ZONES, **bearer(token)).status_code == 401  # a bound token is not a Bearer token

    def refused(proof):
        response = dpop_get(token, proof)
        assert response.status_code == 401
        assert response["WWW-Authenticate"].startswith('DPoP error="invalid_dpop_proof"')

    refused(key.proof("POST", url, access_token=token))  # method
    refused(key.proof("GET", "http://evil.example/api/v1/zones", access_token=token))  # URL
    refused(key.proof("GET", url, access_token=token + "x"))  # ath
    refused(key.proof("GET", url))  # no ath
    refused(key.proof("GET", url, access_token=token, iat=int(time.time()) - 90))  # iat
    refused(key.proof("GET", url, access_token=token, iat=int(time.time()) + 90))
    refused(ProofKey().proof("GET", url, access_token=token))  # another key
    response = Client().get(ZONES, HTTP_AUTHORIZATION=f"DPoP {token}")
    assert response.status_code == 401  # no proof
    proof = key.proof("GET", url, access_token=token)
    assert dpop_get(token, proof).status_code == 200
    refused(proof)  # replayed jti


def test_a_bearer_token_is_not_accepted_with_the_dpop_scheme():
    app = AppUnderTest(scopes=["okta.networkZones.read"])
    token = token_for(app, "okta.networkZones.read")
    key = ProofKey()
    proof = key.proof("GET", settings.ORG_URL + ZONES, access_token=token)
    assert dpop_get(token, proof).status_code == 401


def test_rate_limits_count_per_app():
    """Each app has its own bucket (50 % of the group limit), shared by all its tokens."""
    from django.test import override_settings

    first = AppUnderTest(scopes=["okta.networkZones.read"], name="first")
    second = AppUnderTest(scopes=["okta.networkZones.read"], name="second")
    one, two = token_for(first, "okta.networkZones.read"), token_for(first, "okta.networkZones.read")
    other = token_for(second, "okta.networkZones.read")
    with override_settings(RATE_LIMITS={"logs": 60, "default": 10}):
        statuses = [Client().get(ZONES, **bearer(t)).status_code for t in (one, two, one, two, one, two)]
        assert statuses == [200] * 5 + [429]  # 5 = 50 % of 10, both tokens of the app together
        response = Client().get(ZONES, **bearer(other))
        assert response.status_code == 200 and response["X-Rate-Limit-Limit"] == "5"
