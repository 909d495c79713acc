"""Security › API › Trusted Origins: list, add, edit, activate/deactivate, delete."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_htmx.http import trigger_client_event

from accounts.decorators import console_view
from accounts.permissions import Perm, has_perm
from origins import services
from origins.forms import TrustedOriginForm
from origins.models import TrustedOrigin


def _list_context(request: HttpRequest) -> dict:
    return {"origins": TrustedOrigin.objects.order_by("name"), "can_manage": has_perm(request.user, Perm.ORIGIN_MANAGE)}


@require_GET
@console_view(Perm.ORIGIN_VIEW)
def origin_list(request: HttpRequest) -> HttpResponse:
    return render(request, "origins/origin_list.html", _list_context(request))


def _save(request: HttpRequest, origin: TrustedOrigin | None) -> HttpResponse:
    form = TrustedOriginForm(request.POST or None, instance=origin)
    if request.method == "POST" and form.is_valid():
        if origin is None:
            origin = services.origin_create(data=form.cleaned_data, request=request)
            messages.success(request, f"Trusted origin {origin.name} was added.")
        else:
            origin = services.origin_update(origin=origin, data=form.cleaned_data, request=request)
            messages.success(request, f"Trusted origin {origin.name} was saved.")
        return redirect("origins:list")
    status = 400 if request.method == "POST" else 200
    return render(request, "origins/origin_form.html", {"form": form, "origin": origin}, status=status)


@require_http_methods(["GET", "POST"])
@console_view(Perm.ORIGIN_MANAGE)
def origin_create(request: HttpRequest) -> HttpResponse:
    return _save(request, None)


@require_http_methods(["GET", "POST"])
@console_view(Perm.ORIGIN_MANAGE)
def origin_edit(request: HttpRequest, origin_id: str) -> HttpResponse:
    return _save(request, get_object_or_404(TrustedOrigin, pk=origin_id))


def _act(request: HttpRequest, origin_id: str, action, done: str) -> HttpResponse:
    origin = get_object_or_404(TrustedOrigin, pk=origin_id)
    name = origin.name
    result = action(origin=origin, request=request)
    if request.htmx and result is not None:  # activate/deactivate swap just the row; a toast says what happened
        response = render(request, "origins/origin_list.html#origin-row", {"origin": result, "can_manage": True})
        return trigger_client_event(response, "warden:toast", {"message": f"Trusted origin {name} was {done}."})
    messages.success(request, f"Trusted origin {name} was {done}.")
    return redirect("origins:list")


@require_POST
@console_view(Perm.ORIGIN_MANAGE)
def origin_activate(request: HttpRequest, origin_id: str) -> HttpResponse:
    return _act(request, origin_id, services.origin_activate, "activated")


@require_POST
@console_view(Perm.ORIGIN_MANAGE)
def origin_deactivate(request: HttpRequest, origin_id: str) -> HttpResponse:
    return _act(request, origin_id, services.origin_deactivate, "deactivated")


@require_POST
@console_view(Perm.ORIGIN_MANAGE)
def origin_delete(request: HttpRequest, origin_id: str) -> HttpResponse:
    return _act(request, origin_id, services.origin_delete, "deleted")
