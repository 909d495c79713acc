"""Views that belong to no app: the load-balancer probe and error handlers
that answer in Okta JSON under /api/ and with a plain page elsewhere."""

import sys

from django.core.cache import cache
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.template import loader
from django.views.decorators.http import require_GET

from api.errors import json_error
from api.middleware import database_unavailable, is_api, unavailable_response


@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """docs/decisions/17: touches neither database nor cache; the pipeline skips it. It answers while the
    database hangs (every wait on it is bounded, docs/decisions/21): the process is alive."""
    return JsonResponse({"status": "ok"})


@require_GET
def readyz(request: HttpRequest) -> JsonResponse:
    """Readiness (docs/decisions/17, 20): 503 while the database cannot answer (within its bounded timeouts),
    so a load balancer stops sending traffic here. Redis is reported but does not make the process unready:
    every Redis-backed step has a fallback."""
    checks = {"database": "ok", "cache": "ok"}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception:
        checks["database"] = "unavailable"
    try:
        cache.get("readyz")
    except Exception:  # django-redis raises ConnectionInterrupted (the breaker answers at once)
        checks["cache"] = "unavailable"
    ready = checks["database"] == "ok"
    return JsonResponse({"status": "ready" if ready else "not ready", **checks}, status=200 if ready else 503)


@require_GET
def openapi(request: HttpRequest) -> JsonResponse:
    """Warden's OpenAPI 3.0.3 document (public, like any published API description)."""
    from api.openapi import warden_openapi

    return JsonResponse(warden_openapi())


def _page(request: HttpRequest, status: int, title: str, message: str) -> HttpResponse:
    return render(request, "error.html", {"title": title, "message": message}, status=status)


def bad_request(request: HttpRequest, exception=None) -> HttpResponse:
    if is_api(request):
        return json_error("E0000003")
    return _page(request, 400, "Bad request", "The request could not be understood.")


def forbidden(request: HttpRequest, exception=None) -> HttpResponse:
    if is_api(request):
        return json_error("E0000006")
    return _page(request, 403, "Not allowed", "Your role does not allow this page or action.")


def not_found(request: HttpRequest, exception=None) -> HttpResponse:
    if is_api(request):
        return json_error("E0000008")
    return _page(request, 404, "Not found", "There is nothing at this address.")


def server_error(request: HttpRequest) -> HttpResponse:
    # Django calls this inside its `except` for anything a middleware raised, so the exception is at hand.
    if database_unavailable(sys.exc_info()[1]):
        return unavailable_response(request)
    if is_api(request):
        return json_error("E0000009")
    # No context processors: whatever failed (the database, the session) must not fail this page too.
    return HttpResponse(loader.render_to_string("500.html"), status=500)
