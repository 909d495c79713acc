"""Sign-in/out and the People pages. Where sign-in and sign-out may lead, and who may frame the
sign-in page, is trusted origins' policy, registered in accounts/signin_policy.py."""

from django.contrib import messages
from django.contrib.auth import authenticate, login, logout
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_ratelimit.core import is_ratelimited

from accounts import services, signin_policy
from accounts.backends import signin_key
from accounts.decorators import console_view
from accounts.forms import PersonForm, RoleForm, SignInForm
from accounts.models import User
from accounts.permissions import Perm, has_perm, may_manage_user
from accounts.roles import RoleType
from api.middleware import client_ip
from syslog.events import Party, record, record_refusal
from syslog.outcomes import Outcome

# Per IP, and per (IP, login): guessing from one address cannot lock an admin
# out from another (nothing is limited per login alone).
SIGNIN_RATE_PER_IP = "30/m"
SIGNIN_RATE_PER_IP_AND_LOGIN = "5/m"


def _signin_limited(request: HttpRequest, login_key: str) -> bool:
    try:
        return _signin_counts(request, login_key)
    except Exception:  # cache down (django-redis raises ConnectionInterrupted): fail closed
        return True


def _signin_counts(request: HttpRequest, login_key: str) -> bool:
    per_ip = is_ratelimited(
        request, group="signin-ip", key=lambda g, r: client_ip(r), rate=SIGNIN_RATE_PER_IP, increment=True
    )
    per_login = is_ratelimited(
        request,
        group="signin-login",
        key=lambda g, r: f"{client_ip(r)}|{login_key}",
        rate=SIGNIN_RATE_PER_IP_AND_LOGIN,
        increment=True,
    )
    return per_ip or per_login


UNTRUSTED_TARGET = (
    "The page that sent you here is not a trusted origin, so Warden will not return you there. "
    "Sign in again to go to the console."
)


@signin_policy.framable  # docs/decisions/15: only by IFRAME_EMBED origins
@require_http_methods(["GET", "POST"])
def signin(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated and request.method == "GET":
        return redirect("accounts:home")
    form = SignInForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        username = form.cleaned_data["username"]
        login_key = signin_key(username)
        if _signin_limited(request, login_key):
            form.add_error(None, "Too many sign-in attempts. Wait a minute and try again.")
            status = 429
            record_refusal(
                "signin-limit",
                client_ip(request),
                "user.session.start",
                request=request,
                actor=Party("unknown", "User", username[:100], None),
                outcome=Outcome.FAILURE,
                reason="RATE_LIMITED",
            )
        else:
            user = authenticate(request, username=username, password=form.cleaned_data["password"])
            target = request.POST.get("next") or request.POST.get("fromURI")
            destination = signin_policy.checked(request, target) if target else None
            if user is not None and target and destination is None:
                # Decided before any session exists: a sign-in that would end on an untrusted site
                # creates nothing (the refusal is recorded); the form comes back without that target.
                form.add_error(None, UNTRUSTED_TARGET)
                return render(request, "accounts/signin.html", {"form": form, "next": ""}, status=400)
            if user is not None:
                login(request, user)
                record("user.session.start", request=request, actor=user)
                return redirect(destination or "accounts:home")
            form.add_error(None, "Sign-in failed. Check your username and password.")
            status = 401
            record_refusal(
                "signin",
                f"{client_ip(request)}|{login_key}",
                "user.session.start",
                request=request,
                actor=Party("unknown", "User", username[:100], None),
                outcome=Outcome.FAILURE,
                reason="INVALID_CREDENTIALS",
            )
    return render(
        request,
        "accounts/signin.html",
        {
            "form": form,
            "next": request.GET.get("next")
            or request.GET.get("fromURI")
            or request.POST.get("next")
            or request.POST.get("fromURI", ""),
        },
        status=status,
    )


@require_POST
def signout(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        record("user.session.end", request=request, actor=request.user)
    logout(request)
    target = signin_policy.checked(request, request.POST.get("next") or request.POST.get("fromURI"))
    if target:
        return signin_policy.leave_to(request, target) or redirect(target)
    return redirect("accounts:signin")


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect("accounts:signin")
    if not request.user.is_admin:
        raise PermissionDenied("Only administrators may use the console.")
    return redirect("tokens:list" if has_perm(request.user, Perm.TOKEN_VIEW_OWN) else "accounts:people")


@require_GET
@console_view(Perm.PEOPLE_VIEW)
def people(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()
    users = User.objects.with_roles()
    if query:
        users = users.filter(Q(login__icontains=query) | Q(first_name__icontains=query) | Q(last_name__icontains=query))
    return render(
        request,
        "accounts/people.html",
        {
            "users": users[:500],
            "query": query,
            "can_manage": has_perm(request.user, Perm.PEOPLE_MANAGE),
        },
    )


@require_http_methods(["GET", "POST"])
@console_view(Perm.PEOPLE_MANAGE)
def person_create(request: HttpRequest) -> HttpResponse:
    form = PersonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = services.user_create(
            login=form.cleaned_data["login"],
            first_name=form.cleaned_data["first_name"],
            last_name=form.cleaned_data["last_name"],
            password=form.cleaned_data["password"] or None,
            is_service_account=form.cleaned_data["is_service_account"],
            request=request,
        )
        messages.success(request, f"{user} was created.")
        return redirect("accounts:person", user_id=user.id)
    return render(request, "accounts/person_form.html", {"form": form})


@require_GET
@console_view(Perm.PEOPLE_VIEW)
def person(request: HttpRequest, user_id: str) -> HttpResponse:
    target = get_object_or_404(User.objects.with_roles(), pk=user_id)
    return render(
        request,
        "accounts/person.html",
        {
            "person": target,
            # What the deactivation confirmation lists: the tokens it would revoke (read-only here).
            "tokens_to_revoke": list(target.api_tokens.active().order_by("name").values_list("name", flat=True)),
            "role_form": RoleForm(),
            "can_manage": may_manage_user(request.user, target),
            "can_grant": has_perm(request.user, Perm.ROLES_MANAGE),
        },
    )


def _person_action(request: HttpRequest, user_id: str, action) -> HttpResponse:
    target = get_object_or_404(User.objects.with_roles(), pk=user_id)
    if not may_manage_user(request.user, target):
        raise PermissionDenied("You may not manage this user.")
    try:
        action(target)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("accounts:person", user_id=target.id)


@require_POST
@console_view(Perm.PEOPLE_MANAGE)
def person_deactivate(request: HttpRequest, user_id: str) -> HttpResponse:
    def act(target):
        services.user_deactivate(user=target, request=request)
        messages.success(request, f"{target} was deactivated; their API tokens were revoked.")

    return _person_action(request, user_id, act)


@require_POST
@console_view(Perm.PEOPLE_MANAGE)
def person_reactivate(request: HttpRequest, user_id: str) -> HttpResponse:
    def act(target):
        services.user_reactivate(user=target, request=request)
        messages.success(request, f"{target} was reactivated. Their old API tokens stay revoked.")

    return _person_action(request, user_id, act)


@require_POST
@console_view(Perm.ROLES_MANAGE)
def role_grant(request: HttpRequest, user_id: str) -> HttpResponse:
    form = RoleForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose a role.")
        return redirect("accounts:person", user_id=user_id)

    def act(target):
        services.role_grant(user=target, role_type=form.cleaned_data["role_type"], request=request)
        messages.success(request, "Role granted.")

    return _person_action(request, user_id, act)


@require_POST
@console_view(Perm.ROLES_MANAGE)
def role_remove(request: HttpRequest, user_id: str, role_type: str) -> HttpResponse:
    if role_type not in RoleType.values:
        raise Http404("No such role")

    def act(target):
        services.role_remove(user=target, role_type=role_type, request=request)
        messages.success(request, "Role removed.")

    return _person_action(request, user_id, act)
