"""Pipeline steps 1 and 2: the client IP and the blocklist (docs/architecture.md).

Both answer from the per-process zone index (zones/matching.py): no database
query, and at most one cache read per process per ZONE_INDEX_CHECK_SECONDS."""

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string

from api.errors import json_error
from api.middleware import is_api
from syslog.events import record_refusal
from syslog.outcomes import Outcome
from zones import matching
from zones.client_ip import UnparsableForwardedFor, resolve_client_ip

SKIP_PATHS = ("/healthz", "/readyz")  # docs/decisions/17: no pipeline (readyz reads the database itself)
UNPARSABLE = "X-Forwarded-For: a trusted proxy sent a hop that is not an IP address"


class ClientIP:
    """Sets `request.client_ip` (REMOTE_ADDR, then X-Forwarded-For walked right to left
    through trusted proxies only) and `request.client_zone_name` (System Log client.zone)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path_info in SKIP_PATHS:
            return self.get_response(request)
        try:
            ip = resolve_client_ip(
                request.META.get("REMOTE_ADDR", ""), request.META.get("HTTP_X_FORWARDED_FOR"), matching.is_trusted_proxy
            )
        except UnparsableForwardedFor:
            return refuse_unparsable_forwarded_for(request)
        request.client_ip = ip
        request.client_zone_name = matching.zone_name_for(ip)
        request.META[settings.RATELIMIT_IP_META_KEY] = ip  # django-ratelimit's key="ip" reads it
        return self.get_response(request)


def refuse_unparsable_forwarded_for(request: HttpRequest) -> HttpResponse:
    """A trusted proxy sent a hop that is no address: nobody can say who the client is (issue 16.5)."""
    if is_api(request):
        return json_error("E0000001", summary="Api validation failed: X-Forwarded-For", causes=[UNPARSABLE])
    return HttpResponse(render_to_string("zones/bad_forwarded_for.html"), status=400)


class Blocklist:
    """Refuses every request from an ACTIVE BLOCKLIST zone's gateways: console, sign-in and
    API alike. Okta's 403 E0000006 under /api/, a plain page elsewhere; recorded at most
    once per IP per minute (docs/decisions/10)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        ip = getattr(request, "client_ip", None)
        if request.path_info in SKIP_PATHS or not ip or not matching.is_blocklisted(ip):
            return self.get_response(request)
        record_refusal(
            "blocklist",
            ip,
            "security.request.blocked",
            request=request,
            outcome=Outcome.DENY,
            reason="Client IP address is in a blocklist network zone",
        )
        if is_api(request):
            return json_error("E0000006")
        return HttpResponse(render_to_string("zones/blocked.html"), status=403)
