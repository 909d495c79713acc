"""The System Log page's query: what the URL says, read into what syslog's query takes.

The whole search lives in the URL (bookmarkable, shareable): `filter` (the /api/v1/logs expression
language, checked alone first so a wrong one gets exactly the API's error message), `q`, the shortcuts
`event_type`, `actor`, `target` and `outcome` (each one more `and` clause), the range — a preset `range`
(1h, 24h, 7d, 30d, 90d; 24h by default) or `since`/`until` (ISO 8601 with an offset, as the chart's
links give them, or the picker's local `YYYY-MM-DDTHH:MM` read in `tz`) —, the viewer's time zone `tz`
(an IANA name; UTC by default) and a keyset cursor `after` (older) or `before` (newer).

Anything wrong (a bad expression, a bad date, a date out of range, an unknown time zone) is a
QueryError whose message the page shows inline: never a server error. Ranges are clamped to the
retention window and to now, so the chart never has more than MAX_BARS bars."""

import re
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from django.http import QueryDict
from django.utils.dateparse import parse_datetime

from api import filters
from api.errors import ApiError
from syslog.catalog import EVENT_TYPES
from syslog.counts import ByType
from syslog.outcomes import Outcome
from syslog.query import ERRORS, FIELDS, RETENTION, parse_cursor

PRESETS = {
    "1h": ("Last hour", timedelta(hours=1)),
    "24h": ("Last 24 hours", timedelta(hours=24)),
    "7d": ("Last 7 days", timedelta(days=7)),
    "30d": ("Last 30 days", timedelta(days=30)),
    "90d": ("Last 90 days", timedelta(days=90)),
}
DEFAULT_RANGE = "24h"
OUTCOMES = [o.value for o in (Outcome.SUCCESS, Outcome.FAILURE, Outcome.DENY, Outcome.ALLOW, Outcome.RATE_LIMIT)]
MAX_BARS = 40
MINUTE, HOUR, DAY = timedelta(minutes=1), timedelta(hours=1), timedelta(days=1)
WIDTHS = [
    *(n * MINUTE for n in (1, 2, 5, 10, 15, 30)),
    *(n * HOUR for n in (1, 2, 3, 6, 12)),
    *(n * DAY for n in (1, 2, 3, 7)),
]
PARAMS = ("filter", "q", "event_type", "actor", "target", "outcome", "range", "since", "until", "tz", "after", "before")
ONE_TYPE = re.compile(r'\s*eventType\s+eq\s+"([a-z0-9_.]+)"\s*')


class QueryError(Exception):
    """A search the page cannot run; the message is shown next to the form."""


def quoted(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def api_message(problem: ApiError) -> str:
    return " ".join([problem.summary, *problem.causes])


def bar_width(span: timedelta) -> timedelta:
    return next((w for w in WIDTHS if span / w <= MAX_BARS), WIDTHS[-1])


@dataclass
class LogQuery:
    get: dict[str, str]  # the URL's parameters this page knows, stripped
    tz: ZoneInfo
    since: datetime
    until: datetime
    preset: str | None  # the preset in use, None for an explicit range
    expression: str = ""  # the filter the shortcuts and the search box make together
    by_type: ByType | None = None  # set when only the event type narrows the events (counts can answer)
    notes: list[str] = field(default_factory=list)

    @property
    def params(self) -> dict[str, str]:
        """What syslog.query.matching() takes."""
        return {"filter": self.expression, "q": self.get["q"]}

    @property
    def width(self) -> timedelta:
        return bar_width(self.until - self.since)

    @property
    def origin(self) -> timedelta:
        """Bars start on the viewer's local boundaries (midnight for days), as far as whole seconds allow."""
        offset = self.until.astimezone(self.tz).utcoffset() or timedelta(0)
        return offset % self.width if self.width > HOUR else offset % HOUR

    def link(self, **changes: str) -> str:
        """The query string of this search with some parameters changed ('' removes one)."""
        query = QueryDict(mutable=True)
        for name in PARAMS:
            value = changes.get(name, self.get[name])
            if value:
                query[name] = value
        return query.urlencode()

    def local(self, moment: datetime) -> datetime:
        return moment.astimezone(self.tz)


def _clean(get: QueryDict) -> dict[str, str]:
    # NUL and other control characters never get here: api.middleware answers 400 for them first.
    return {name: get.get(name, "").strip() for name in PARAMS}


def zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name or "UTC")
    except (ValueError, OSError, KeyError) as exc:  # ZoneInfoNotFoundError is a KeyError
        raise QueryError(f"Unknown time zone {name!r}: use an IANA name such as Europe/Paris.") from exc


def _moment(label: str, raw: str, tz: ZoneInfo) -> datetime:
    try:
        value = parse_datetime(raw.replace(" ", "+"))  # a '+' of an offset arrives as a space
        if value is not None:
            value = (value if value.tzinfo else value.replace(tzinfo=tz)).astimezone(UTC)
    except (ValueError, OverflowError):
        value = None
    if value is None:
        raise QueryError(f"'{label}': the date {raw!r} is not recognised. Use the picker, or e.g. 2026-05-04T17:30.")
    return value


def _range(get: dict[str, str], tz: ZoneInfo, now: datetime) -> tuple[datetime, datetime, str | None, list[str]]:
    notes = []
    if get["since"] or get["until"]:
        until = _moment("To", get["until"], tz) if get["until"] else now
        since = _moment("From", get["since"], tz) if get["since"] else until - PRESETS[DEFAULT_RANGE][1]
        preset = None
    else:
        if get["range"] and get["range"] not in PRESETS:
            raise QueryError(f"Unknown range {get['range']!r}: choose one of {', '.join(PRESETS)}.")
        preset = get["range"] or DEFAULT_RANGE
        until, since = now, now - PRESETS[preset][1]
    if since < now - RETENTION:
        since = now - RETENTION
        notes.append("The System Log keeps 90 days: the range starts 90 days ago.")
    until = min(until, now)
    if since >= until:
        raise QueryError("The range is empty: 'From' must be before 'To', and within the last 90 days.")
    return since, until, preset, notes


def _expression(get: dict[str, str]) -> tuple[str, ByType | None]:
    clauses = []
    if get["filter"]:
        try:
            filters.parse_filter(get["filter"], FIELDS, ERRORS)  # alone: the API's own message when it is wrong
        except ApiError as problem:
            raise QueryError(api_message(problem)) from problem
        clauses.append(f"({get['filter']})")
    if get["event_type"]:
        if get["event_type"] not in EVENT_TYPES:
            raise QueryError(f"Unknown event type {get['event_type']!r}.")
        clauses.append(f"eventType eq {quoted(get['event_type'])}")
    if get["actor"]:
        clauses.append(f"(actor.id eq {quoted(get['actor'])} or actor.alternateId co {quoted(get['actor'])})")
    if get["target"]:
        clauses.append(f"target.id eq {quoted(get['target'])}")
    if get["outcome"]:
        if get["outcome"] not in OUTCOMES:
            raise QueryError(f"Unknown outcome {get['outcome']!r}.")
        clauses.append(f"outcome.result eq {quoted(get['outcome'])}")
    return " and ".join(clauses), _by_type(get)


def _by_type(get: dict[str, str]) -> ByType | None:
    """Whether the hourly counts can count this search: nothing but (at most) one event type narrows it."""
    if get["q"] or get["actor"] or get["target"] or get["outcome"]:
        return None
    one = ONE_TYPE.fullmatch(get["filter"]) if get["filter"] else None
    if get["filter"] and not one:
        return None
    types = {t for t in (get["event_type"], one and one.group(1)) if t}
    if len(types) > 1:
        return ByType(event_types=())  # two different types at once: nothing matches
    return ByType(event_types=tuple(types) if types else None)


def parse(get: QueryDict, *, now: datetime) -> LogQuery:
    values = _clean(get)
    tz = zone(values["tz"])
    try:
        since, until, preset, notes = _range(values, tz, now)
    except OverflowError as exc:  # a date at the very edge of the calendar, moved by a time zone or a span
        raise QueryError("A date of the range is out of the calendar's range.") from exc
    for name in ("after", "before"):
        if values[name]:
            try:
                parse_cursor(values[name])
            except ApiError as problem:
                raise QueryError(f"'{name}': {api_message(problem)}") from problem
    expression, by_type = _expression(values)
    return LogQuery(values, tz, since, until, preset, expression, by_type, notes)
