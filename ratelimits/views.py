"""Security > Rate limits: groups, this window's use, recent warnings, exceptions."""

from datetime import timedelta

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from accounts.decorators import console_view
from accounts.permissions import Perm, has_perm
from ratelimits import counters, policy
from ratelimits.forms import ExceptionRequestForm
from ratelimits.groups import Group
from ratelimits.models import RateLimitException
from ratelimits.services import exception_decide, exception_request
from syslog.models import LogEvent
from tokens.services import HALF

WARNING_EVENTS = ("system.org.rate_limit.warning", "system.org.rate_limit.violation")


def _groups() -> list[dict]:
    from tokens.models import ApiToken

    rows = []
    for group in policy.GROUPS:
        limit = policy.group_limit(group)
        try:
            used, busiest = counters.usage(group)
        except Exception:  # the page still renders when the counter store is down
            used, busiest = None, []
        names = dict(ApiToken.objects.filter(pk__in=[c for c, _ in busiest]).values_list("pk", "name"))
        rows.append(
            {
                "name": group,
                "label": Group(group).label,
                "base": settings.RATE_LIMITS[group],
                "limit": limit,
                "default_share": policy.share(limit, settings.RATE_LIMIT_SESSION_PERCENT),
                "used": used,
                "busiest": [{"caller": c, "name": names.get(c, c), "count": n} for c, n in busiest],
            }
        )
    return rows


@require_http_methods(["GET", "POST"])
@console_view(Perm.RATELIMIT_VIEW)
def overview(request: HttpRequest) -> HttpResponse:
    can_request = has_perm(request.user, Perm.RATELIMIT_REQUEST)
    form = ExceptionRequestForm(request.POST or None)
    if request.method == "POST":
        if not can_request:
            raise PermissionDenied(Perm.RATELIMIT_REQUEST.name)
        if form.is_valid():
            exception_request(**form.cleaned_data, actor=request.user, request=request)
            messages.success(request, "Exception requested.")
            return redirect("ratelimits:overview")
    since = timezone.now() - timedelta(hours=24)
    warnings = LogEvent.objects.filter(event_type__in=WARNING_EVENTS, published__gte=since).order_by("-published")
    return render(
        request,
        "ratelimits/overview.html",
        {
            "groups": _groups(),
            "window": settings.RATE_LIMIT_WINDOW_SECONDS,
            "warning_percent": settings.RATE_LIMIT_WARNING_PERCENT,
            "session_percent": settings.RATE_LIMIT_SESSION_PERCENT,
            "half": HALF,
            "warnings": warnings[:50],
            "exceptions": RateLimitException.objects.select_related("requested_by", "decided_by")[:100],
            "form": form,
            "can_request": can_request,
            "can_approve": has_perm(request.user, Perm.RATELIMIT_APPROVE),
        },
        status=400 if request.method == "POST" else 200,
    )


def _decide(request: HttpRequest, exc_id: str, approve: bool) -> HttpResponse:
    get_object_or_404(RateLimitException, pk=exc_id)
    try:
        exception_decide(exc_id=exc_id, approve=approve, actor=request.user, request=request)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, "Exception " + ("approved." if approve else "declined."))
    return redirect("ratelimits:overview")


@require_POST
@console_view(Perm.RATELIMIT_APPROVE)
def exception_approve(request: HttpRequest, exc_id: str) -> HttpResponse:
    return _decide(request, exc_id, True)


@require_POST
@console_view(Perm.RATELIMIT_APPROVE)
def exception_decline(request: HttpRequest, exc_id: str) -> HttpResponse:
    return _decide(request, exc_id, False)
