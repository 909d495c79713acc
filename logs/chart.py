"""The counts-over-time chart: server-rendered SVG bars, no chart framework. Each bar is a link that
narrows the search to its bucket; its label (and hover title) says when and how many."""

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from logs.search import LogQuery
from syslog.counts import Bucket

HEIGHT = 100  # SVG user units; the bars stretch to the width of the page
EXACT_UP_TO = 10_000


@dataclass
class Bar:
    x: float
    width: float
    height: float
    href: str
    label: str

    @property
    def y(self) -> float:
        return round(HEIGHT - self.height, 2)


def utc(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def _when(query: LogQuery, start: datetime, end: datetime) -> str:
    start, end = query.local(start), query.local(end)
    fmt = "%b %d %H:%M" if query.width < timedelta(days=1) else "%b %d"
    return f"{start:{fmt}} – {end:{fmt} %Z}"


def bars(query: LogQuery, buckets: list[Bucket]) -> list[Bar]:
    tallest = max((b.events for b in buckets), default=0) or 1
    step = 100 / len(buckets) if buckets else 0
    return [
        Bar(
            x=round(i * step, 3),
            width=round(step * 0.86, 3),
            height=round(HEIGHT * bucket.events / tallest, 2),
            href="?" + query.link(since=utc(bucket.start), until=utc(bucket.end), range="", after="", before=""),
            label=f"{_when(query, bucket.start, bucket.end)}: {_events(bucket.events)}",
        )
        for i, bucket in enumerate(buckets)
    ]


def _events(n: int) -> str:
    return f"{n:,} event{'s' if n != 1 else ''}"


def total_label(buckets: list[Bucket]) -> str:
    total = sum(b.events for b in buckets)
    return f"More than {EXACT_UP_TO:,} events" if total > EXACT_UP_TO else _events(total)
