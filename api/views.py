"""Views that belong to no app: the load-balancer probe and error handlers
that answer in Okta JSON under /api/ and with a plain page elsewhere."""

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.template import loader
from django.views.decorators.http import require_GET

from api.errors import json_error
from api.middleware import is_api


@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """docs/decisions/17: touches neither database nor cache; the pipeline skips it."""
    return JsonResponse({"status": "ok"})


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
    if is_api(request):
        return json_error("E0000009")
    # No context processors: whatever failed (the database, the session) must not fail this page too.
    return HttpResponse(loader.render_to_string("500.html"), status=500)
