"""The trusted-origin lists, for every request, from each process's memory.

CORS is answered on every cross-origin /api/v1 request and the sign-in page
asks for frame origins, so these checks may not query the database each time.
Each process keeps the ACTIVE origins per scope (in browser form,
origins/parsing.py) as a `VersionedValue` (process_caches): a deactivated CORS
origin stops working in every process, on every host, within
ORIGIN_CHECK_SECONDS (1 s; 0 in tests), for one cache GET per process per
second rather than per request (the per-request Redis budget belongs to the
rate limiter)."""

from dataclasses import dataclass

from django.conf import settings

from process_caches import VersionedValue

VERSION_KEY = "origins:version"
MAX_AGE = 60.0


@dataclass(frozen=True)
class TrustedOrigins:
    cors: frozenset[str]
    redirect: tuple[str, ...]  # ordered, for a stable form-action
    iframe: tuple[str, ...]  # ordered, for a stable frame-ancestors header


def _load() -> TrustedOrigins:
    from origins.models import OriginStatus, TrustedOrigin  # the models announce changes through this module

    cors, redirect, iframe = set(), [], []
    for key, scopes in (
        TrustedOrigin.objects.filter(status=OriginStatus.ACTIVE)
        .order_by("origin_key")
        .values_list("origin_key", "scopes")
    ):
        types = {scope.get("type") for scope in scopes or ()}
        if "CORS" in types:
            cors.add(key)
        if "REDIRECT" in types:
            redirect.append(key)
        if "IFRAME_EMBED" in types:
            iframe.append(key)
    return TrustedOrigins(frozenset(cors), tuple(redirect), tuple(iframe))


trusted_origins = VersionedValue(
    "trusted-origin lists",
    load=_load,
    version_key=VERSION_KEY,
    check_every=lambda: float(getattr(settings, "ORIGIN_CHECK_SECONDS", 1.0)),
    max_age=MAX_AGE,
)


def origins_changed() -> None:
    """Call after any change to trusted origins (the model's save/delete do)."""
    trusted_origins.changed()


def is_cors_origin(origin: str) -> bool:
    return origin in trusted_origins.get().cors


def is_redirect_origin(origin: str) -> bool:
    return origin in trusted_origins.get().redirect


def redirect_origins() -> tuple[str, ...]:
    return trusted_origins.get().redirect


def iframe_origins() -> tuple[str, ...]:
    return trusted_origins.get().iframe
