"""The org authorization server's endpoints (docs/oauth.md): /oauth2/v1/token, /keys, /revoke, /introspect and
/.well-known/oauth-authorization-server. Errors are OAuth's `{"error", "error_description"}` bodies as Okta
answers them; nothing a client sent (assertion, token, proof) is ever repeated in an answer or a log."""

import re
import time
from datetime import UTC, datetime

from django.conf import settings
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django_ratelimit.core import get_usage

from api.errors import json_error
from api.middleware import client_ip
from oauth import bearer, scopes, server, services, signing
from oauth.models import ServiceApp

CONTROL = re.compile(r"[\x00-\x1f\x7f]")
FORM_FIELDS = {
    "grant_type",
    "scope",
    "client_id",
    "client_assertion_type",
    "client_assertion",
    "client_secret",
    "token",
    "token_type_hint",
}


def _json(body: dict, status: int = 200, headers: dict | None = None) -> JsonResponse:
    response = JsonResponse(body, status=status)
    response["Cache-Control"] = "no-store"
    response["Pragma"] = "no-cache"
    for name, value in (headers or {}).items():
        response[name] = value
    return response


def _error(error: server.OAuthError) -> JsonResponse:
    return _json({"error": error.error, "error_description": error.description}, error.status, error.headers)


def _form(request: HttpRequest) -> dict[str, str]:
    if request.method != "POST":
        raise server.OAuthError("invalid_request", "The endpoint accepts POST only.", 405, {"Allow": "POST"})
    if request.content_type != "application/x-www-form-urlencoded":
        raise server.OAuthError("invalid_request", "The request must be application/x-www-form-urlencoded.")
    try:
        data = request.POST
        items = {name: data.getlist(name) for name in data}
    except (RequestDataTooBig, TooManyFieldsSent, ValueError) as error:
        raise server.OAuthError("invalid_request", "The request body is too large or malformed.") from error
    form = {}
    for name, values in items.items():
        if name not in FORM_FIELDS:
            continue
        if len(values) != 1:
            raise server.OAuthError("invalid_request", f"The '{name}' parameter may appear only once.")
        if CONTROL.search(values[0]):
            raise server.OAuthError("invalid_request", f"The '{name}' parameter contains a control character.")
        form[name] = values[0]
    return form


def _over_limit(request: HttpRequest) -> JsonResponse | None:
    """The authorization server's endpoints are not under /api/ (the API's rate limiter never sees them):
    each client IP may make OAUTH_RATE_LIMIT requests to them (django-ratelimit), answered as Okta answers a
    rate limit, 429 E0000047. A cache that cannot count does not stop them: the client assertion is the gate."""
    try:
        usage = get_usage(
            request, group="oauth:server", key=lambda g, r: client_ip(r), rate=settings.OAUTH_RATE_LIMIT, increment=True
        )
    except Exception:  # the cache is down
        return None
    if usage is None or not usage["should_limit"]:
        return None
    response = json_error("E0000047")
    response["X-Rate-Limit-Limit"] = str(usage["limit"])
    response["X-Rate-Limit-Remaining"] = "0"
    response["X-Rate-Limit-Reset"] = str(int(time.time()) + max(0, usage["time_left"]))
    return response


@csrf_exempt
def token(request: HttpRequest) -> HttpResponse:
    app = None
    if (limited := _over_limit(request)) is not None:
        return limited
    try:
        form = _form(request)
        granted = server.grant(form, request.META.get("HTTP_DPOP"))
    except server.OAuthError as error:
        app = error.app
        services.record_grant_refused(app=app, error=error.error, description=error.description, request=request)
        return _error(error)
    services.record_grant(
        app=granted.app, scopes_granted=granted.scopes, token_type=granted.token_type, request=request
    )
    return _json(
        {
            "token_type": granted.token_type,
            "expires_in": granted.expires_in,
            "access_token": granted.access_token,
            "scope": " ".join(granted.scopes),
        }
    )


def _own_claims(form: dict, app: ServiceApp) -> dict | None:
    value = form.get("token") or ""
    if not value:
        raise server.OAuthError("invalid_request", "The 'token' parameter is required.")
    if len(value) > bearer.MAX_TOKEN:
        return None
    claims = server.verified_access_token(value)
    if claims is None or claims.get("cid") != app.id:
        return None
    return claims


def _client_and_claims(request: HttpRequest, path: str) -> tuple[ServiceApp, dict | None] | JsonResponse:
    """What /revoke and /introspect share: the per-IP limit, the authenticated client, and the claims of the
    `token` it sent when that token is its own (None otherwise); a refusal is the response to send."""
    if (limited := _over_limit(request)) is not None:
        return limited
    try:
        form = _form(request)
        app = server.authenticate_client(form, path)
        return app, _own_claims(form, app)
    except server.OAuthError as error:
        return _error(error)


@csrf_exempt
def revoke(request: HttpRequest) -> HttpResponse:
    """RFC 7009: 200 whether or not the token was valid; only the app's own tokens are revoked."""
    found = _client_and_claims(request, "/oauth2/v1/revoke")
    if isinstance(found, HttpResponse):
        return found
    app, claims = found
    if claims is not None:
        services.access_token_revoke(
            app=app, jti=claims["jti"], expires_at=datetime.fromtimestamp(claims["exp"], UTC), request=request
        )
    response = HttpResponse(status=200)
    response["Cache-Control"] = "no-store"
    return response


@csrf_exempt
def introspect(request: HttpRequest) -> HttpResponse:
    found = _client_and_claims(request, "/oauth2/v1/introspect")
    if isinstance(found, HttpResponse):
        return found
    app, claims = found
    if claims is not None:
        current = bearer.find_app(app.id, claims["jti"])
        if current.revoked or not current.is_active or bearer.ended(current, claims["iat"]):
            claims = None
    if claims is None:
        return _json({"active": False})
    return _json(
        {
            "active": True,
            "scope": " ".join(claims["scp"]),
            "client_id": claims["cid"],
            "token_type": "DPoP" if claims.get("cnf") else "Bearer",
            "exp": claims["exp"],
            "iat": claims["iat"],
            "sub": claims["sub"],
            "aud": claims["aud"],
            "iss": claims["iss"],
            "jti": claims["jti"],
            **({"cnf": claims["cnf"]} if claims.get("cnf") else {}),
        }
    )


def keys(request: HttpRequest) -> HttpResponse:
    if request.method not in ("GET", "HEAD"):
        return _error(server.OAuthError("invalid_request", "The endpoint accepts GET only.", 405, {"Allow": "GET"}))
    signing.active_key()  # the first key is created on first use
    response = JsonResponse({"keys": signing.published()})
    response["Cache-Control"] = "max-age=300, must-revalidate"
    return response


def metadata(request: HttpRequest) -> HttpResponse:
    org = server.org_url()
    return JsonResponse(
        {
            "issuer": org,
            "token_endpoint": org + "/oauth2/v1/token",
            "jwks_uri": org + "/oauth2/v1/keys",
            "revocation_endpoint": org + "/oauth2/v1/revoke",
            "introspection_endpoint": org + "/oauth2/v1/introspect",
            "grant_types_supported": ["client_credentials"],
            "response_types_supported": ["token"],
            "scopes_supported": sorted(scopes.SCOPES),
            "token_endpoint_auth_methods_supported": ["private_key_jwt"],
            "token_endpoint_auth_signing_alg_values_supported": server.ALGORITHMS,
            "revocation_endpoint_auth_methods_supported": ["private_key_jwt"],
            "introspection_endpoint_auth_methods_supported": ["private_key_jwt"],
            "dpop_signing_alg_values_supported": ["RS256", "ES256"],
            "access_token_lifetime": settings.OAUTH_ACCESS_TOKEN_SECONDS,
        }
    )
