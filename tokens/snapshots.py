"""Token snapshots: the tokens a process has authenticated, kept honest by one shared number.

Looking a token up costs a PostgreSQL round trip on every request; the request
already makes one Redis round trip (the rate-limit script). So each process keeps
the tokens it has authenticated — token, owner and the owner's roles, keyed by the
SHA-256 digest, never the value — together with the *authorization epoch* it read
from the cache before reading them from the database. Every change that can
affect what a token may do (revocation, network or share edits, the owner's
status or roles, agents) increments the epoch after its transaction commits.
The rate-limit script compares the epoch a snapshot was taken at with the current
one in the same round trip; on a mismatch the request is decided again from the
database (tokens/auth.py). So a change made in one process is seen by every
process on its very next request, exactly as with a lookup per request, for no
extra round trip.

Only acceptance is ever decided from a snapshot: a snapshot that would refuse the
request is re-read from the database first (its expiry may have been renewed by
another process, say). Snapshots also expire after AUTH_SNAPSHOT_SECONDS, which
bounds how long a change made behind the application's back (raw SQL) goes
unnoticed. The snapshots are one of the registered process caches
(process_caches), so tests start without any."""

import logging
import threading
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.db import transaction

from process_caches import register

log = logging.getLogger(__name__)
EPOCH_KEY = "tokens:auth-epoch"
MAX_SNAPSHOTS = 50_000  # a process that sees more distinct tokens than this starts afresh


@dataclass(frozen=True)
class Snapshot:
    token: object  # ApiToken with owner (and the owner's role types) and agent loaded
    epoch: str
    taken: float  # time.monotonic()


def current_epoch() -> str | None:
    """The shared epoch as a string ("0" before any change); None when the cache is unreachable."""
    try:
        value = cache.get(EPOCH_KEY)
    except Exception:  # django-redis raises ConnectionInterrupted when Redis is down
        return None
    return str(value or 0)


def _bump() -> None:
    try:
        cache.incr(EPOCH_KEY)
    except ValueError:  # missing (first change, or the cache lost it): start from a value never used before
        cache.add(EPOCH_KEY, time.time_ns(), timeout=None)
        cache.incr(EPOCH_KEY)
    except Exception:
        # Redis down: while it is, no snapshot is used (the rate limiter cannot run, and
        # authentication then decides from the database). If it comes back before this change is
        # announced, other processes may trust their snapshots for up to AUTH_SNAPSHOT_SECONDS.
        log.error(
            "could not announce an authorization change; snapshots expire within %ss", settings.AUTH_SNAPSHOT_SECONDS
        )


def changed() -> None:
    """Something that can change what some token may do; call inside its transaction.

    The bump after commit is the one that matters: a process that read the old row
    before the commit then finds its snapshot stale. The bump now, before it, makes the
    change visible to later statements of the same transaction (and to tests, whose
    transactions never commit)."""
    _bump()
    transaction.on_commit(_bump)


class TokenSnapshots:
    name = "token snapshots"

    def __init__(self):
        self._by_digest: dict[str, Snapshot] = {}
        self._lock = threading.Lock()

    def get(self, digest: str) -> Snapshot | None:
        snapshot = self._by_digest.get(digest)
        if snapshot is None or time.monotonic() - snapshot.taken > settings.AUTH_SNAPSHOT_SECONDS:
            return None
        return snapshot

    def keep(self, digest: str, token, epoch: str | None) -> None:
        if epoch is None or settings.AUTH_SNAPSHOT_SECONDS <= 0:
            return  # an epoch we could not read can never be checked: nothing to keep
        with self._lock:
            if len(self._by_digest) >= MAX_SNAPSHOTS:
                self._by_digest.clear()
            self._by_digest[digest] = Snapshot(token, epoch, time.monotonic())

    def forget(self, digest: str) -> None:
        with self._lock:
            self._by_digest.pop(digest, None)

    def reset(self) -> None:
        with self._lock:
            self._by_digest.clear()


snapshots = register(TokenSnapshots())
