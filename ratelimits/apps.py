from django.apps import AppConfig

from ratelimits import policy
from ratelimits.groups import Group


def _token_limits(token) -> list[tuple[str, str, int, int, int]]:
    return [(group, Group(group).label, *limits) for group, *limits in policy.token_limits(token)]


class RatelimitsConfig(AppConfig):
    name = "ratelimits"
    verbose_name = "Rate limits"

    def ready(self) -> None:
        from tokens import limits

        limits.provide(_token_limits)  # the token detail page's limits (tokens/limits.py)
