from django.apps import AppConfig

from ratelimits import policy


def _token_limits(token) -> list[tuple[str, int, int]]:
    return [(group, mine, policy.group_limit(group)) for group, mine in policy.token_limits(token)]


class RatelimitsConfig(AppConfig):
    name = "ratelimits"
    verbose_name = "Rate limits"

    def ready(self) -> None:
        from tokens import limits

        limits.provide(_token_limits)  # the token detail page's limits (tokens/limits.py)
