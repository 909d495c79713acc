"""A token's usage as the detail page shows it (docs/decisions/34): requests per day for 30 days as a small
server-rendered SVG bar chart, and the last five (address, user agent) pairs. Read from the token's row, which
the renewal refreshes at most once a minute."""

from dataclasses import dataclass
from datetime import UTC, datetime

from django.utils import timezone

DAYS = 30
WIDTH, HEIGHT, BAR = 300, 60, 8  # the chart's viewBox; each day a bar BAR wide in a slot of WIDTH / DAYS


@dataclass(frozen=True)
class Bar:
    day: datetime
    requests: int
    x: float
    y: float
    height: float


def bars(token, now=None) -> list[Bar]:
    now = now or timezone.now()
    today = int(now.timestamp()) // 86400 * 86400
    days = {int(day): count for day, count in ((token.usage or {}).get("days") or {}).items()}
    counts = [(today - 86400 * (DAYS - 1 - i), days.get(today - 86400 * (DAYS - 1 - i), 0)) for i in range(DAYS)]
    top = max((count for _, count in counts), default=0) or 1
    slot = WIDTH / DAYS
    found = []
    for i, (start, count) in enumerate(counts):
        height = round(count / top * (HEIGHT - 2), 1) if count else 0
        found.append(
            Bar(
                datetime.fromtimestamp(start, UTC),
                count,
                round(i * slot + (slot - BAR) / 2, 1),
                HEIGHT - height,
                height,
            )
        )
    return found


def pairs(token) -> list[dict]:
    found = []
    for pair in (token.usage or {}).get("pairs") or []:
        found.append(
            {
                "address": pair["address"],
                "agent": pair["agent"] or "(none)",
                "first": datetime.fromtimestamp(pair["first"], UTC),
                "last": datetime.fromtimestamp(pair["last"], UTC),
            }
        )
    return found
