"""Counts over time: how many events match a query, per bucket of a time range (the System Log page's
chart and count).

Two ways to count, one answer:
- From HourlyCount, when the query narrows the events by event type only (or not at all) and the buckets
  are whole hours laid on hour boundaries: the whole hours of the range are a sum over at most one row per
  hour and event type, and the two partial hours at its ends are counted from the events (an index range
  of under an hour each). A month of a million events costs a few hundred rows, not a million.
- Otherwise from the matching events themselves, every bucket in one aggregate query (one conditional
  count per bucket: exact at every boundary and the same SQL on SQLite and PostgreSQL).

`bump()` is what record() calls, in the event's transaction, so the counts commit or roll back with it."""

from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from django.db import connection
from django.db.models import Count, Q, QuerySet, Sum

from syslog.models import HourlyCount

HOUR = timedelta(hours=1)
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
INCREMENT = (
    "INSERT INTO syslog_hourlycount (hour, event_type, events) VALUES (%s, %s, 1) "
    "ON CONFLICT (hour, event_type) DO UPDATE SET events = syslog_hourlycount.events + 1"
)


def hour_of(moment: datetime) -> datetime:
    return moment.astimezone(UTC).replace(minute=0, second=0, microsecond=0)


def bump(event_type: str, published: datetime) -> None:
    """One more event of `event_type` in the hour of `published` (an upsert: the same SQL on both databases)."""
    with connection.cursor() as cursor:
        cursor.execute(INCREMENT, [connection.ops.adapt_datetimefield_value(hour_of(published)), event_type])


@dataclass(frozen=True)
class Bucket:
    start: datetime
    end: datetime
    events: int


@dataclass(frozen=True)
class ByType:
    """The events being counted are those of these event types (None: of every type), nothing else
    narrowing them: the hourly counts can answer."""

    event_types: Sequence[str] | None = None


def bounds(since: datetime, until: datetime, width: timedelta, origin: timedelta) -> list[tuple[datetime, datetime]]:
    """The buckets of [since, until): laid every `width` from EPOCH + origin, the first and last cut at the range."""
    first = (since - EPOCH - origin) // width
    edges = []
    start = EPOCH + origin + first * width
    while start < until:
        edges.append((max(start, since), min(start + width, until)))
        start += width
    return edges


def histogram(
    events: QuerySet,
    *,
    since: datetime,
    until: datetime,
    width: timedelta,
    origin: timedelta = timedelta(0),
    by_type: ByType | None = None,
) -> list[Bucket]:
    """The matching `events` per bucket of [since, until). `by_type` says the hourly counts may answer."""
    edges = bounds(since, until, width, origin)
    if not edges:
        return []
    if by_type is not None and width % HOUR == timedelta(0) and origin % HOUR == timedelta(0):
        counts = _from_hourly_counts(events, edges, by_type)
    else:
        counts = _from_events(events, edges)
    return [Bucket(start, end, n) for (start, end), n in zip(edges, counts, strict=True)]


def _from_events(events: QuerySet, edges: list[tuple[datetime, datetime]]) -> list[int]:
    totals = events.aggregate(
        **{
            f"b{i}": Count("id", filter=Q(published__gte=start, published__lt=end))
            for i, (start, end) in enumerate(edges)
        }
    )
    return [totals[f"b{i}"] for i in range(len(edges))]


def _from_hourly_counts(events: QuerySet, edges: list[tuple[datetime, datetime]], by_type: ByType) -> list[int]:
    since, until = edges[0][0], edges[-1][1]
    whole_from = hour_of(since) if hour_of(since) == since else hour_of(since) + HOUR
    whole_until = hour_of(until)
    counts = [0] * len(edges)
    starts = [start for start, _ in edges]

    def add(moment: datetime, n: int) -> None:
        counts[bisect_right(starts, moment) - 1] += n

    if whole_from >= whole_until:  # the range lies within one or two hours: count the events
        return _from_events(events, edges)
    rows = HourlyCount.objects.filter(hour__gte=whole_from, hour__lt=whole_until)
    if by_type.event_types is not None:
        rows = rows.filter(event_type__in=by_type.event_types)
    for hour, n in rows.values_list("hour").annotate(n=Sum("events")).order_by():
        add(hour, n)
    for start, end in ((since, whole_from), (whole_until, until)):
        if start < end:
            add(start, events.filter(published__gte=start, published__lt=end).count())
    return counts
