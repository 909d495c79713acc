"""Reports › System Log: newest first, filters, keyset pages, event detail."""

import json

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from accounts.decorators import console_view
from accounts.permissions import Perm
from api.errors import ApiError
from syslog.catalog import EVENT_TYPES
from syslog.models import LogEvent
from syslog.outcomes import Outcome
from syslog.query import search

PAGE_SIZE = 50
OUTCOMES = [
    o.value
    for o in (Outcome.SUCCESS, Outcome.FAILURE, Outcome.DENY, Outcome.ALLOW, Outcome.RATE_LIMIT, Outcome.UNKNOWN)
]  # the ones Warden records


def _quoted(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def build_filter(get) -> str:
    """The page's form fields as one filter expression for the shared query."""
    clauses = []
    if get.get("event_type") in EVENT_TYPES:
        clauses.append(f"eventType eq {_quoted(get['event_type'])}")
    if get.get("actor"):
        actor = get["actor"].strip()
        clauses.append(f"(actor.id eq {_quoted(actor)} or actor.alternateId co {_quoted(actor)})")
    if get.get("target"):
        clauses.append(f"target.id eq {_quoted(get['target'].strip())}")
    if get.get("outcome") in OUTCOMES:
        clauses.append(f"outcome.result eq {_quoted(get['outcome'])}")
    return " and ".join(clauses)


@require_GET
@console_view(Perm.SYSLOG_READ)
def log_list(request: HttpRequest) -> HttpResponse:
    params = {
        "filter": build_filter(request.GET),
        "q": request.GET.get("q", ""),
        "sortOrder": "DESCENDING",
        "since": request.GET.get("since", ""),
        "until": request.GET.get("until", ""),
        "after": request.GET.get("after", ""),
    }
    error, page = None, None
    try:
        page = search(params, limit=PAGE_SIZE)
    except ApiError as problem:
        error = " ".join([problem.summary, *problem.causes])
    older = None
    if page and page.next_cursor:
        query = request.GET.copy()
        query["after"] = page.next_cursor
        older = query.urlencode()
    template = "logs/log_list.html"
    if request.htmx and not request.htmx.boosted:
        template += "#log-results"
    return render(
        request,
        template,
        {
            "events": page.events if page else [],
            "older": older,
            "error": error,
            "get": request.GET,
            "event_types": sorted(EVENT_TYPES),
            "outcomes": OUTCOMES,
        },
    )


@require_GET
@console_view(Perm.SYSLOG_READ)
def log_detail(request: HttpRequest, uuid: str) -> HttpResponse:
    event = get_object_or_404(LogEvent, uuid=uuid)
    return render(
        request,
        "logs/log_detail.html",
        {
            "event": event,
            "pretty": json.dumps(event.data, indent=2, sort_keys=False),
        },
    )
