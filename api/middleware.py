"""The first step of every request: a request id, and Okta error JSON for
anything under /api/ that would otherwise answer with an HTML page. Also what
any layer may ask of a request: is it an API call, and its client IP."""

import logging
import re

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import InterfaceError, OperationalError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest, HttpResponseNotFound, JsonResponse
from django.template.loader import render_to_string
from django.utils.http import http_date

from api.errors import ApiError, json_error, unavailable
from api.ids import new_request_id

log = logging.getLogger("warden.api")

API_PREFIX = "/api/"
CONTROL_CHARACTERS = re.compile(r"[\x00-\x1f\x7f]")

# What a non-JSON error under /api/ becomes (Django's own 404/405/403 pages).
STATUS_TO_CODE = {400: "E0000003", 401: "E0000011", 403: "E0000006", 404: "E0000008", 405: "E0000022"}


# The org authorization server's paths (docs/decisions/24): OAuth error bodies, not Okta's or a page.
OAUTH_PREFIXES = ("/oauth2/", "/.well-known/")


def is_api(request: HttpRequest) -> bool:
    return request.path_info.startswith(API_PREFIX)


def client_ip(request: HttpRequest) -> str:
    """The request's client IP: what zones.middleware.ClientIP decided (trusted proxies and
    all, docs/architecture.md pipeline step 1), or the TCP peer where that step did not run. Every
    layer reads it here, so none needs to import `zones` for it."""
    return getattr(request, "client_ip", None) or request.META.get("REMOTE_ADDR", "")


def database_unavailable(exception: BaseException | None) -> bool:
    """The database could not answer: down, restarting, hung past its timeout (docs/decisions/21)."""
    return isinstance(exception, (OperationalError, InterfaceError))


def unavailable_response(request: HttpRequest) -> HttpResponse:
    """503 the clients retry: Okta JSON (E0000010) under /api/, a short page elsewhere, both with Retry-After."""
    retry = settings.UNAVAILABLE_RETRY_SECONDS
    if is_api(request):
        return unavailable(retry)
    if request.path_info.startswith(OAUTH_PREFIXES):  # OAuth clients read `error` (RFC 6749 section 5.2)
        response = JsonResponse(
            {"error": "temporarily_unavailable", "error_description": "The service is unavailable. Try again."},
            status=503,
        )
        response["Retry-After"], response["Date"], response["Cache-Control"] = str(retry), http_date(), "no-store"
        return response
    response = HttpResponse("<h1>Temporarily unavailable</h1><p>Try again in a moment.</p>", status=503)
    response["Retry-After"], response["Date"] = str(retry), http_date()
    return response


class RequestContext:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.okta_request_id = new_request_id()
        refusal = self.refuse_control_characters(request)
        if refusal is not None:
            refusal["X-Okta-Request-Id"] = request.okta_request_id
            refusal.setdefault("Cache-Control", "no-store")
            return refusal
        if is_api(request) and len(request.path_info) > len(API_PREFIX) and request.path_info.endswith("/"):
            # A trailing slash answers like the bare path (real Okta does this).
            request.path_info = request.path_info.rstrip("/")
        response = self.get_response(request)
        if is_api(request):
            response = self.as_okta_error(response)
        # Console pages show tokens, people and the System Log: no shared or browser cache keeps them
        # (issue 16.8). Static files never come here (WhiteNoise answers them first, with their own).
        response.setdefault("Cache-Control", "no-store")
        response["X-Okta-Request-Id"] = request.okta_request_id
        return response

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if database_unavailable(exception):
            log.warning("database unavailable in %s %s: %s", request.method, request.path_info, exception)
            return unavailable_response(request)
        if not is_api(request):
            return None
        if isinstance(exception, ApiError):
            return exception.response()
        if isinstance(exception, PermissionDenied):
            return json_error("E0000006")
        if isinstance(exception, Http404):
            return json_error("E0000008")
        log.exception("unhandled error in %s %s", request.method, request.path_info)
        return json_error("E0000009")

    @staticmethod
    def refuse_control_characters(request: HttpRequest) -> HttpResponse | None:
        """No id, and no query parameter of any list (q, after, filter, dates...), has a use for a
        control character, and PostgreSQL refuses a NUL in a query outright (a 500 before this
        check, issue 16.7). A path is refused as not found (404), a parameter as invalid (400)."""
        if CONTROL_CHARACTERS.search(request.path_info):
            if is_api(request):
                return json_error("E0000008")
            page = {"title": "Not found", "message": "There is nothing at this address."}
            return HttpResponseNotFound(render_to_string("refused.html", page))
        for name, values in request.GET.lists():
            if CONTROL_CHARACTERS.search(name) or any(CONTROL_CHARACTERS.search(v) for v in values):
                shown = CONTROL_CHARACTERS.sub("?", name)[:100]
                if is_api(request):
                    cause = f"{shown}: must not contain control characters"
                    return json_error("E0000001", summary=f"Api validation failed: {shown}", causes=[cause])
                page = {"title": "Bad request", "message": "A query parameter contains a control character."}
                return HttpResponseBadRequest(render_to_string("refused.html", page))
        return None

    @staticmethod
    def as_okta_error(response: HttpResponse) -> HttpResponse:
        if response.status_code < 400 or response.get("Content-Type", "").startswith("application/json"):
            return response
        code = STATUS_TO_CODE.get(response.status_code, "E0000009")
        replacement = json_error(code, status=response.status_code if response.status_code != 400 else 400)
        if response.status_code == 405 and response.has_header("Allow"):
            replacement["Allow"] = response["Allow"]
        return replacement
