"""What a process keeps in memory between requests, in one registry.

The API's per-request budget is one Redis round trip (the rate limiter's) and, in
steady state, no database query; so four things are read once and kept in each
process: the zone index, the trusted-origin lists, the token snapshots and the
rate-limit policy memo. Each is one named cache here, with its own freshness rule
and its own way of hearing about a change:

- `VersionedValue` (zone index, trusted-origin lists): one value built from the
  database, stamped with a shared *version* kept in the Django cache. Every change
  drops this process's copy at once and, when its transaction commits, replaces
  the shared version with a fresh random one. A process compares its copy's
  version with the shared one at most once per `check_every()` seconds and
  rebuilds on a difference, so a change reaches every process on every host
  within that interval for one cache GET per process per interval. The version
  is read *before* the rows, so a change committing during a rebuild leaves an old
  version and another rebuild on the next check: never a new version with old
  data. A copy older than `max_age` is rebuilt regardless (a flush racing a
  change, a manual SQL edit). With the cache down, the copy we have keeps
  answering, rebuilt at most once per `max_age`.
- `TimedValue` (rate-limit policy memo): one value re-read at most every
  `ttl()` seconds; a change made in this process drops it at once.
- Token snapshots (tokens/snapshots.py) are entries per token, checked against the
  shared authorization epoch on every use; they register here for `reset()`.

`reset_all()` drops every registered cache's local state: tests call it before
each test, so no test sees what an earlier one left in memory."""

import logging
import threading
import time
import uuid
from collections.abc import Callable, Hashable
from typing import Generic, Protocol, TypeVar

from django.core.cache import cache
from django.db import transaction

log = logging.getLogger("warden.process_caches")
T = TypeVar("T")


class ProcessCache(Protocol):
    name: str

    def reset(self) -> None:
        """Forget this process's state; the next use reads afresh."""


_registry: dict[str, ProcessCache] = {}


def register(process_cache: ProcessCache) -> ProcessCache:
    if process_cache.name in _registry and _registry[process_cache.name] is not process_cache:
        raise ValueError(f"a process cache named {process_cache.name!r} is already registered")
    _registry[process_cache.name] = process_cache
    return process_cache


def registered() -> dict[str, ProcessCache]:
    return dict(_registry)


def reset_all() -> None:
    for process_cache in _registry.values():
        process_cache.reset()


class VersionedValue(Generic[T]):
    """One value per process, rebuilt when the shared version moves (see the module docstring).

    `depends_on` names what else the value was built from (settings a test may override):
    a different answer rebuilds it."""

    def __init__(
        self,
        name: str,
        *,
        load: Callable[[], T],
        version_key: str,
        check_every: Callable[[], float],
        max_age: float,
        depends_on: Callable[[], Hashable] = lambda: None,
    ):
        self.name, self.version_key, self.max_age = name, version_key, max_age
        self._load, self._check_every, self._depends_on = load, check_every, depends_on
        self._lock = threading.Lock()
        self._value: T | None = None
        self._version: str | None = None
        self._built_for: Hashable = None
        self._built_at = 0.0
        self._checked_at = 0.0
        register(self)

    def get(self) -> T:
        now = time.monotonic()
        if self._fresh(now) and now - self._checked_at < self._check_every():
            return self._value
        with self._lock:
            self._checked_at = now
            try:
                version = self._shared_version()
            except Exception:
                log.warning("%s: cache unavailable, version not checked", self.name, exc_info=True)
                if self._fresh(now):
                    return self._value
                version = self._version
            if not self._fresh(now) or version != self._version or self._built_for != self._depends_on():
                self._rebuild(version, now)
            return self._value

    def _fresh(self, now: float) -> bool:
        return self._value is not None and now - self._built_at < self.max_age

    def _rebuild(self, version: str | None, now: float) -> None:
        built_for = self._depends_on()
        value = self._load()
        self._value, self._version, self._built_for, self._built_at = value, version, built_for, now

    def _shared_version(self) -> str:
        """The cached version, created when missing (a new cache, a flush): an unknown state
        is a fresh random version, which differs from every process's copy."""
        version = cache.get(self.version_key)
        if version is None:
            cache.add(self.version_key, uuid.uuid4().hex, timeout=None)
            version = cache.get(self.version_key)
        return version

    def changed(self) -> None:
        """Call on every change to what the value is built from (inside the change's transaction):
        this process drops its copy now (the admin who saved expects to see it, and tests never
        commit), and every other process hears of it when the transaction commits."""
        self.reset()
        transaction.on_commit(self._announce, robust=True)

    def _announce(self) -> None:
        self.reset()  # a use inside the transaction may have rebuilt it half-way
        try:
            cache.set(self.version_key, uuid.uuid4().hex, timeout=None)
        except Exception:
            log.warning("%s: cache unavailable, other processes see this change within %ss", self.name, self.max_age)

    def reset(self) -> None:
        self._value = None


class TimedValue(Generic[T]):
    """One value per process, re-read at most every `ttl()` seconds."""

    def __init__(self, name: str, *, load: Callable[[], T], ttl: Callable[[], float]):
        self.name, self._load, self._ttl = name, load, ttl
        self._value: T | None = None
        self._read_at = -1e9
        register(self)

    def get(self) -> T:
        now = time.monotonic()
        if self._value is None or now - self._read_at >= self._ttl():
            self._value, self._read_at = self._load(), now
        return self._value

    def reset(self) -> None:
        self._value, self._read_at = None, -1e9
