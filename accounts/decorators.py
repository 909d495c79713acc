"""Console view guards: signed in, an admin, and holding the permission."""

from collections.abc import Callable
from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse

from accounts.permissions import Perm, has_perm


def console_view(perm: Perm | None = None) -> Callable:
    """Anonymous -> sign-in page; non-admins and missing permission -> 403."""

    def decorate(view: Callable) -> Callable:
        @wraps(view)
        def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not request.user.is_admin:
                raise PermissionDenied("Only administrators may use the console.")
            if perm is not None and not has_perm(request.user, perm):
                raise PermissionDenied(perm.name)
            return view(request, *args, **kwargs)

        return wrapper

    return decorate
