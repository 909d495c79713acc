"""Security › Networks: the zone list, create/edit, lifecycle, delete and the "test an IP" box."""

import ipaddress
from dataclasses import replace

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.decorators import console_view
from accounts.permissions import Perm, has_perm
from api.middleware import client_ip
from zones import matching, services
from zones.entries import contains, parse_many
from zones.forms import ZoneForm
from zones.kinds import KINDS
from zones.models import NetworkZone


def _test_ip(request: HttpRequest) -> dict:
    """What the "test an IP" box shows: every zone whose entries hold the address (any status,
    any usage, read from the database so inactive zones show too) and what the live index says."""
    raw = request.GET.get("ip", "").strip()
    result = {
        "ip": raw,
        "client_ip": client_ip(request),
        "forwarded_for": request.META.get("HTTP_X_FORWARDED_FOR"),
        "remote_addr": request.META.get("REMOTE_ADDR"),
    }
    if not raw:
        return result
    try:
        address = ipaddress.ip_address(raw)
    except ValueError:
        result["error"] = f"“{raw}” is not an IPv4 or IPv6 address."
        return result
    matches = []
    for zone in NetworkZone.objects.with_addresses().order_by("name"):
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
    zones = list(NetworkZone.objects.with_token_counts().order_by("-system", "name"))
    for zone in zones:  # what a deactivation confirmation names: the tokens that use the zone
        zone.token_names = [str(link) for link in zone.tokens_using()] if zone.token_count else []
    context.update(zones=zones, can_manage=has_perm(request.user, Perm.ZONE_MANAGE))
    return render(request, template, context)


def _save(request: HttpRequest, zone: NetworkZone | None) -> HttpResponse:
    form = ZoneForm(request.POST or None, instance=zone, client_ip=client_ip(request))
    if zone is None:  # the console offers the kinds it can edit (not enhanced dynamic: made through the API)
        kinds = [kind for kind in KINDS.values() if kind.in_console]
        form.fields["type"].choices = [(kind.type, kind.label) for kind in kinds]
        form.fields["type"].widget.attrs["data-zone-type-select"] = ""
    else:
        kinds = [zone.kind]
    if request.method == "POST" and form.is_valid():
        values = form.values()
        if zone is None:
            zone = services.zone_create(values=values, request=request)
            messages.success(request, f"Zone {zone.name} was created.")
        else:
            values = replace(values, status=zone.status)  # the console changes status with its own buttons
            zone = services.zone_update(zone=zone, values=values, request=request)
            messages.success(request, f"Zone {zone.name} was saved.")
        for warning in values.warnings:
            messages.warning(request, f"Saved, but note: {warning}")
        return redirect("zones:list")
    context = {"form": form, "zone": zone, "fieldsets": form.fieldsets(kinds)}
    return render(request, "zones/zone_form.html", context)


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
