"""The org authorization server's token logic: client credentials with private_key_jwt, access tokens.

`grant(form, dpop_header)` checks a token request the way Okta's org authorization server does and returns
the access token; every refusal is an `OAuthError` carrying Okta's error code and description. The client
assertion is verified by jwcrypto against the app's ACTIVE keys (RS256 or ES256): `iss` = `sub` = the client
id, `aud` = the token endpoint at settings.ORG_URL (never derived from the Host header), `exp` in the future and
at most an hour away, a `jti` never used before in any process. The jti is spent as soon as the signature and
claims hold, before the DPoP checks, so an assertion answered with `use_dpop_nonce` cannot be sent again.

Access tokens are RS256 JWTs signed by the active signing key (oauth/signing.py), living
OAUTH_ACCESS_TOKEN_SECONDS: `iss` and `aud` the org URL, `sub` and `cid` the client id, `scp` the requested
scopes (each must be granted), a random `jti`, and for DPoP `cnf.jkt`."""

import json
import math
import secrets
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from django.conf import settings
from jwcrypto import jwk, jws, jwt

from oauth import dpop, replay, signing
from oauth.models import AppStatus, KeyStatus, ServiceApp

ASSERTION_TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"
TOKEN_PATH = "/oauth2/v1/token"
MAX_ASSERTION = 8192
MAX_SCOPE = 2048
ASSERTION_MAX_LIFETIME = 3600
CLOCK_SKEW = 60
ALGORITHMS = ["RS256", "ES256"]


@dataclass
class OAuthError(Exception):
    error: str
    description: str
    status: int = 400
    headers: dict = field(default_factory=dict)
    app: ServiceApp | None = None


def org_url() -> str:
    return settings.ORG_URL.rstrip("/")


def token_url() -> str:
    return org_url() + TOKEN_PATH


@dataclass(frozen=True)
class Granted:
    app: ServiceApp
    access_token: str
    token_type: str
    scopes: list[str]
    expires_in: int
    jti: str


def _unverified_issuer(assertion: str) -> str:
    """Only to find which app's keys verify the assertion: nothing here is trusted until they do."""
    try:
        token = jws.JWS()
        token.deserialize(assertion)
        claims = json.loads(token.objects["payload"])
    except Exception as error:
        raise OAuthError("invalid_client", "The client_assertion token is malformed.", 401) from error
    issuer = claims.get("iss") if isinstance(claims, dict) else None
    if not isinstance(issuer, str) or not 0 < len(issuer) <= 100:
        raise OAuthError("invalid_client", "The client_assertion token is missing the iss claim.", 401)
    return issuer


def _app_keys(app: ServiceApp) -> jwk.JWKSet:
    keys = jwk.JWKSet()
    for key in app.keys.filter(status=KeyStatus.ACTIVE):
        keys.add(jwk.JWK(**key.jwk))
    return keys


def _verified_assertion(assertion: str, app: ServiceApp, audiences: list[str]) -> dict:
    keys = _app_keys(app)
    if not keys["keys"]:
        raise OAuthError("invalid_client", "The client has no active public key.", 401, app=app)
    try:
        token = jwt.JWT(
            jwt=assertion,
            key=keys,
            algs=ALGORITHMS,
            expected_type="JWS",
            check_claims={"iss": app.id, "sub": app.id, "aud": audiences, "exp": None, "jti": None},
        )
        claims = json.loads(token.claims)
    except jwt.JWTExpired as error:
        raise OAuthError("invalid_client", "The client_assertion token is expired.", 401, app=app) from error
    except jwt.JWTInvalidClaimValue as error:
        text = str(error)
        which = next((c for c in ("aud", "iss", "sub") if f"'{c}'" in text or f" {c} " in text), "a claim")
        raise OAuthError(
            "invalid_client", f"The client_assertion token has an invalid {which} value.", 401, app=app
        ) from error
    except jwt.JWTMissingClaim as error:
        raise OAuthError("invalid_client", "The client_assertion token is missing a claim.", 401, app=app) from error
    except Exception as error:  # bad signature, unknown kid, wrong algorithm, malformed
        raise OAuthError("invalid_client", "The client_assertion signature is invalid.", 401, app=app) from error
    exp = claims.get("exp")
    if (
        not isinstance(exp, int | float)
        or isinstance(exp, bool)
        or exp > time.time() + ASSERTION_MAX_LIFETIME + CLOCK_SKEW
    ):
        raise OAuthError(
            "invalid_client", "The client_assertion token has an expiration too far in the future.", 401, app=app
        )
    jti = claims.get("jti")
    if not isinstance(jti, str) or not 0 < len(jti) <= 256:
        raise OAuthError("invalid_client", "The client_assertion token is missing the jti claim.", 401, app=app)
    return claims


def _finite_number(value) -> bool:
    """An int or float that is neither a bool nor NaN/infinite (JSON parsers accept NaN and Infinity)."""
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


def _requested_scopes(scope: str, app: ServiceApp) -> list[str]:
    if not scope or not scope.strip():
        raise OAuthError(
            "invalid_scope",
            "The authorization server resource does not have any configured default scopes, 'scope' must be provided.",
            app=app,
        )
    if len(scope) > MAX_SCOPE:
        raise OAuthError("invalid_scope", "The 'scope' parameter is too long.", app=app)
    requested = list(dict.fromkeys(scope.split()))
    granted = set(app.scope_grants.values_list("scope", flat=True))
    missing = [s for s in requested if s not in granted]
    if missing:
        shown = " ".join(s for s in missing if s.isprintable())[:500]
        raise OAuthError("invalid_scope", f"The following scopes were requested, but not granted: {shown}", app=app)
    return requested


def authenticate_client(form: dict[str, str], path: str = TOKEN_PATH) -> ServiceApp:
    """The app whose client assertion this form carries, verified, its jti spent. For the token endpoint the
    assertion's `aud` is the token endpoint; revoke and introspect also accept their own URL."""
    if form.get("client_secret"):
        raise OAuthError("invalid_client", "Client authentication by secret is not allowed for this client.", 401)
    if form.get("client_assertion_type") != ASSERTION_TYPE:
        raise OAuthError(
            "invalid_client",
            "The 'client_assertion_type' parameter must be urn:ietf:params:oauth:client-assertion-type:jwt-bearer.",
            401,
        )
    assertion = form.get("client_assertion") or ""
    if not assertion:
        raise OAuthError("invalid_client", "The 'client_assertion' parameter is required.", 401)
    if len(assertion) > MAX_ASSERTION or assertion.count(".") != 2:
        raise OAuthError("invalid_client", "The client_assertion token is malformed.", 401)
    issuer = _unverified_issuer(assertion)
    client_id = form.get("client_id")
    if client_id and client_id != issuer:
        raise OAuthError("invalid_client", "The client_id does not match the client_assertion issuer.", 401)
    app = ServiceApp.objects.filter(pk=issuer).first()
    if app is None or app.status != AppStatus.ACTIVE:
        raise OAuthError("invalid_client", "Invalid value for 'client_id' parameter.", 401, app=app)
    audiences = list(dict.fromkeys([token_url(), org_url() + path]))
    claims = _verified_assertion(assertion, app, audiences)
    until = datetime.fromtimestamp(claims["exp"], UTC) + timedelta(seconds=CLOCK_SKEW)
    if not replay.first_use("assertion", app.id, claims["jti"], until):
        raise OAuthError("invalid_client", "The client_assertion token has already been used.", 401, app=app)
    return app


def grant(form: dict[str, str], dpop_header: str | None) -> Granted:
    grant_type = form.get("grant_type")
    if not grant_type:
        raise OAuthError("invalid_request", "The 'grant_type' parameter is required.")
    if grant_type != "client_credentials":
        raise OAuthError(
            "unsupported_grant_type",
            "The authorization grant type is not supported by the authorization server. "
            "Configured grant types: [client_credentials].",
        )
    app = authenticate_client(form)
    jkt = None
    if app.require_dpop:  # an app that does not require DPoP ignores the header (the Node SDK always sends one)
        try:
            jkt = dpop.verify(dpop_header, method="POST", url=token_url(), need_nonce=True).jkt
        except dpop.NonceRequired as error:
            raise OAuthError("use_dpop_nonce", str(error), headers={"DPoP-Nonce": dpop.new_nonce()}, app=app) from error
        except dpop.ProofError as error:
            raise OAuthError("invalid_dpop_proof", str(error), app=app) from error
    scopes = _requested_scopes(form.get("scope", ""), app)
    token, jti = issue(app, scopes, jkt)
    return Granted(app, token, "DPoP" if jkt else "Bearer", scopes, settings.OAUTH_ACCESS_TOKEN_SECONDS, jti)


def issue(app: ServiceApp, scopes: list[str], jkt: str | None = None, *, now: float | None = None) -> tuple[str, str]:
    key = signing.active_key()
    now = int(now if now is not None else time.time())
    jti = "AT." + secrets.token_urlsafe(32)
    claims = {
        "ver": 1,
        "jti": jti,
        "iss": org_url(),
        "aud": org_url(),
        "iat": now,
        "exp": now + settings.OAUTH_ACCESS_TOKEN_SECONDS,
        "cid": app.id,
        "scp": scopes,
        "sub": app.id,
    }
    if jkt:
        claims["cnf"] = {"jkt": jkt}
    token = jwt.JWT(header={"alg": "RS256", "kid": key.kid}, claims=claims)
    token.make_signed_token(signing.keys_cache.private(key))
    return token.serialize(), jti


def verified_access_token(token: str) -> dict | None:
    """The claims of an access token this server signed, still within its lifetime, else None."""
    keys = jwk.JWKSet()
    for key in signing.verifying_keys():
        keys.add(jwk.JWK(**key.public_jwk))
    if not keys["keys"]:
        return None
    try:
        checked = jwt.JWT(
            jwt=token,
            key=keys,
            algs=["RS256"],
            expected_type="JWS",
            check_claims={"iss": org_url(), "aud": org_url(), "exp": None, "jti": None, "cid": None},
        )
        claims = json.loads(checked.claims)
    except Exception:
        return None
    if (
        not isinstance(claims, dict)
        or not isinstance(claims.get("scp"), list)
        or claims.get("sub") != claims.get("cid")
    ):
        return None
    if not all(_finite_number(claims.get(c)) for c in ("exp", "iat")) or claims["exp"] <= time.time():
        return None  # jwcrypto allows 60 s of leeway; an access token gets none
    return claims
