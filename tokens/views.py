"""Security › API › Tokens and Directory › Agents."""

import markdown
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, F, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_htmx.http import trigger_client_event

from accounts.decorators import console_view
from accounts.permissions import Perm, has_perm
from syslog.models import LogEvent, LogEventTarget
from tokens import hygiene, limits, network, services, usage
from tokens.access import may_manage, revoke_refusal, visible_tokens
from tokens.forms import NetworkFields, RotateForm, ShareForm, TokenCreateForm
from tokens.models import TOKEN_WINDOW, Agent, AgentType, TokenNotice, TokenStatus
from tokens.status import LABELS, status_colour

SORTS = {
    "name": "name",
    "created": "-created",
    "last_used": F("last_used").desc(nulls_last=True),
    "expiry": F("expires_at").asc(nulls_last=True),
}
# The table's columns: (label, sort key or None, the direction that sort reads in, the widths that hide it:
# "narrow" on a phone, "medium" also on a laptop, where the type is the token-type list on the left).
COLUMNS = [
    ("Token", "name", "ascending", ""),
    ("Role", None, None, ""),
    ("Status", None, None, ""),
    ("Type", None, None, "medium"),
    ("Created", "created", "descending", "narrow"),
    ("Last used", "last_used", "descending", ""),
    ("Expires", "expiry", "ascending", "narrow"),
]
PAGE_SIZE = 50


def _type_counts(tokens) -> list[dict]:
    counts = tokens.aggregate(
        attention=Count("pk", filter=hygiene.needs_attention()),
        api=Count("pk", filter=Q(agent__isnull=True)),
        suspicious=Count("pk", filter=Q(agent__isnull=False, agent__registered=False)),
        **{t.value: Count("pk", filter=Q(agent__type=t.value)) for t in AgentType},
    )
    rows = [{"key": "api", "label": "API tokens", "count": counts["api"]}]
    rows += [{"key": t.value, "label": t.label, "count": counts[t.value]} for t in AgentType if counts[t.value]]
    rows.append({"key": "suspicious", "label": "Suspicious", "count": counts["suspicious"]})
    rows.append({"key": "attention", "label": "Needs attention", "count": counts["attention"]})
    return rows


def _columns(request: HttpRequest, sort: str) -> list[dict]:
    """Header cells: sortable ones link to the same list sorted by them (htmx swaps the table, the URL stays)."""
    columns = []
    for label, key, direction, hidden in COLUMNS:
        url = None
        if key:
            query = request.GET.copy()
            query["sort"] = key
            query.pop("page", None)
            url = "?" + query.urlencode()
        columns.append({"label": label, "url": url, "sort": direction if key == sort else None, "hide": hidden})
    return columns


def _filter_type(tokens, kind: str):
    if kind == "api":
        return tokens.filter(agent__isnull=True)
    if kind == "suspicious":
        return tokens.filter(agent__isnull=False, agent__registered=False)
    if kind in AgentType.values:
        return tokens.filter(agent__type=kind)
    if kind == "attention":
        return tokens.filter(hygiene.needs_attention())
    return tokens


def _decorate(tokens, user) -> list:
    for token in tokens:
        token.colour = status_colour(token)
        token.colour_label = LABELS[token.colour]
        token.revoke_refusal = revoke_refusal(user, token)
        token.attention = hygiene.reasons(token) if hasattr(token, "owner_token_count") else []
    return tokens


def _notices(user) -> list:
    """The notices the owner has not dismissed (docs/decisions/31, 32): a leaked value until dismissed, an expiry
    notice while its token is still active and unused since (a use starts a new idle period)."""
    shown = []
    now = timezone.now()
    for notice in TokenNotice.objects.filter(token__owner=user, dismissed_at__isnull=True).select_related("token")[:20]:
        token = notice.token
        if notice.kind == TokenNotice.Kind.EXPIRING and (
            not token.is_usable(now) or token.expires_at - TOKEN_WINDOW != notice.period_start
        ):
            continue
        shown.append(notice)
    return shown[:5]


@require_GET
@console_view(Perm.TOKEN_VIEW_OWN)
def token_list(request: HttpRequest) -> HttpResponse:
    visible = visible_tokens(request.user)
    kind = request.GET.get("type", "")
    query = request.GET.get("q", "").strip()
    sort = request.GET.get("sort", "created")
    sort = sort if sort in SORTS else "created"
    tokens = _filter_type(visible, kind)
    if query:
        tokens = tokens.filter(name__icontains=query)
    if owner := request.GET.get("owner", ""):
        tokens = tokens.filter(owner_id=owner)
    tokens = tokens.order_by(SORTS[sort], "id").prefetch_related("owner__role_assignments")
    page = Paginator(tokens, PAGE_SIZE).get_page(request.GET.get("page"))
    _decorate(hygiene.attach(list(page.object_list)) if kind == "attention" else page.object_list, request.user)
    template = "tokens/token_list.html"
    if request.htmx and not request.htmx.boosted:
        template += "#token-table"
    return render(
        request,
        template,
        {
            "columns": _columns(request, sort),
            "page": page,
            "types": _type_counts(visible),
            "kind": kind,
            "query": query,
            "sort": sort,
            "can_create": has_perm(request.user, Perm.TOKEN_CREATE),
            "legend": LABELS,
            "notices": _notices(request.user),
        },
    )


@never_cache
@require_http_methods(["GET", "POST"])
@console_view(Perm.TOKEN_CREATE)
def token_create(request: HttpRequest) -> HttpResponse:
    """The value exists only in the response to the POST that created it:
    never in the session, never cached (no-store), never in htmx history."""
    form = TokenCreateForm(request.POST or None)
    template = "tokens/token_create.html"
    standalone = not request.htmx or request.htmx.current_url_abs_path == request.path
    if request.htmx and not request.htmx.boosted:
        template += "#create-dialog-body"
    if request.method == "POST" and form.is_valid():
        try:
            token, value = services.token_create(
                owner=request.user,
                name=form.cleaned_data["name"],
                network=form.cleaned_data["network"],
                request=request,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            return render(request, template, {"form": None, "token": token, "value": value, "standalone": standalone})
    return render(request, template, {"form": form, "standalone": standalone})


def _token_for(request: HttpRequest, token_id: str):
    return get_object_or_404(hygiene.annotate(visible_tokens(request.user)), pk=token_id)


@require_GET
@console_view(Perm.TOKEN_VIEW_OWN)
def token_detail(request: HttpRequest, token_id: str) -> HttpResponse:
    return _detail_page(request, _token_for(request, token_id))


def _detail_page(request: HttpRequest, token, share_form: ShareForm | None = None, status: int = 200) -> HttpResponse:
    _decorate([token], request.user)
    choice, zone_ids = network.to_choice(token.network)
    event_ids = LogEventTarget.objects.filter(target_id=token.id).values("event_id")
    history = LogEvent.objects.filter(id__in=event_ids).order_by("-id")[:50]
    return render(
        request,
        "tokens/token_detail.html",
        {
            "token": token,
            "can_manage": may_manage(request.user, token),
            "network_form": NetworkFields(initial={"connection": choice, "zones": zone_ids}),
            "network_label": dict(network.CHOICES)[choice],
            "zone_names": token.zone_links.select_related("zone"),
            "share_form": share_form or ShareForm(initial={"percent": token.rate_limit_percent}),
            "limits": limits.for_token(token),
            "session_percent": settings.RATE_LIMIT_SESSION_PERCENT,
            "half": services.HALF,
            "history": history,
            "rotate_form": RotateForm(),
            "usage_bars": (bars := usage.bars(token)),
            "usage_total": sum(bar.requests for bar in bars),
            "usage_pairs": usage.pairs(token),
            "notices": _notices(request.user),
        },
        status=status,
    )


def _manageable(request: HttpRequest, token_id: str):
    token = _token_for(request, token_id)
    if not may_manage(request.user, token):
        raise PermissionDenied("You may not change this token.")
    return token


@require_POST
@console_view(Perm.TOKEN_VIEW_OWN)
def token_revoke(request: HttpRequest, token_id: str) -> HttpResponse:
    token = _manageable(request, token_id)
    try:
        services.token_revoke(token=token, request=request)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("tokens:detail", token_id=token.id)
    if request.htmx:  # the row disappears in place; the toast and the type counts say what happened
        response = HttpResponse("")
        counts = {row["key"]: f"{row['count']:,}" for row in _type_counts(visible_tokens(request.user))}
        trigger_client_event(response, "warden:counts", counts)
        return trigger_client_event(response, "warden:toast", {"message": f"Token {token.name} was revoked."})
    messages.success(request, f"Token {token.name} was revoked.")
    return redirect("tokens:list")


@require_POST
@console_view(Perm.TOKEN_VIEW_OWN)
def token_network(request: HttpRequest, token_id: str) -> HttpResponse:
    token = _manageable(request, token_id)
    form = NetworkFields(request.POST)
    if form.is_valid():
        try:
            services.token_update_network(token=token, network=form.cleaned_data["network"], request=request)
            messages.success(request, "Network restriction saved.")
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
    else:
        messages.error(request, " ".join(m for errors in form.errors.values() for m in errors))
    return redirect("tokens:detail", token_id=token.id)


@require_POST
@console_view(Perm.TOKEN_VIEW_OWN)
def token_share(request: HttpRequest, token_id: str) -> HttpResponse:
    token = _manageable(request, token_id)
    form = ShareForm(request.POST)
    if form.is_valid():
        try:
            services.token_update_share(token=token, percent=form.cleaned_data["percent"], request=request)
        except ValidationError as error:
            form.add_error("percent", error)
        else:
            messages.success(request, "Token rate limits saved.")
            return redirect("tokens:detail", token_id=token.id)
    return _detail_page(request, token, share_form=form, status=400)  # the error beside the slider


GUIDE = settings.BASE_DIR / "docs" / "api-tokens.md"


@require_GET
@console_view(Perm.TOKEN_VIEW_OWN)
def guide(request: HttpRequest) -> HttpResponse:
    """The user guide: docs/api-tokens.md rendered as HTML on each request (a few milliseconds), so the
    repository's Markdown stays the one copy. The file is ours, not user input, so its HTML is trusted."""
    html = markdown.markdown(GUIDE.read_text(), extensions=["tables", "fenced_code", "sane_lists"])
    return render(request, "tokens/guide.html", {"guide": mark_safe(html)})  # noqa: S308 - our own docs file


@require_GET
@console_view(Perm.AGENT_VIEW)
def agent_list(request: HttpRequest) -> HttpResponse:
    agents = list(Agent.objects.select_related("activated_by").prefetch_related("tokens"))
    for agent in agents:  # what the row shows and what a deactivation confirmation says will happen
        agent.active_tokens = [token for token in agent.tokens.all() if token.status == TokenStatus.ACTIVE]
        agent.revokes_own_token = agent.type == AgentType.AD
    return render(
        request,
        "tokens/agent_list.html",
        {
            "agents": agents,
            "can_manage": has_perm(request.user, Perm.AGENT_MANAGE),
        },
    )


@require_POST
@console_view(Perm.AGENT_MANAGE)
def agent_action(request: HttpRequest, agent_id: str, action: str) -> HttpResponse:
    agent = get_object_or_404(Agent, pk=agent_id)
    if action == "activate":
        services.agent_activate(agent=agent, by=request.user, request=request)
        messages.success(request, f"{agent.name} is active with a new managed token.")
    elif action == "deactivate":
        services.agent_deactivate(agent=agent, request=request)
        messages.success(request, f"{agent.name} was deactivated.")
    elif action == "unregister":
        services.agent_unregister(agent=agent, request=request)
        messages.success(request, f"{agent.name} is no longer registered; its token is marked suspicious.")
    else:
        raise PermissionDenied("Unknown action.")
    return redirect("tokens:agents")


@never_cache
@require_POST
@console_view(Perm.TOKEN_VIEW_OWN)
def token_rotate(request: HttpRequest, token_id: str) -> HttpResponse:
    """The new value exists only in this response (no-store), like a created token's (docs/decisions/30)."""
    token = _manageable(request, token_id)
    form = RotateForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose how long the current value keeps working.")
        return redirect("tokens:detail", token_id=token.id)
    try:
        token, value = services.token_rotate(token=token, grace=form.cleaned_data["grace"], request=request)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("tokens:detail", token_id=token.id)
    return render(request, "tokens/token_rotated.html", {"token": token, "value": value})  # never_cache: no-store


@require_POST
@console_view(Perm.TOKEN_VIEW_OWN)
def notice_dismiss(request: HttpRequest, notice_id: int) -> HttpResponse:
    """The owner has read a notice about one of their tokens (docs/decisions/31, 32)."""
    notice = get_object_or_404(TokenNotice, pk=notice_id, token__owner=request.user, dismissed_at__isnull=True)
    TokenNotice.objects.filter(pk=notice.pk).update(dismissed_at=timezone.now())
    messages.success(request, "Notice dismissed.")
    return redirect("tokens:list")
