"""/api/v1/api-tokens (docs/okta-contract.md §2). No endpoint creates tokens: Okta makes
them only in the console, and so does Warden."""

import logging

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import HttpResponse
from django_ratelimit.core import get_usage

from accounts.permissions import Perm, require, require_scope
from api.bodies import parse_json_body
from api.decorators import api_view
from api.errors import ApiError, not_found, validation_error
from api.http import ApiRequest, OktaJsonResponse, okta_time
from api.middleware import client_ip
from api.pagination import paginate
from tokens import services
from tokens.access import may_manage, visible_tokens
from tokens.models import ApiToken

log = logging.getLogger(__name__)
LEAK_REPORT_GROUP = "tokens:leak-reports"


def _via_token(request: ApiRequest) -> bool:
    return request.api_token is not None


def _visible(request: ApiRequest, token_id: str) -> ApiToken:
    token = visible_tokens(request.user, via_token=_via_token(request)).filter(pk=token_id).first()
    if token is None:
        raise not_found(token_id, "Token")
    return token


def _revoke(request: ApiRequest, token: ApiToken) -> HttpResponse:
    if not may_manage(request.user, token, via_token=_via_token(request)):
        raise ApiError("E0000006")
    try:
        services.token_revoke(token=token, request=request)
    except ValidationError as error:
        raise ApiError("E0000001", "token", error.messages) from error
    return HttpResponse(status=204)


@api_view(["GET"])
def api_tokens_collection(request: ApiRequest) -> HttpResponse:
    require(request, Perm.TOKEN_VIEW_OWN)
    tokens = visible_tokens(request.user, via_token=_via_token(request))
    query = request.GET.get("q", "").strip()
    if query:
        tokens = tokens.filter(Q(name__icontains=query) | Q(client_name__icontains=query))
    return paginate(request, tokens, lambda token: token.to_okta(request))


@api_view(["DELETE"])
def api_token_current(request: ApiRequest) -> HttpResponse:
    """Revoke the token that authenticated this request (SSWS only)."""
    if not isinstance(request.api_token, ApiToken):  # none, or an app's access token (/oauth2/v1/revoke)
        raise ApiError("E0000006")
    try:
        services.token_revoke(token=request.api_token, request=request, actor=request.user)
    except ValidationError:
        # Another request with the same token revoked it after this one was authenticated
        # (issue 16.4): this token is no longer valid, as the next request would be told.
        raise ApiError("E0000011") from None
    return HttpResponse(status=204)


@api_view(["GET", "PUT", "DELETE"])
def api_token_item(request: ApiRequest, token_id: str) -> HttpResponse:
    require(request, Perm.TOKEN_VIEW_OWN)
    if request.method != "GET":
        require_scope(request, Perm.TOKEN_MANAGE_OWN)  # an app's token needs okta.apiTokens.manage to change one
    token = _visible(request, token_id)
    if request.method == "DELETE":
        return _revoke(request, token)
    if request.method == "PUT":
        body = parse_json_body(request)
        if not may_manage(request.user, token, via_token=_via_token(request)):
            raise ApiError("E0000006")
        # name, userId, clientName and created are read-only here, as on Okta: only network changes.
        # A missing network must never widen the token to any IP: it is refused, not read as ANYWHERE.
        if body.get("network") is None:
            raise validation_error({"network": ["The network condition is required."]})
        try:
            token = services.token_update_network(token=token, network=body.get("network"), request=request)
        except ValidationError as error:
            raise validation_error({"network": error.messages}) from error
    return OktaJsonResponse(token.to_okta(request))


# --- Warden's lifecycle extensions (docs/decisions/30, 31; api/spec/warden-additions.json) ---------

GRACE_DURATIONS = {"PT0S": "none", "PT1H": "1h", "PT24H": "24h", "P7D": "7d"}  # ISO 8601 -> GRACE_PERIODS key


@api_view(["POST"])
def api_token_rotate(request: ApiRequest, token_id: str) -> HttpResponse:
    """A new value for the same token; the old one keeps working for `gracePeriod`. The one API response that
    carries a token value (docs/decisions/30): never stored by any cache."""
    require(request, Perm.TOKEN_VIEW_OWN)
    require_scope(request, Perm.TOKEN_MANAGE_OWN)  # a rotation changes the token: okta.apiTokens.manage
    token = _visible(request, token_id)
    body = parse_json_body(request)
    if not may_manage(request.user, token, via_token=_via_token(request)):
        raise ApiError("E0000006")
    grace = body.get("gracePeriod", "PT0S")
    if not isinstance(grace, str) or grace not in GRACE_DURATIONS:
        raise validation_error({"gracePeriod": [f"One of {', '.join(GRACE_DURATIONS)}."]})
    try:
        token, value = services.token_rotate(token=token, grace=GRACE_DURATIONS[grace], request=request)
    except ValidationError as error:
        raise ApiError("E0000001", "token", error.messages) from error
    response = OktaJsonResponse(
        {
            "apiToken": token.to_okta(request),
            "value": value,
            "previousValueValidUntil": okta_time(token.previous_valid_until),
        }
    )
    response["Cache-Control"] = "no-store"
    return response


class _AfterResponse(OktaJsonResponse):
    """A response whose work runs when the server closes it, after the body has gone to the client, so the time
    the client waits does not depend on what the work found (docs/decisions/31)."""

    def __init__(self, data, work, **kwargs):
        super().__init__(data, **kwargs)
        self._work = work

    def close(self):
        try:
            self._work()
        except Exception:  # never the values: only that the work failed
            log.exception("leaked-token report could not be processed")
        finally:
            super().close()


@api_view(["POST"], authenticated=False)
def api_tokens_leaked(request: ApiRequest) -> HttpResponse:
    """Token values found in the wild, from anyone: every well-formed value that is valid is revoked (or, for a
    rotated-away value, its grace ends). The answer is the same whatever was found."""
    usage = get_usage(
        request,
        group=LEAK_REPORT_GROUP,
        key=lambda group, r: client_ip(r) or "unknown",
        rate=settings.LEAK_REPORTS_PER_MINUTE,
        increment=True,
    )
    if usage is None or usage["limit"] == 0 or usage["should_limit"]:  # fails closed, like unauthenticated traffic
        raise ApiError("E0000047")
    body = parse_json_body(request)
    candidates = body.get("credentials")
    if (
        not isinstance(candidates, list)
        or not 1 <= len(candidates) <= settings.LEAK_REPORT_MAX_VALUES
        or not all(isinstance(value, str) for value in candidates)
    ):
        raise validation_error(
            {"credentials": [f"A list of 1 to {settings.LEAK_REPORT_MAX_VALUES:,} token values (strings)."]}
        )
    return _AfterResponse(
        {"received": len(candidates)},
        lambda: services.tokens_report_leaked(candidates=candidates, request=request),
        status=202,
    )
