"""`api_view`: what every /api/v1 view needs before its own code runs.

- methods: anything else is 405 E0000022 with an `Allow` header;
- authentication: an SSWS token (tokens.middleware) or a console session;
  nobody is 401 E0000011;
- CSRF: SSWS requests are exempt (no ambient credential), session requests
  that change state are checked like console forms;
- `ApiError` raised anywhere inside becomes Okta's error body.
Permissions are checked inside the view (accounts.permissions.require)."""

from collections.abc import Callable, Iterable
from functools import wraps

from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import CsrfViewMiddleware
from django.views.decorators.csrf import csrf_exempt

from api.errors import ApiError, json_error

SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}
_csrf = CsrfViewMiddleware(lambda request: HttpResponse())


def api_view(methods: Iterable[str], *, authenticated: bool = True) -> Callable:
    allowed = [m.upper() for m in methods]
    if "GET" in allowed and "HEAD" not in allowed:
        allowed.append("HEAD")

    def decorate(view: Callable) -> Callable:
        @csrf_exempt
        @wraps(view)
        def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            if request.method not in allowed:
                response = json_error("E0000022")
                response["Allow"] = ", ".join(allowed)
                return response
            if authenticated and not request.user.is_authenticated:
                return json_error("E0000011")
            if (
                authenticated
                and getattr(request, "api_token", None) is None
                and request.method not in SAFE_METHODS
                and _csrf.process_view(request, None, (), {}) is not None
            ):
                return json_error("E0000006")
            try:
                return view(request, *args, **kwargs)
            except ApiError as error:
                return error.response()

        return wrapper

    return decorate
