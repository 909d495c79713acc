"""Warden's own error pages in every mode. With DEBUG (`make run`) Django answers a missing page or a crash
with its technical pages, written for a developer reading a traceback; an administrator who mistyped an
address should see the console's page either way. The traceback still reaches the server log."""

import logging

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse

from api.middleware import is_api
from api.views import not_found, server_error

log = logging.getLogger("django.request")


class OwnErrorPages:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if settings.DEBUG and response.status_code == 404 and not is_api(request) and _is_technical(response):
            return not_found(request)
        return response

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not settings.DEBUG or is_api(request) or isinstance(exception, Http404 | PermissionDenied):
            return None  # Django's own handling (handler404/handler403) already gives Warden's pages
        log.exception("unhandled error in %s %s", request.method, request.path)
        return server_error(request)


def _is_technical(response: HttpResponse) -> bool:
    """Django's DEBUG 404 page, as opposed to a 404 Warden wrote itself."""
    return not getattr(response, "streaming", False) and b"seeing this error because you have" in response.content
