"""/api/v1/api-tokens (docs/okta-contract.md §2). No endpoint creates tokens: Okta makes
them only in the console, and so does Warden."""

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import HttpResponse

from accounts.permissions import Perm, require, require_scope
from api.bodies import parse_json_body
from api.decorators import api_view
from api.errors import ApiError, not_found, validation_error
from api.http import ApiRequest, OktaJsonResponse
from api.pagination import paginate
from tokens import services
from tokens.access import may_manage, visible_tokens
from tokens.models import ApiToken


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
