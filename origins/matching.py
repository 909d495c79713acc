"""Which origins are trusted, for every request, from a per-process snapshot.

CORS is answered on every cross-origin /api/v1 request and the sign-in page
asks for frame origins, so these checks may not query the database each time.
The pattern is zones/matching.py's, for the same reasons:

- Each process keeps a snapshot of the ACTIVE origins per scope (browser
  form, origins/parsing.py).
- An origins *version* lives in the shared cache; every change replaces it
  when its transaction commits. A process compares its snapshot's version
  with the cached one at most once per ORIGIN_CHECK_SECONDS (1 s; 0 in tests)
  and reloads on a difference. So a deactivated CORS origin stops working in
  every process, on every host, within about a second, while the steady
  state costs one cache GET per process per second rather than per request
  (the per-request Redis budget belongs to the rate limiter).
- The version is read before the rows, so a change that commits during a
  reload leaves an old version and a reload on the next check.
- A change made in this process drops the local snapshot at once; a snapshot
  older than MAX_AGE is reloaded regardless; with the cache down we keep
  answering from the snapshot we have (reloaded at most once per MAX_AGE)."""

import logging
import threading
import time
import uuid
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.db import transaction

log = logging.getLogger("warden.origins")

VERSION_KEY = "origins:version"
MAX_AGE = 60.0


@dataclass(frozen=True)
class Snapshot:
    cors: frozenset[str]
    redirect: tuple[str, ...]  # ordered, for a stable form-action
    iframe: tuple[str, ...]  # ordered, for a stable frame-ancestors header
    version: str | None
    built_at: float


_lock = threading.Lock()
_snapshot: Snapshot | None = None
_checked_at = 0.0


def _load(version: str | None) -> Snapshot:
    from origins.models import OriginStatus, TrustedOrigin  # models import this module

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
    return Snapshot(frozenset(cors), tuple(redirect), tuple(iframe), version, time.monotonic())


def _shared_version() -> str | None:
    version = cache.get(VERSION_KEY)
    if version is None:  # a new or flushed cache: create one so every process agrees from now on
        cache.add(VERSION_KEY, uuid.uuid4().hex, timeout=None)
        version = cache.get(VERSION_KEY)
    return version


def current() -> Snapshot:
    global _snapshot, _checked_at
    now = time.monotonic()
    snapshot = _snapshot
    interval = float(getattr(settings, "ORIGIN_CHECK_SECONDS", 1.0))
    if snapshot is not None and now - _checked_at < interval and now - snapshot.built_at < MAX_AGE:
        return snapshot
    with _lock:
        snapshot = _snapshot
        try:
            version = _shared_version()
        except Exception:
            log.warning("origins: cache unavailable, origins version not checked", exc_info=True)
            if snapshot is not None and now - snapshot.built_at < MAX_AGE:
                return snapshot
            version = None
        _checked_at = now
        if snapshot is None or snapshot.version != version or version is None or now - snapshot.built_at >= MAX_AGE:
            snapshot = _snapshot = _load(version)
        return snapshot


def invalidate_local() -> None:
    global _snapshot
    _snapshot = None


def _bump_shared_version() -> None:
    invalidate_local()
    try:
        cache.set(VERSION_KEY, uuid.uuid4().hex, timeout=None)
    except Exception:
        log.warning("origins: cache unavailable, other processes see this change within %ss", MAX_AGE)


def origins_changed() -> None:
    """Call after any change to trusted origins (the model's save/delete do)."""
    invalidate_local()
    transaction.on_commit(_bump_shared_version)


def is_cors_origin(origin: str) -> bool:
    return origin in current().cors


def is_redirect_origin(origin: str) -> bool:
    return origin in current().redirect


def redirect_origins() -> tuple[str, ...]:
    return current().redirect


def iframe_origins() -> tuple[str, ...]:
    return current().iframe
