"""A token's rate limits as its detail page shows them: (group, its label, this token's requests per
minute, all of its owner's tokens and sessions together, the group's limit).

The arithmetic is the rate limiter's own (approved exceptions included), not a copy of it, and
ratelimits sits above tokens: so ratelimits registers it here from its AppConfig.ready()
(docs/decisions/18-enforced-layers.md). Without it, the page lists no limits."""

from collections.abc import Callable

TokenLimits = Callable[[object], list[tuple[str, str, int, int, int]]]

_provider: TokenLimits | None = None


def provide(function: TokenLimits) -> None:
    global _provider
    _provider = function


def for_token(token) -> list[tuple[str, str, int, int, int]]:
    return _provider(token) if _provider is not None else []
