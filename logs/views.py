"""Reports › System Log: counts over time, the search of /api/v1/logs with shortcuts, one line per event
opening in place, keyset pages both ways, CSV download; and one event's own page.

A row's expanded body (seven sections and the raw JSON) is not rendered with the list: it is most of the
page's rendering cost and almost never read. The row's `<details>` fetches it (htmx, `log_event_body`) when it
first opens; without JavaScript the row holds a link to the event's own page instead.

The search is read by logs/search.py (the URL is the whole query); the events come from syslog's shared
query (`matching`, `window`), the chart and count from syslog/counts.py."""

import json

from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.views.decorators.http import require_GET

from accounts.decorators import console_view
from accounts.permissions import Perm
from api.errors import ApiError
from logs import chart, event_groups, export, search
from logs.rows import rows
from syslog.counts import histogram
from syslog.models import LogEvent
from syslog.query import matching, window

PAGE_SIZE = 50


@require_GET
@console_view(Perm.SYSLOG_READ)
def log_list(request: HttpRequest) -> HttpResponse:
    now = timezone.now()
    context = {
        "groups": event_groups.grouped(),
        "outcomes": search.OUTCOMES,
        "presets": search.PRESETS,
        "get": {name: request.GET.get(name, "") for name in search.PARAMS},
    }
    try:
        query = search.parse(request.GET, now=now)
        events = matching(query.params, now=now)
        page = window(
            events,
            since=query.since,
            until=query.until,
            limit=PAGE_SIZE,
            after=query.get["after"],
            before=query.get["before"],
        )
        buckets = histogram(
            events, since=query.since, until=query.until, width=query.width, origin=query.origin, by_type=query.by_type
        )
    except search.QueryError as problem:
        return render(request, "logs/log_list.html", {**context, "error": str(problem)})
    except ApiError as problem:
        return render(request, "logs/log_list.html", {**context, "error": search.api_message(problem)})
    context.update(
        query=query,
        rows=rows(page.events, query.tz),
        bars=chart.bars(query, buckets),
        total=chart.total_label(buckets),
        older=query.link(after=page.older, before="") if page.older else None,
        newer=query.link(before=page.newer, after="") if page.newer else None,
        download=query.link(after="", before=""),
        preset_links=[
            (key, label, query.link(range=key, since="", until="", after="", before=""))
            for key, (label, _) in search.PRESETS.items()
        ],
        since_local=query.local(query.since).strftime("%Y-%m-%dT%H:%M"),
        until_local=query.local(query.until).strftime("%Y-%m-%dT%H:%M"),
        active_filters=sum(
            1 for name in ("event_type", "actor", "target", "outcome", "since", "until") if query.get[name]
        ),
    )
    return render(request, "logs/log_list.html", context)


@require_GET
@console_view(Perm.SYSLOG_READ)
def log_export(request: HttpRequest) -> HttpResponse:
    now = timezone.now()
    try:
        query = search.parse(request.GET, now=now)
    except search.QueryError as problem:
        return HttpResponse(str(problem), status=400, content_type="text/plain; charset=utf-8")
    if export.over_limit(request):
        return HttpResponse(
            "Too many System Log requests this minute; try again shortly.", status=429, content_type="text/plain"
        )
    export.record_download(request, query)
    response = StreamingHttpResponse(export.lines(query, now), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="system-log-{now:%Y%m%dT%H%M%SZ}.csv"'
    return response


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


@require_GET
@console_view(Perm.SYSLOG_READ)
def log_event_body(request: HttpRequest, uuid: str) -> HttpResponse:
    """One row's expanded body, fetched when the row opens, its times in the list's time zone."""
    event = get_object_or_404(LogEvent, uuid=uuid)
    try:
        tz = search.zone(request.GET.get("tz", ""))
    except search.QueryError as problem:
        return HttpResponse(str(problem), status=400, content_type="text/plain; charset=utf-8")
    (row,) = rows([event], tz)
    return render(request, "logs/log_event_body.html", {"row": row, "tz": tz})
