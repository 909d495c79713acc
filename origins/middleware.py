"""Pipeline step 3b, right after django-cors-headers (docs/decisions/14).

django-cors-headers answers CORS for /api/v1/ through its
`check_request_enabled` signal (`cors_allowed` below) from the ACTIVE CORS
origins; this middleware refuses what CORS must never carry:

- a cross-origin request carrying `Authorization: SSWS ...`: an API token
  belongs in server code, never in a web page, so it gets 403 E0000006 and
  no CORS headers (the page cannot even read the refusal);
- a cross-origin session request that is not GET or HEAD: the console's
  session may read from trusted pages but never change anything from them.

Preflights never reach here (CorsMiddleware answers them) and never allow the
`Authorization` header (settings.CORS_ALLOW_HEADERS), so a browser does not
send an SSWS token cross-origin in the first place; this is the second line."""

import re

from django.conf import settings
from django.http import HttpRequest, HttpResponse

from api.errors import json_error
from origins import lists

READ_METHODS = {"GET", "HEAD", "OPTIONS"}


def _is_cors_path(request: HttpRequest) -> bool:
    return bool(re.match(settings.CORS_URLS_REGEX, request.path_info))


def own_origin(request: HttpRequest) -> str:
    return f"{request.scheme}://{request.get_host()}".lower()


def cross_origin(request: HttpRequest) -> str | None:
    """The request's `Origin` when it names another origin than Warden's own."""
    origin = request.headers.get("Origin")
    if not origin:
        return None
    try:
        mine = own_origin(request)
    except Exception:  # DisallowedHost: CommonMiddleware answers that later
        return origin
    return origin if origin.lower() != mine else None


class CrossOriginGuard:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if _is_cors_path(request) and cross_origin(request):
            authorization = request.headers.get("Authorization", "")
            if authorization.lstrip()[:4].upper() == "SSWS" or request.method not in READ_METHODS:
                request.origins_refused = True  # cors_allowed() answers no: no CORS headers on the refusal
                return json_error("E0000006")
        return self.get_response(request)


def cors_allowed(sender, request: HttpRequest, **kwargs) -> bool:
    """django-cors-headers' `check_request_enabled`: allow an exact ACTIVE CORS origin on /api/v1/."""
    if getattr(request, "origins_refused", False) or not _is_cors_path(request):
        return False
    origin = request.headers.get("Origin")
    return bool(origin) and lists.is_cors_origin(origin)
