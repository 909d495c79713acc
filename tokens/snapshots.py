"""Token snapshots: the tokens a process has authenticated, kept honest by a durable epoch (docs/decisions/21).

Looking a token up costs a PostgreSQL round trip on every request; the request already makes one Redis round
trip (the rate-limit script). So each process keeps the tokens it has authenticated — token, owner and the
owner's roles, keyed by the SHA-256 digest, never the value — together with the *authorization epoch* read in
the same SQL statement as the token.

The epoch is durable: one row in PostgreSQL (tokens.models.AuthorizationEpoch) that every change able to
affect what a token may do (revocation, network or share edits, the owner's status or roles, agents) moves
forward inside its own transaction, so the new value commits with the change or not at all. Redis holds a
copy, *announced* after the commit; the rate-limit script compares a snapshot's epoch with that copy in its
one round trip, exactly, so a copy that is missing (flushed, restarted empty) or different (older or newer)
never matches and the request is decided again from the database (tokens/auth.py). Every decision read from
the database announces the epoch it read, in the same script, and only ever forward ("set if missing or
greater"): a lost copy is restored by the next request that needs it, and a process holding an old value can
never overwrite a newer one.

What the Redis copy cannot show is a change whose announcement never arrived: Redis hung or unreachable at
the commit, or a failover to a replica that had not received it, leaves the copy at the old value that the
old snapshots carry. So each process also reads the durable row itself at most every AUTH_EPOCH_CHECK_SECONDS
(one query per process per interval, never per request; any token read refreshes it too) and trusts no
snapshot older than what it read; a process that sees the durable epoch ahead of the copy announces it
again. A change therefore reaches every process within that interval whatever Redis does, and on its very
next request when Redis works.

Only acceptance is ever decided from a snapshot: a snapshot that would refuse the request is re-read from the
database first. Snapshots also expire after AUTH_SNAPSHOT_SECONDS, which bounds how long a change made behind
the application's back (raw SQL, which moves no epoch) goes unnoticed. The snapshots are one of the
registered process caches (process_caches), so tests start without any."""

import logging
import threading
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.db import connection, transaction
from django.db.models import Subquery

from process_caches import register
from tokens.models import AuthorizationEpoch

log = logging.getLogger(__name__)
EPOCH_KEY = "tokens:durable-auth-epoch"  # not the old counter's key, whose values were larger (time_ns)
MAX_SNAPSHOTS = 50_000  # a process that sees more distinct tokens than this starts afresh
# KEYS[1] the epoch key, ARGV[1] an epoch read from the database: the copy only ever moves forward.
ANNOUNCE_LUA = """
local current = redis.call('GET', KEYS[1])
if not current or tonumber(ARGV[1]) > tonumber(current) then redis.call('SET', KEYS[1], ARGV[1]) end
"""
DURABLE_EPOCH = Subquery(AuthorizationEpoch.objects.filter(pk=1).values("value")[:1])  # NULL (0) when missing
_local_lock = threading.Lock()
_unannounced = {"epoch": 0}  # the newest epoch this process failed to announce (0: none): its outbox


@dataclass(frozen=True)
class Snapshot:
    token: object  # ApiToken with owner (and the owner's role types) and agent loaded
    epoch: str
    taken: float  # time.monotonic()


def durable_epoch() -> int:
    """The committed epoch (one indexed single-row read)."""
    return AuthorizationEpoch.objects.filter(pk=1).values_list("value", flat=True).first() or 0


def _bump() -> int:
    """Move the durable epoch forward inside the current transaction and return the new value. The row lock
    this takes serializes authorization changes, which are rare; a missing row starts from the current time
    in microseconds, a value no earlier row can have held."""
    table = connection.ops.quote_name(AuthorizationEpoch._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (id, value) VALUES (1, %s) "  # noqa: S608 - the table name is ours
            f"ON CONFLICT (id) DO UPDATE SET value = {table}.value + 1 RETURNING value",
            [time.time_ns() // 1000],
        )
        return cursor.fetchone()[0]


def _is_redis() -> bool:
    return settings.CACHES["default"]["BACKEND"].startswith("django_redis")


def announce(epoch: int) -> bool:
    """Copy an epoch read from the database to the shared cache, forward only; False when it could not."""
    try:
        if _is_redis():
            from django_redis import get_redis_connection

            get_redis_connection("default").eval(ANNOUNCE_LUA, 1, cache.make_key(EPOCH_KEY), epoch)
        else:
            with _local_lock:
                current = cache.get(EPOCH_KEY)
                if current is None or epoch > int(current):
                    cache.set(EPOCH_KEY, epoch, timeout=None)
    except Exception:  # Redis down, hung (the circuit breaker answers at once) or refusing
        _unannounced["epoch"] = max(_unannounced["epoch"], epoch)
        log.warning(
            "could not announce authorization epoch %s; every process reads it within %ss",
            epoch,
            settings.AUTH_EPOCH_CHECK_SECONDS,
        )
        return False
    if epoch >= _unannounced["epoch"]:
        _unannounced["epoch"] = 0
    return True


def shared_epoch() -> str | None:
    """The shared copy as the rate-limit script reads it (the embedded default's in-process path)."""
    value = cache.get(EPOCH_KEY)
    return None if value is None else str(value)


def changed() -> None:
    """Something that can change what some token may do; call inside its transaction.

    The durable epoch moves now, in the change's transaction. It is announced now too (best effort: later
    statements of this transaction and tests, whose transactions never commit, see it) and again when the
    transaction commits, which is the announcement that matters. One that fails is not lost: the durable row
    already says it, every process reads it within AUTH_EPOCH_CHECK_SECONDS and announces it again."""
    epoch = _bump()
    snapshots.saw(epoch)
    announce(epoch)
    transaction.on_commit(lambda: announce(epoch), robust=True)


class TokenSnapshots:
    name = "token snapshots"

    def __init__(self):
        self._by_digest: dict[str, Snapshot] = {}
        self._lock = threading.Lock()
        self._known = 0  # the durable epoch as this process last read it
        self._known_at = -1e9  # time.monotonic() of that read

    def get(self, digest: str) -> Snapshot | None:
        """The snapshot for this digest, if one is young enough and not older than the durable epoch (read
        again first when this process has not read it for AUTH_EPOCH_CHECK_SECONDS)."""
        snapshot = self._by_digest.get(digest)
        if snapshot is None or time.monotonic() - snapshot.taken > settings.AUTH_SNAPSHOT_SECONDS:
            return None
        if time.monotonic() - self._known_at > settings.AUTH_EPOCH_CHECK_SECONDS:
            self.check_durable()
        if int(snapshot.epoch) < self._known:
            return None
        return snapshot

    def check_durable(self) -> None:
        """Read the durable epoch (raises when the database cannot answer: then no snapshot is trusted). One
        that moved since the last read, or one this process failed to announce, is announced (again)."""
        epoch = durable_epoch()
        moved = epoch != self._known
        self._known, self._known_at = epoch, time.monotonic()
        if moved or _unannounced["epoch"]:
            announce(epoch)

    def saw(self, epoch: int) -> None:
        """An epoch read from the database together with a token (or written by a change)."""
        self._known, self._known_at = max(self._known, epoch), time.monotonic()

    def keep(self, digest: str, token, epoch: int) -> None:
        self.saw(epoch)
        if settings.AUTH_SNAPSHOT_SECONDS <= 0:
            return
        with self._lock:
            if len(self._by_digest) >= MAX_SNAPSHOTS:
                self._by_digest.clear()
            self._by_digest[digest] = Snapshot(token, str(epoch), time.monotonic())

    def forget(self, digest: str) -> None:
        with self._lock:
            self._by_digest.pop(digest, None)

    def reset(self) -> None:
        with self._lock:
            self._by_digest.clear()
            self._known, self._known_at = 0, -1e9


snapshots = register(TokenSnapshots())
