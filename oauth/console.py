"""The console's Applications pages (Okta's "API Services" integrations): list, create, and one app's detail
with its General (client credentials, keys, DPoP), Okta API Scopes and Admin roles tabs. Every change goes
through oauth/services.py; a generated private key is shown once, on the page that answers the POST, and kept
nowhere. Full-page actions with Django messages (docs/decisions/23); destructive ones are confirmed."""

from pathlib import Path

import markdown
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.decorators import console_view
from accounts.permissions import Perm, has_perm
from accounts.roles import RoleType
from oauth import forms, services
from oauth.models import AppKey, ServiceApp
from oauth.scopes import SCOPES

GUIDE = Path(settings.BASE_DIR) / "docs" / "oauth.md"
TABS = {"general": "General", "scopes": "Okta API Scopes", "roles": "Admin roles"}


@require_GET
@console_view(Perm.APP_VIEW)
def app_list(request: HttpRequest) -> HttpResponse:
    apps = ServiceApp.objects.prefetch_related("scope_grants", "keys")
    can_manage = has_perm(request.user, Perm.APP_MANAGE)
    return render(request, "oauth/app_list.html", {"apps": apps, "can_manage": can_manage})


@require_http_methods(["GET", "POST"])
@console_view(Perm.APP_MANAGE)
def app_create(request: HttpRequest) -> HttpResponse:
    form = forms.AppForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            app = services.app_create(**form.cleaned_data, request=request, actor=request.user)
        except ValidationError as error:
            form.add_error("name", error.message_dict.get("name", error.messages))
        else:
            messages.success(request, f"Service app {app.name} was created. Add a public key, then grant scopes.")
            return redirect("oauth:app", app_id=app.id)
    return render(request, "oauth/app_create.html", {"form": form})


def _detail(request: HttpRequest, app: ServiceApp, *, tab: str = "general", status: int = 200, **extra):
    granted = set(app.scope_grants.values_list("scope", flat=True))
    roles = set(app.roles.values_list("role_type", flat=True))
    context = {
        "app": app,
        "tab": tab,
        "tabs": TABS,
        "keys": list(app.keys.all()),
        "scopes": [(scope, label, scope in granted) for scope, label in sorted(SCOPES.items())],
        "roles": [(value, label, value in roles) for value, label in RoleType.choices],
        "can_manage": has_perm(request.user, Perm.APP_MANAGE),
        "key_form": extra.pop("key_form", None) or forms.KeyForm(),
        "token_url": settings.ORG_URL + "/oauth2/v1/token",
        **extra,
    }
    return render(request, "oauth/app_detail.html", context, status=status)


@require_GET
@console_view(Perm.APP_VIEW)
def app_detail(request: HttpRequest, app_id: str) -> HttpResponse:
    app = get_object_or_404(ServiceApp, pk=app_id)
    tab = request.GET.get("tab", "general")
    if tab not in TABS:
        raise Http404("no such tab")
    return _detail(request, app, tab=tab)


def _key(app: ServiceApp, request: HttpRequest) -> AppKey:
    form = forms.KeyChoiceForm(request.POST)
    if not form.is_valid():
        raise ValidationError("Choose a key.")
    return get_object_or_404(AppKey, pk=form.cleaned_data["key_id"], app=app)


def _choice(form_class, request: HttpRequest, field: str) -> str:
    form = form_class(request.POST)
    if not form.is_valid():
        raise ValidationError(form.errors.get(field, ["Choose a value."])[0])
    return form.cleaned_data[field]


ACTIONS = {
    "activate": ("general", lambda app, r, who: services.app_activate(app=app, request=r, actor=who), "activated"),
    "deactivate": (
        "general",
        lambda app, r, who: services.app_deactivate(app=app, request=r, actor=who),
        "deactivated; its access tokens no longer work",
    ),
    "dpop": (
        "general",
        lambda app, r, who: services.app_update(
            app=app, require_dpop=r.POST.get("require_dpop") == "on", request=r, actor=who
        ),
        "saved",
    ),
    "key-activate": (
        "general",
        lambda app, r, who: services.key_set_status(key=_key(app, r), status="ACTIVE", request=r, actor=who),
        "updated: the key is active",
    ),
    "key-deactivate": (
        "general",
        lambda app, r, who: services.key_set_status(key=_key(app, r), status="INACTIVE", request=r, actor=who),
        "updated: the key is inactive",
    ),
    "key-delete": (
        "general",
        lambda app, r, who: services.key_delete(key=_key(app, r), request=r, actor=who),
        "updated: the key was deleted",
    ),
    "grant-scope": (
        "scopes",
        lambda app, r, who: services.scope_grant(
            app=app, scope=_choice(forms.ScopeForm, r, "scope"), request=r, actor=who
        ),
        "granted the scope",
    ),
    "revoke-scope": (
        "scopes",
        lambda app, r, who: services.scope_revoke(
            app=app, scope=_choice(forms.ScopeForm, r, "scope"), request=r, actor=who
        ),
        "no longer has the scope",
    ),
    "assign-role": (
        "roles",
        lambda app, r, who: services.role_assign(
            app=app, role_type=_choice(forms.RoleForm, r, "role_type"), request=r, actor=who
        ),
        "was given the role",
    ),
    "unassign-role": (
        "roles",
        lambda app, r, who: services.role_unassign(
            app=app, role_type=_choice(forms.RoleForm, r, "role_type"), request=r, actor=who
        ),
        "lost the role",
    ),
}


@require_POST
@console_view(Perm.APP_MANAGE)
def app_action(request: HttpRequest, app_id: str, action: str) -> HttpResponse:
    app = get_object_or_404(ServiceApp, pk=app_id)
    if action == "delete":
        try:
            services.app_delete(app=app, request=request, actor=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect("oauth:app", app_id=app.id)
        messages.success(request, f"Service app {app.name} was deleted.")
        return redirect("oauth:apps")
    if action == "add-key":
        form = forms.KeyForm(request.POST)
        if form.is_valid():
            try:
                services.key_add(
                    app=app,
                    key_text=form.cleaned_data["key"],
                    kid=form.cleaned_data["kid"],
                    request=request,
                    actor=request.user,
                )
            except ValidationError as error:
                form.add_error("key", error.message_dict.get("key", error.messages))
            else:
                messages.success(request, "The public key was added.")
                return redirect("oauth:app", app_id=app.id)
        return _detail(request, app, key_form=form, status=400)
    if action == "generate-key":
        try:
            key, private_pem = services.key_generate(app=app, request=request, actor=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect("oauth:app", app_id=app.id)
        # Shown once, on this page only: the answer to the POST (never a redirect, a message or a log).
        response = _detail(request, app, generated=key, private_key=private_pem)
        response["Cache-Control"] = "no-store"
        return response
    if action not in ACTIONS:
        raise Http404("no such action")
    tab, act, done = ACTIONS[action]
    try:
        act(app, request, request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"Service app {app.name} {done}.")
    url = redirect("oauth:app", app_id=app.id)
    if tab != "general":
        url["Location"] += f"?tab={tab}"
    return url


@require_GET
@console_view()  # every admin: the Tokens page, which token creators see, links here
def guide(request: HttpRequest) -> HttpResponse:
    """docs/oauth.md as HTML, like the tokens guide: our own file, so its HTML is trusted."""
    html = markdown.markdown(GUIDE.read_text(), extensions=["tables", "fenced_code", "sane_lists"])
    return render(request, "oauth/guide.html", {"guide": mark_safe(html)})  # noqa: S308 - our own docs file
