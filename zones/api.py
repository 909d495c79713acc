"""/api/v1/zones exactly as docs/okta-contract.md §3: list (filter on id/usage/system,
after, limit), create (200, always ACTIVE), get, replace (full, read-only
fields ignored), delete (204), lifecycle activate/deactivate (200 + zone)."""

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse

from accounts.permissions import Perm, require
from api.bodies import parse_json_body
from api.decorators import api_view
from api.errors import ApiError, form_error, not_found
from api.http import OktaJsonResponse
from api.middleware import client_ip
from api.pagination import paginate
from zones import services
from zones.filters import parse_filter
from zones.forms import InvalidZone, values_from_body
from zones.kinds import ZoneValues
from zones.models import NetworkZone


def _zone(zone_id: str) -> NetworkZone:
    zone = NetworkZone.objects.filter(pk=zone_id).first()
    if zone is None:
        raise not_found(zone_id, "NetworkZone")
    return zone


def _valid_values(request: HttpRequest, zone: NetworkZone | None = None) -> ZoneValues:
    try:
        return values_from_body(parse_json_body(request), instance=zone, client_ip=client_ip(request))
    except InvalidZone as invalid:
        raise form_error(invalid.form) from invalid


def _refused(error: ValidationError) -> ApiError:
    """A rule the request broke (delete refusals, lock-out guard): 400 E0000001, one cause each."""
    return ApiError("E0000001", "zone", error.messages)


@api_view(["GET", "POST"])
def api_zones_collection(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        require(request, Perm.ZONE_MANAGE)
        zone = services.zone_create(values=_valid_values(request), request=request)
        return OktaJsonResponse(zone.to_okta(request))
    require(request, Perm.ZONE_VIEW)
    zones = NetworkZone.objects.filter(parse_filter(request.GET.get("filter")))
    if "limit" not in request.GET:  # real Okta's self link says limit=20 even when the client sent none
        request.GET = request.GET.copy()
        request.GET["limit"] = "20"
    # Okta's spec gives `limit` a default of -1, "everything" (docs/okta-contract.md §3).
    return paginate(request, zones, lambda zone: zone.to_okta(request), minus_one_means_all=True)


@api_view(["GET", "PUT", "DELETE"])
def api_zone_item(request: HttpRequest, zone_id: str) -> HttpResponse:
    if request.method == "GET":
        require(request, Perm.ZONE_VIEW)
        return OktaJsonResponse(_zone(zone_id).to_okta(request))
    require(request, Perm.ZONE_MANAGE)
    zone = _zone(zone_id)
    if request.method == "DELETE":
        try:
            services.zone_delete(zone=zone, request=request)
        except ValidationError as error:
            raise _refused(error) from error
        return HttpResponse(status=204)
    zone = services.zone_update(zone=zone, values=_valid_values(request, zone), request=request)
    return OktaJsonResponse(zone.to_okta(request))


def _lifecycle(request: HttpRequest, zone_id: str, action) -> HttpResponse:
    require(request, Perm.ZONE_MANAGE)
    try:
        zone = action(zone=_zone(zone_id), request=request)
    except ValidationError as error:
        raise _refused(error) from error
    return OktaJsonResponse(zone.to_okta(request))


@api_view(["POST"])
def api_zone_activate(request: HttpRequest, zone_id: str) -> HttpResponse:
    return _lifecycle(request, zone_id, services.zone_activate)


@api_view(["POST"])
def api_zone_deactivate(request: HttpRequest, zone_id: str) -> HttpResponse:
    return _lifecycle(request, zone_id, services.zone_deactivate)
