"""CSV download of the System Log page's current search.

- The same events as the page (and as GET /api/v1/logs with the same filter, since, until and
  sortOrder=DESCENDING), newest first, one row per event: COLUMNS, read from the event's Okta JSON.
- Streamed, in keyset batches, and bounded: at most MAX_ROWS rows (the page's "more than 10,000").
- Rate-limited like the API's System Log group: a console download is one request in the `logs`
  group, counted in the signed-in user's bucket and the org-wide one, exactly as the middleware counts
  a session's own call to /api/v1/logs (ratelimits/middleware.py); over the limit it is refused (429).
- Recorded in the System Log (`system.log.export`, logs/event_types.py) with the search it took, before
  the first row leaves; the range ends before that event, so a download never contains itself.
- Cells a spreadsheet would run as a formula (=, +, -, @, tab, CR first) get a leading apostrophe (OWASP)."""

import csv
from collections.abc import Iterator

from django.http import HttpRequest

from logs.search import LogQuery
from ratelimits import counters, groups, policy
from ratelimits.middleware import RateLimit, record_events
from syslog.events import record
from syslog.query import cursor_of, matching, window

MAX_ROWS = 10_000
BATCH = 500
COLUMNS = [
    "published",
    "uuid",
    "eventType",
    "displayMessage",
    "severity",
    "outcome.result",
    "outcome.reason",
    "actor.id",
    "actor.type",
    "actor.alternateId",
    "actor.displayName",
    "targets",
    "client.ipAddress",
    "transaction.id",
    "transaction.detail.requestApiTokenId",
]
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _cell(value) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def _path(data: dict, path: str):
    for part in path.split("."):
        data = (data or {}).get(part) if isinstance(data, dict) else None
    return data


def row(data: dict) -> list[str]:
    """One event's CSV row, from its Okta JSON (the API's answer gives the same rows)."""
    targets = "; ".join(
        f"{t.get('type')} {t.get('id')} ({t.get('displayName') or ''})" for t in data.get("target") or []
    )
    return [_cell(targets if column == "targets" else _path(data, column)) for column in COLUMNS]


def over_limit(request: HttpRequest) -> bool:
    """Count this download in the `logs` group as a session request (its caller, owner and org buckets, as the
    middleware counts a session's own API call); True when refused. When the counter store is down it is
    admitted, as the middleware admits authenticated requests."""
    group = groups.Group.LOGS.value
    limits = RateLimit.limits(request, policy.group_limit(group))
    try:
        outcome = counters.hit(group, f"user:{request.user.pk}", str(request.user.pk), limits)
    except counters.StoreUnavailable:
        return False
    record_events(request, outcome, group, limits, request.user)
    return outcome.caller_count > limits.caller or outcome.owner_count > limits.owner or outcome.org_count > limits.org


def record_download(request: HttpRequest, query: LogQuery) -> None:
    search = {"filter": query.expression, "q": query.get["q"], "since": query.since.isoformat()}
    record("system.log.export", request=request, debug={**search, "until": query.until.isoformat()})


class Echo:
    def write(self, value: str) -> str:
        return value


def lines(query: LogQuery, now) -> Iterator[str]:
    writer = csv.writer(Echo())
    yield writer.writerow(COLUMNS)
    events, after, sent = matching(query.params, now=now), "", 0
    while sent < MAX_ROWS:
        page = window(events, since=query.since, until=query.until, limit=min(BATCH, MAX_ROWS - sent), after=after)
        for event in page.events:
            yield writer.writerow(row(event.data))
        sent += len(page.events)
        if page.older is None:
            return
        after = cursor_of(page.events[-1])
