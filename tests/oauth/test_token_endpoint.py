"""POST /oauth2/v1/token and its refusals; /keys, /revoke, /introspect, the well-known metadata."""

import time

import pytest
from django.conf import settings
from django.test import Client
from jwcrypto import jwk, jwt

from oauth import dpop, services
from oauth.models import UsedJti
from syslog.models import LogEvent
from tests.oauth.helpers import AppUnderTest, ProofKey, get_token, post_form

pytestmark = pytest.mark.django_db
TOKEN = "/oauth2/v1/token"


@pytest.fixture
def app():
    return AppUnderTest(scopes=["okta.networkZones.read", "okta.logs.read"])


def decode(token: str) -> dict:
    import json

    keys = jwk.JWKSet.from_json(Client().get("/oauth2/v1/keys").content)
    return json.loads(jwt.JWT(jwt=token, key=keys, algs=["RS256"]).claims)


def test_grant_returns_a_signed_one_hour_bearer_token_with_the_scopes(app):
    response = get_token(Client(), app, "okta.networkZones.read okta.logs.read")
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["token_type"] == "Bearer" and body["expires_in"] == 3600
    assert body["scope"] == "okta.networkZones.read okta.logs.read"
    assert response["Cache-Control"] == "no-store"
    claims = decode(body["access_token"])
    assert claims["iss"] == settings.ORG_URL and claims["aud"] == settings.ORG_URL
    assert claims["sub"] == claims["cid"] == app.client_id
    assert claims["scp"] == ["okta.networkZones.read", "okta.logs.read"]
    assert claims["exp"] - claims["iat"] == 3600 and claims["jti"].startswith("AT.")
    event = LogEvent.objects.get(event_type="app.oauth2.token.grant.access_token", outcome_result="SUCCESS")
    assert event.data["actor"]["id"] == app.client_id and event.data["actor"]["type"] == "PublicClientApp"
    assert body["access_token"] not in str(LogEvent.objects.values_list("data", flat=True)[:100])


def refused(response, status, error):
    assert response.status_code == status, response.content
    body = response.json()
    assert body["error"] == error, body
    assert set(body) == {"error", "error_description"}
    return body


def test_ungranted_scope_is_invalid_scope(app):
    body = refused(get_token(Client(), app, "okta.networkZones.read okta.networkZones.manage"), 400, "invalid_scope")
    assert "okta.networkZones.manage" in body["error_description"]
    refused(get_token(Client(), app, ""), 400, "invalid_scope")


def test_grant_type_and_assertion_type(app):
    form = app.form()
    refused(post_form(Client(), TOKEN, {**form, "grant_type": "password"}), 400, "unsupported_grant_type")
    refused(post_form(Client(), TOKEN, {k: v for k, v in form.items() if k != "grant_type"}), 400, "invalid_request")
    refused(post_form(Client(), TOKEN, {**app.form(), "client_assertion_type": "x"}), 401, "invalid_client")
    refused(post_form(Client(), TOKEN, {**app.form(), "client_secret": "s"}), 401, "invalid_client")


def test_bad_signature_is_invalid_client(app):
    other = jwk.JWK.generate(kty="RSA", size=2048)
    refused(post_form(Client(), TOKEN, app.form(_key=other)), 401, "invalid_client")


def test_wrong_audience_and_host_derived_audience_are_refused(app):
    refused(
        post_form(Client(), TOKEN, app.form(aud="https://elsewhere.example/oauth2/v1/token")), 401, "invalid_client"
    )
    # The audience a Host header would suggest is not the configured org URL.
    for host in ("testserver", "localhost:8000"):
        form = app.form(aud=f"http://{host}/oauth2/v1/token")
        refused(post_form(Client(), TOKEN, form, HTTP_HOST=host), 401, "invalid_client")


def test_iss_sub_exp_and_jti_rules(app):
    refused(post_form(Client(), TOKEN, app.form(sub="0oaSomeoneElse000000")), 401, "invalid_client")
    refused(post_form(Client(), TOKEN, app.form(exp=int(time.time()) - 120)), 401, "invalid_client")
    refused(post_form(Client(), TOKEN, app.form(exp=int(time.time()) + 7200)), 401, "invalid_client")
    refused(post_form(Client(), TOKEN, app.form(exp=10**15)), 401, "invalid_client")
    refused(post_form(Client(), TOKEN, app.form(jti=None)), 401, "invalid_client")


def test_a_replayed_assertion_is_refused(app):
    form = app.form()
    assert post_form(Client(), TOKEN, form).status_code == 200
    body = refused(post_form(Client(), TOKEN, form), 401, "invalid_client")
    assert "already been used" in body["error_description"]


def test_unknown_inactive_and_keyless_apps(app):
    other = AppUnderTest(scopes=["okta.networkZones.read"])
    form = other.form()
    services.app_deactivate(app=other.app)
    refused(post_form(Client(), TOKEN, form), 401, "invalid_client")
    services.app_activate(app=other.app)
    key = other.app.keys.get()
    services.key_set_status(key=key, status="INACTIVE")
    refused(post_form(Client(), TOKEN, other.form()), 401, "invalid_client")


@pytest.mark.parametrize(
    "form",
    [
        {"grant_type": "client_credentials\x00"},
        {"grant_type": "client_credentials", "client_assertion_type": "x" * 10, "client_assertion": "a.b"},
        {
            "grant_type": "client_credentials",
            "client_assertion_type": "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
            "client_assertion": "e30.e30.e30",
        },
        {
            "grant_type": "client_credentials",
            "client_assertion_type": "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
            "client_assertion": "x" * 100_000,
        },
    ],
)
def test_bad_input_is_an_oauth_error_never_a_500(form):
    response = post_form(Client(), TOKEN, form)
    assert response.status_code in (400, 401)
    assert "error" in response.json()


def test_json_and_get_are_refused():
    assert Client().post(TOKEN, "{}", content_type="application/json").json()["error"] == "invalid_request"
    assert Client().get(TOKEN).status_code == 405


def test_dpop_round_trip_spends_the_assertion_on_use_dpop_nonce():
    app = AppUnderTest(scopes=["okta.networkZones.read"], require_dpop=True)
    key = ProofKey()
    url = settings.ORG_URL + TOKEN
    form = app.form()
    first = post_form(Client(), TOKEN, form, HTTP_DPOP=key.proof("POST", url))
    body = refused(first, 400, "use_dpop_nonce")
    nonce = first["DPoP-Nonce"]
    assert body["error_description"] == "Authorization server requires nonce in DPoP proof."
    # The same assertion again, even with a good proof: already used.
    refused(post_form(Client(), TOKEN, form, HTTP_DPOP=key.proof("POST", url, nonce=nonce)), 401, "invalid_client")
    ok = post_form(Client(), TOKEN, app.form(), HTTP_DPOP=key.proof("POST", url, nonce=nonce))
    assert ok.status_code == 200, ok.content
    assert ok.json()["token_type"] == "DPoP"
    assert decode(ok.json()["access_token"])["cnf"] == {"jkt": key.thumbprint}


def test_dpop_proof_refusals_at_the_token_endpoint():
    app = AppUnderTest(scopes=["okta.networkZones.read"], require_dpop=True)
    key = ProofKey()
    url = settings.ORG_URL + TOKEN
    nonce = dpop.new_nonce()
    refused(post_form(Client(), TOKEN, app.form()), 400, "invalid_dpop_proof")
    refused(
        post_form(Client(), TOKEN, app.form(), HTTP_DPOP=key.proof("GET", url, nonce=nonce)), 400, "invalid_dpop_proof"
    )
    refused(
        post_form(
            Client(), TOKEN, app.form(), HTTP_DPOP=key.proof("POST", "http://evil.example/oauth2/v1/token", nonce=nonce)
        ),
        400,
        "invalid_dpop_proof",
    )
    old = int(time.time()) - 120
    refused(
        post_form(Client(), TOKEN, app.form(), HTTP_DPOP=key.proof("POST", url, nonce=nonce, iat=old)),
        400,
        "invalid_dpop_proof",
    )
    refused(post_form(Client(), TOKEN, app.form(), HTTP_DPOP="x.y.z"), 400, "invalid_dpop_proof")
    proof = key.proof("POST", url, nonce=nonce)
    assert post_form(Client(), TOKEN, app.form(), HTTP_DPOP=proof).status_code == 200
    refused(post_form(Client(), TOKEN, app.form(), HTTP_DPOP=proof), 400, "invalid_dpop_proof")  # replayed proof jti
    es = ProofKey("EC")
    assert post_form(Client(), TOKEN, app.form(), HTTP_DPOP=es.proof("POST", url, nonce=nonce)).status_code == 200


def test_an_app_not_requiring_dpop_ignores_the_header(app):
    response = post_form(Client(), TOKEN, app.form(), HTTP_DPOP="garbage")
    assert response.status_code == 200 and response.json()["token_type"] == "Bearer"


def test_jtis_are_stored_as_digests(app):
    form = app.form()
    post_form(Client(), TOKEN, form)
    assert UsedJti.objects.count() == 1
    assert len(UsedJti.objects.get().digest) == 64


def test_keys_metadata_revoke_and_introspect(app):
    keys = Client().get("/oauth2/v1/keys").json()["keys"]
    assert keys and all("d" not in k and k["alg"] == "RS256" for k in keys)
    meta = Client().get("/.well-known/oauth-authorization-server").json()
    assert meta["issuer"] == settings.ORG_URL and meta["token_endpoint"] == settings.ORG_URL + TOKEN
    assert "private_key_jwt" in meta["token_endpoint_auth_methods_supported"]
    access = get_token(Client(), app).json()["access_token"]
    introspect_form = {**app.form(aud=settings.ORG_URL + "/oauth2/v1/introspect"), "token": access}
    info = post_form(Client(), "/oauth2/v1/introspect", introspect_form).json()
    assert info["active"] is True and info["client_id"] == app.client_id
    revoke_form = {**app.form(aud=settings.ORG_URL + "/oauth2/v1/revoke"), "token": access}
    assert post_form(Client(), "/oauth2/v1/revoke", revoke_form).status_code == 200
    after = post_form(Client(), "/oauth2/v1/introspect", {**app.form(), "token": access}).json()
    assert after == {"active": False}
    assert Client().get("/api/v1/zones", HTTP_AUTHORIZATION=f"Bearer {access}").status_code == 401


def test_signing_key_rotation_keeps_old_tokens_verifying(app):
    access = get_token(Client(), app).json()["access_token"]
    old_kid = jwt.JWT(jwt=access).token.jose_header["kid"] if False else None  # noqa: F841
    services.signing_key_rotate()
    kids = [k["kid"] for k in Client().get("/oauth2/v1/keys").json()["keys"]]
    assert len(kids) == 2
    assert Client().get("/api/v1/zones", HTTP_AUTHORIZATION=f"Bearer {access}").status_code == 200
    fresh = get_token(Client(), app).json()["access_token"]
    assert Client().get("/api/v1/zones", HTTP_AUTHORIZATION=f"Bearer {fresh}").status_code == 200


def test_the_token_endpoint_is_limited_per_client_ip(app):
    from django.test import override_settings

    with override_settings(OAUTH_RATE_LIMIT="2/m"):
        assert get_token(Client(), app).status_code == 200
        assert get_token(Client(), app).status_code == 200
        limited = get_token(Client(), app)
    assert limited.status_code == 429 and limited.json()["errorCode"] == "E0000047"
    assert limited["X-Rate-Limit-Remaining"] == "0"


@pytest.mark.parametrize("exp", [float("nan"), float("inf"), -1e308, 1e308, "soon", True, None])
def test_extreme_or_odd_expiry_is_refused_never_a_500(app, exp):
    refused(post_form(Client(), TOKEN, app.form(exp=exp)), 401, "invalid_client")


@pytest.mark.parametrize("iat", [float("nan"), float("inf"), 1e300, "now"])
def test_extreme_dpop_iat_is_refused_never_a_500(iat):
    app = AppUnderTest(scopes=["okta.networkZones.read"], require_dpop=True)
    proof = ProofKey().proof("POST", settings.ORG_URL + TOKEN, nonce=dpop.new_nonce(), iat=iat)
    refused(post_form(Client(), TOKEN, app.form(), HTTP_DPOP=proof), 400, "invalid_dpop_proof")


def test_deeply_nested_assertion_payload_is_refused(app):
    import base64

    payload = base64.urlsafe_b64encode(b'{"iss":' + b"[" * 2500 + b"]" * 2500 + b"}").rstrip(b"=").decode()
    form = {**app.form(), "client_assertion": f"eyJhbGciOiJSUzI1NiJ9.{payload}.c2ln"}
    response = post_form(Client(), TOKEN, form)
    assert response.status_code == 401 and response.json()["error"] == "invalid_client"


@pytest.mark.parametrize("path", ["/oauth2/v1/token", "/oauth2/v1/introspect", "/oauth2/v1/revoke"])
def test_the_database_down_is_an_oauth_503_the_client_can_read(app, monkeypatch, path):
    """OAuth clients parse `error` from JSON (RFC 6749 §5.2): a database outage is `temporarily_unavailable`
    with Retry-After, not the console's HTML 503 page."""
    from django.db import OperationalError

    from oauth import server

    def refuse(*args, **kwargs):
        raise OperationalError("connection timeout expired")

    monkeypatch.setattr(server.ServiceApp.objects, "filter", refuse)
    response = post_form(Client(raise_request_exception=False), path, app.form())
    assert response.status_code == 503
    assert response["Content-Type"] == "application/json"
    assert response.json()["error"] == "temporarily_unavailable"
    assert response["Retry-After"] == "2" and response["Cache-Control"] == "no-store"
