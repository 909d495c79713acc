"""Which bucket a request falls in and how big it is (docs/decisions/09).

Two groups from settings.RATE_LIMITS (ratelimits/groups.py): "logs" (/api/v1/logs and
/api/v1/events) and "default" (every other endpoint). A token gets max(1, floor(limit x share / 100)) of its
group's limit, all of one owner's tokens and console session together the same of the largest share among
them; an approved exception raises the group's limit only inside its
window. Limits are computed per request, never stored in counter keys, so a
slider move or an exception starting mid-window keeps the count so far."""

from django.conf import settings
from django.utils import timezone

from process_caches import TimedValue
from ratelimits.groups import GROUPS


def share(limit: int, percent: int) -> int:
    return max(1, limit * percent // 100)


def owner_percent(largest_token_share: int | None) -> int:
    """The owner bucket's share: the largest among the owner's callers, i.e. their active tokens and their
    console session (RATE_LIMIT_SESSION_PERCENT, which is also all an owner without tokens gets)."""
    return max(settings.RATE_LIMIT_SESSION_PERCENT, largest_token_share or 0)


def _approved_limits() -> dict[str, int]:
    """Highest approved exception rate per group whose window contains now."""
    from ratelimits.models import RateLimitException  # lazily: the models are not ready when settings load this

    now = timezone.now()
    limits: dict[str, int] = {}
    for group, rate in RateLimitException.objects.active(now).values_list("group", "requested_limit"):
        limits[group] = max(limits.get(group, 0), rate)
    return limits


# Exception windows are days long: each process re-reads them at most every RATE_LIMIT_POLICY_SECONDS,
# which keeps the database off the hot path; a decision made here drops the memo at once.
approved_limits = TimedValue(
    "rate-limit policy memo", load=_approved_limits, ttl=lambda: settings.RATE_LIMIT_POLICY_SECONDS
)


def group_limit(group: str) -> int:
    base = settings.RATE_LIMITS[group]
    return max(base, approved_limits.get().get(group, 0))


def token_limits(token) -> list[tuple[str, int, int, int]]:
    """(group, this token's, its owner's and the org's requests per minute), for the token detail page."""
    from tokens.models import largest_share  # lazily, like the exceptions above

    owner = owner_percent(largest_share(token.owner_id))
    return [(group, share(limit, token.rate_limit_percent), share(limit, owner), limit) for group, limit in _limits()]


def _limits() -> list[tuple[str, int]]:
    return [(group, group_limit(group)) for group in GROUPS]
