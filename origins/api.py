"""/api/v1/trustedOrigins exactly as docs/okta-contract.md §4: list (q, filter, after,
limit), create (200), get, replace (full; status follows the body), delete
(204), lifecycle activate/deactivate (200 + the origin)."""

from django.http import HttpResponse

from accounts.permissions import Perm, require
from api.bodies import parse_json_body
from api.decorators import api_view
from api.errors import ApiError, form_error, not_found
from api.http import ApiRequest, OktaJsonResponse
from api.pagination import paginate
from origins import services
from origins.filters import parse_filter, parse_q
from origins.forms import TrustedOriginForm, form_data_from_body
from origins.models import TrustedOrigin


def _origin(origin_id: str) -> TrustedOrigin:
    origin = TrustedOrigin.objects.filter(pk=origin_id).first()
    if origin is None:
        raise not_found(origin_id, "TrustedOrigin")
    return origin


def _valid_form(request: ApiRequest, origin: TrustedOrigin | None = None) -> TrustedOriginForm:
    form = TrustedOriginForm(form_data_from_body(parse_json_body(request)), instance=origin, json=True)
    if not form.is_valid():
        raise form_error(form)
    return form


@api_view(["GET", "POST"])
def api_origins_collection(request: ApiRequest) -> HttpResponse:
    if request.method == "POST":
        require(request, Perm.ORIGIN_MANAGE)
        origin = services.origin_create(data=_valid_form(request).cleaned_data, request=request)
        return OktaJsonResponse(origin.to_okta(request))
    require(request, Perm.ORIGIN_VIEW)
    if request.GET.get("q") and request.GET.get("filter"):
        raise ApiError("E0000033")
    origins = TrustedOrigin.objects.filter(parse_q(request.GET.get("q"))).filter(
        parse_filter(request.GET.get("filter"))
    )
    return paginate(request, origins, lambda origin: origin.to_okta(request))


@api_view(["GET", "PUT", "DELETE"])
def api_origin_item(request: ApiRequest, origin_id: str) -> HttpResponse:
    if request.method == "GET":
        require(request, Perm.ORIGIN_VIEW)
        return OktaJsonResponse(_origin(origin_id).to_okta(request))
    require(request, Perm.ORIGIN_MANAGE)
    origin = _origin(origin_id)
    if request.method == "DELETE":
        services.origin_delete(origin=origin, request=request)
        return HttpResponse(status=204)
    form = _valid_form(request, origin)
    origin = services.origin_update(origin=origin, data=form.cleaned_data, request=request)
    return OktaJsonResponse(origin.to_okta(request))


@api_view(["POST"])
def api_origin_activate(request: ApiRequest, origin_id: str) -> HttpResponse:
    require(request, Perm.ORIGIN_MANAGE)
    return OktaJsonResponse(services.origin_activate(origin=_origin(origin_id), request=request).to_okta(request))


@api_view(["POST"])
def api_origin_deactivate(request: ApiRequest, origin_id: str) -> HttpResponse:
    require(request, Perm.ORIGIN_MANAGE)
    return OktaJsonResponse(services.origin_deactivate(origin=_origin(origin_id), request=request).to_okta(request))
