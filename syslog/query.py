"""The System Log query (docs/okta-contract.md §5, docs/decisions/08), shared by GET /api/v1/logs
and the System Log page; its polling half (`poll`) also serves GET /api/v1/events.

- Polling (ASCENDING and no `until`): persistence order (id), only events
  older than a two-second settle margin, so an event whose transaction
  commits late is never skipped; there is always a `next` link.
- Bounded (an `until`, or DESCENDING): (published, id) order, `next` only
  while more events remain.
Both are keyset pages: the cursor `<published µs>_<id>` makes page 50 cost
what page 1 costs. It keeps `published` to the microsecond, as stored: a cursor
rounded to the millisecond would repeat every later event of the same millisecond.
Events older than 90 days are never returned."""

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from django.db.models import Q, QuerySet, Subquery
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from api import filters
from api.errors import ApiError
from syslog.models import LogEvent, LogEventTarget

RETENTION = timedelta(days=90)
SINCE_LIMIT = timedelta(days=180)
DEFAULT_SPAN = timedelta(days=7)
SETTLE = timedelta(seconds=2)
MAX_KEYWORDS, MAX_KEYWORD_LENGTH = 10, 40
DATE_CAUSES = [
    "The date format in your query is not recognized. Please enter dates using ISO8601 string format.",
    "e.g. 2017-05-04T17:30:00.000Z",
]


def target_ids(operator: str, value: str) -> Q:
    """`target.id <operator> "value"` through the target side table (an index lookup)."""
    if operator == "pr":
        return Q(id__in=LogEventTarget.objects.values("event_id"))
    lookup = "target_id" if operator in ("eq", "ne") else f"target_id__{filters.LOOKUPS[operator]}"
    matches = Q(id__in=LogEventTarget.objects.filter(**{lookup: value}).values("event_id"))
    return ~matches if operator == "ne" else matches


TEXT_OPERATORS = frozenset({"eq", "ne", "co", "sw", "ew", "pr"})
FIELDS = {
    "eventType": filters.Field("event_type", TEXT_OPERATORS),
    "severity": filters.Field("severity", frozenset({"eq", "ne"})),
    "actor.id": filters.Field("actor_id", TEXT_OPERATORS),
    "actor.alternateId": filters.Field("data__actor__alternateId", TEXT_OPERATORS),
    "actor.type": filters.Field("data__actor__type", frozenset({"eq", "ne"})),
    "actor.displayName": filters.Field("data__actor__displayName", TEXT_OPERATORS),
    "target.id": filters.Field(target_ids, TEXT_OPERATORS),
    "client.ipAddress": filters.Field("client_ip", TEXT_OPERATORS),
    "outcome.result": filters.Field("outcome_result", frozenset({"eq", "ne"})),
    "transaction.id": filters.Field("transaction_id", frozenset({"eq", "ne", "pr"})),
    "transaction.detail.requestApiTokenId": filters.Field("request_api_token_id", frozenset({"eq", "ne", "pr"})),
}
ERRORS = filters.Errors(syntax="E0000053", unsupported="E0000031")


@dataclass
class Page:
    events: list[LogEvent]
    next_cursor: str | None


EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
LATEST = datetime(9999, 1, 1, tzinfo=UTC)


def parse_time(name: str, raw: str | None) -> datetime | None:
    if raw in (None, ""):
        return None
    try:
        value = parse_datetime(raw.replace(" ", "+"))  # a '+' in a query string arrives as a space
    except ValueError:
        value = None
    if value is None:
        raise ApiError("E0000001", f"'{name}': The date format in your query is not recognized.", DATE_CAUSES)
    value = value if value.tzinfo else value.replace(tzinfo=UTC)
    # Before the epoch there are no events and cursors count from it; near year 9999 the
    # default span's arithmetic would overflow: such a date is refused like an unreadable one.
    if not EPOCH <= value <= LATEST:
        raise ApiError("E0000001", f"'{name}': The date format in your query is not recognized.", DATE_CAUSES)
    return value


MICROSECOND = timedelta(microseconds=1)


def cursor_at(published: datetime, event_id: int) -> str:
    return f"{(published - EPOCH) // MICROSECOND}_{event_id}"  # integer arithmetic: no float rounding


def cursor_of(event: LogEvent) -> str:
    return cursor_at(event.published, event.id)


def parse_cursor(raw: str) -> tuple[datetime, int]:
    try:
        micros, _, event_id = raw.partition("_")
        published, event_id = EPOCH + int(micros) * MICROSECOND, int(event_id)
    except (ValueError, OverflowError) as exc:
        raise ApiError("E0000029") from exc
    if not (EPOCH <= published <= LATEST and 0 <= event_id < 2**63):  # what the columns can hold
        raise ApiError("E0000029")
    return published, event_id


def keywords(raw: str | None) -> list[str]:
    words = (raw or "").lower().split()
    if len(words) > MAX_KEYWORDS or any(len(w) > MAX_KEYWORD_LENGTH for w in words):
        raise ApiError(
            "E0000001", "q", [f"q: at most {MAX_KEYWORDS} keywords of at most {MAX_KEYWORD_LENGTH} characters each"]
        )
    return words


def matching(params, *, now: datetime) -> QuerySet:
    """The events within retention that `filter` and `q` select, in no order and at any time."""
    events: QuerySet = LogEvent.objects.filter(published__gte=now - RETENTION)
    events = events.filter(filters.parse_filter(params.get("filter"), FIELDS, ERRORS))
    for word in keywords(params.get("q")):
        events = events.filter(search_text__contains=word)
    return events


def search(params, *, limit: int, now: datetime | None = None) -> Page:
    now = now or timezone.now()
    descending = (params.get("sortOrder") or "ASCENDING").upper() == "DESCENDING"
    if (params.get("sortOrder") or "ASCENDING").upper() not in ("ASCENDING", "DESCENDING"):
        raise ApiError("E0000001", "sortOrder", ["sortOrder: must be ASCENDING or DESCENDING"])
    until = parse_time("until", params.get("until"))
    since = parse_time("since", params.get("since"))
    after = params.get("after")
    polling = not descending and until is None
    if since is not None and since < now - SINCE_LIMIT:
        raise ApiError("E0000053", "Invalid parameter: 'since' must be within the last 180 days")
    events = matching(params, now=now)
    if polling:
        return poll(events, start=since or now - DEFAULT_SPAN, after=after, limit=limit, now=now)
    until = until or now
    events = events.filter(published__lt=until)
    if after:
        published, event_id = parse_cursor(after)
        if descending:
            events = events.filter(Q(published__lt=published) | Q(published=published, id__lt=event_id))
        else:
            events = events.filter(Q(published__gt=published) | Q(published=published, id__gt=event_id))
    else:
        events = events.filter(published__gte=since or until - DEFAULT_SPAN)
    order = ("-published", "-id") if descending else ("published", "id")
    rows = list(events.order_by(*order)[: limit + 1]) if limit else []
    page = rows[:limit]
    return Page(page, cursor_of(page[-1]) if len(rows) > limit else None)


def poll(events: QuerySet, *, start: datetime, after: str | None, limit: int, now: datetime) -> Page:
    """One page of a polling feed over `events` (already filtered): persistence order, from the first
    event persisted at `start` or from the cursor `after`, leaving out the settle margin. Shared by
    /api/v1/logs and /api/v1/events (logs/events.py), whose polling pages behave the same way."""
    events = events.filter(published__lt=now - SETTLE)
    if after:
        events = events.filter(id__gt=parse_cursor(after)[1])
    else:
        # Persistence order starts at the first event persisted at `start`: found on the
        # (published, id) index, it lets the id-ordered scan begin there instead of at the
        # oldest event of the retention window (the 1M-event benchmark's first page).
        first = LogEvent.objects.filter(published__gte=start).order_by("published", "id").values("id")[:1]
        events = events.filter(published__gte=start, id__gte=Subquery(first))
    rows = list(events.order_by("id")[: limit + 1]) if limit else []
    page = rows[:limit]
    last = page[-1] if page else None
    # Polling always continues; an empty page keeps the cursor it was given.
    return Page(page, cursor_of(last) if last else (after or cursor_at(start, 0)))


@dataclass
class Window:
    """A page of a time window, newest first, with cursors both ways (None: nothing further that way)."""

    events: list[LogEvent]
    older: str | None
    newer: str | None


def _beyond(events: QuerySet, cursor: str, *, older: bool) -> QuerySet:
    published, event_id = parse_cursor(cursor)
    if older:
        return events.filter(Q(published__lt=published) | Q(published=published, id__lt=event_id))
    return events.filter(Q(published__gt=published) | Q(published=published, id__gt=event_id))


def window(
    events: QuerySet, *, since: datetime, until: datetime, limit: int, after: str = "", before: str = ""
) -> Window:
    """Newest first within [since, until): the first page, the page older than the cursor `after`, or the
    page newer than the cursor `before`. Each is one keyset range on the (published, id) indexes plus one
    EXISTS the other way, so page 50 costs what page 1 costs, in both directions."""
    events = events.filter(published__gte=since, published__lt=until)
    if before:
        rows = list(_beyond(events, before, older=False).order_by("published", "id")[: limit + 1])
        page = rows[:limit][::-1]
        newer = cursor_of(page[0]) if len(rows) > limit else None
        older = cursor_of(page[-1]) if page and _beyond(events, cursor_of(page[-1]), older=True).exists() else None
        return Window(page, older, newer)
    events_after = _beyond(events, after, older=True) if after else events
    rows = list(events_after.order_by("-published", "-id")[: limit + 1])
    page = rows[:limit]
    older = cursor_of(page[-1]) if len(rows) > limit else None
    newer = cursor_of(page[0]) if after and page and _beyond(events, cursor_of(page[0]), older=False).exists() else None
    return Window(page, older, newer)
