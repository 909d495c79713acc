"""Security › Networks: the zone list, create/edit, lifecycle, delete and the "test an IP" box."""

import ipaddress

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.decorators import console_view
from accounts.permissions import Perm, has_perm
from zones import matching, services
from zones.entries import contains, parse_many
from zones.forms import ZoneForm
from zones.models import NetworkZone, ZoneType


def _client_ip(request: HttpRequest) -> str:
    return getattr(request, "client_ip", None) or request.META.get("REMOTE_ADDR", "")


def _test_ip(request: HttpRequest) -> dict:
    """What the "test an IP" box shows: every zone whose entries hold the address (any status,
    any usage, read from the database so inactive zones show too) and what the live index says."""
    raw = request.GET.get("ip", "").strip()
    result = {"ip": raw, "client_ip": _client_ip(request), "forwarded_for": request.META.get("HTTP_X_FORWARDED_FOR"),
              "remote_addr": request.META.get("REMOTE_ADDR")}  # fmt: skip
    if not raw:
        return result
    try:
        address = ipaddress.ip_address(raw)
    except ValueError:
        result["error"] = f"{raw!r} is not an IPv4 or IPv6 address."
        return result
    matches = []
    for zone in NetworkZone.objects.filter(type=ZoneType.IP).order_by("name"):
        as_gateway = contains(parse_many(zone.gateways), address)
        as_proxy = contains(parse_many(zone.proxies), address)
        if as_gateway or as_proxy:
            matches.append({"zone": zone, "gateway": as_gateway, "proxy": as_proxy})
    result.update(
        matches=matches,
        blocklisted=matching.is_blocklisted(raw),
        trusted_proxy=matching.is_trusted_proxy(raw),
    )
    return result


@require_GET
@console_view(Perm.ZONE_VIEW)
def zone_list(request: HttpRequest) -> HttpResponse:
    context = {"test": _test_ip(request)}
    template = "zones/zone_list.html"
    if request.htmx and not request.htmx.boosted:
        return render(request, template + "#test-ip-result", context)
    context.update(
        zones=NetworkZone.objects.with_token_counts().order_by("-system", "name"),
        can_manage=has_perm(request.user, Perm.ZONE_MANAGE),
    )
    return render(request, template, context)


def _save(request: HttpRequest, zone: NetworkZone | None) -> HttpResponse:
    form = ZoneForm(request.POST or None, instance=zone, client_ip=_client_ip(request))
    if zone is None:  # enhanced dynamic zones are made through the API; the console offers IP and dynamic
        form.fields["type"].choices = [(ZoneType.IP, "IP"), (ZoneType.DYNAMIC, "Dynamic")]
        form.fields["type"].widget.attrs["data-zone-type-select"] = ""
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if zone is None:
            zone = services.zone_create(data=data, request=request, warnings=form.warnings)
            messages.success(request, f"Zone {zone.name} was created.")
        else:
            data = {**data, "status": zone.status}  # the console changes status with its own buttons
            zone = services.zone_update(zone=zone, data=data, request=request, warnings=form.warnings)
            messages.success(request, f"Zone {zone.name} was saved.")
        for warning in form.warnings:
            messages.warning(request, f"Saved, but note: {warning}")
        return redirect("zones:list")
    return render(request, "zones/zone_form.html", {"form": form, "zone": zone})


@require_http_methods(["GET", "POST"])
@console_view(Perm.ZONE_MANAGE)
def zone_create(request: HttpRequest) -> HttpResponse:
    return _save(request, None)


@require_http_methods(["GET", "POST"])
@console_view(Perm.ZONE_MANAGE)
def zone_edit(request: HttpRequest, zone_id: str) -> HttpResponse:
    return _save(request, get_object_or_404(NetworkZone, pk=zone_id))


def _act(request: HttpRequest, zone_id: str, action, done: str) -> HttpResponse:
    zone = get_object_or_404(NetworkZone, pk=zone_id)
    try:
        action(zone=zone, request=request)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, f"{zone.name}: {message}")
    else:
        messages.success(request, f"Zone {zone.name} was {done}.")
    return redirect("zones:list")


@require_POST
@console_view(Perm.ZONE_MANAGE)
def zone_activate(request: HttpRequest, zone_id: str) -> HttpResponse:
    return _act(request, zone_id, services.zone_activate, "activated")


@require_POST
@console_view(Perm.ZONE_MANAGE)
def zone_deactivate(request: HttpRequest, zone_id: str) -> HttpResponse:
    return _act(request, zone_id, services.zone_deactivate, "deactivated")


@require_POST
@console_view(Perm.ZONE_MANAGE)
def zone_delete(request: HttpRequest, zone_id: str) -> HttpResponse:
    return _act(request, zone_id, services.zone_delete, "deleted")
