"""Which bucket a request falls in and how big it is (decision 9).

Two groups from settings.RATE_LIMITS: "logs" (/api/v1/logs) and "default"
(every other endpoint). A token gets max(1, floor(limit x share / 100)) of its
group's limit; an approved exception raises the group's limit only inside its
window. Limits are computed per request, never stored in counter keys, so a
slider move or an exception starting mid-window keeps the count so far."""

import time

from django.conf import settings
from django.utils import timezone

GROUPS = ("logs", "default")
_exceptions_memo: dict = {"at": -1e9, "limits": {}}


def group_for(path: str) -> str:
    if path == "/api/v1/logs" or path.startswith("/api/v1/logs/"):
        return "logs"
    return "default"


def share(limit: int, percent: int) -> int:
    return max(1, limit * percent // 100)


def _approved_limits() -> dict[str, int]:
    """Highest approved exception rate per group whose window contains now.
    Read at most every RATE_LIMIT_POLICY_SECONDS per process (exception windows
    are days long; a few seconds of lag keeps the database off the hot path)."""
    ttl = settings.RATE_LIMIT_POLICY_SECONDS
    if time.monotonic() - _exceptions_memo["at"] < ttl:
        return _exceptions_memo["limits"]
    from ratelimits.models import RateLimitException  # the model imports this module's GROUPS

    now = timezone.now()
    limits: dict[str, int] = {}
    for group, rate in RateLimitException.objects.active(now).values_list("group", "requested_limit"):
        limits[group] = max(limits.get(group, 0), rate)
    _exceptions_memo.update(at=time.monotonic(), limits=limits)
    return limits


def forget() -> None:
    """Drop this process's memo (after a decision here; other processes catch up within the TTL)."""
    _exceptions_memo.update(at=-1e9, limits={})


def group_limit(group: str) -> int:
    base = settings.RATE_LIMITS[group]
    return max(base, _approved_limits().get(group, 0))


def token_limits(token) -> list[tuple[str, int]]:
    """(group, requests per minute) for one token, for the token detail page."""
    return [(group, share(group_limit(group), token.rate_limit_percent)) for group in GROUPS]
