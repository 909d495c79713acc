"""A circuit breaker in front of Redis: a Redis that hangs costs what a Redis that refuses costs.

Everything a process asks Redis goes through django-redis's connection pool: the rate-limit script, the
authorization epoch (tokens/snapshots.py), the zones and trusted-origins versions (VersionedValue above),
django-ratelimit's per-IP counters. Each call already has a short socket timeout (REDIS_TIMEOUT_SECONDS), but
a Redis that is paused or unreachable without a refusal would still cost that timeout on every call, several
per request. So the first call that fails with a connection error or a timeout *opens* the breaker: from then
on every call fails at once, with the same ConnectionError a refused connection gives, and every caller
takes its "Redis is down" path (fail open for SSWS, closed for unauthenticated traffic, snapshots decided
from the database). A background thread of the process probes Redis with PING every PROBE_SECONDS and closes
the breaker at the first answer, so no request ever waits on a probe.

`BreakerPool` is django-redis's CONNECTION_POOL_CLASS (config/settings.py); one breaker per pool, so per
process."""

import logging
import threading
import time

import redis

log = logging.getLogger("warden.redis")
PROBE_SECONDS = 0.2
FAILURES = (redis.exceptions.ConnectionError, redis.exceptions.TimeoutError, OSError)


class Breaker:
    def __init__(self, probe):
        self._probe = probe  # () -> None, raises when Redis does not answer
        self._lock = threading.Lock()
        self.opened_at: float | None = None  # time.monotonic() when it opened; None while closed

    @property
    def is_open(self) -> bool:
        return self.opened_at is not None

    def check(self) -> None:
        if self.opened_at is not None:
            raise redis.exceptions.ConnectionError("Redis circuit breaker open")

    def failed(self, error: Exception) -> None:
        with self._lock:
            if self.opened_at is not None:
                return
            self.opened_at = time.monotonic()
        log.warning("Redis unavailable (%s): circuit breaker open, probing every %ss", error, PROBE_SECONDS)
        threading.Thread(target=self._probe_until_closed, name="redis-breaker-probe", daemon=True).start()

    def _probe_until_closed(self) -> None:
        while True:
            time.sleep(PROBE_SECONDS)
            try:
                self._probe()
            except FAILURES:
                continue
            opened_at, self.opened_at = self.opened_at, None
            log.warning("Redis answers again after %.1fs: circuit breaker closed", time.monotonic() - opened_at)
            return


class BreakerConnection(redis.Connection):
    """A connection that reports connection errors and timeouts to its pool's breaker."""

    breaker: Breaker | None = None

    def _guarded(self, call, *args, **kwargs):
        try:
            return call(*args, **kwargs)
        except FAILURES as error:
            if self.breaker is not None:
                self.breaker.failed(error)
            raise

    def connect(self, *args, **kwargs):
        return self._guarded(super().connect, *args, **kwargs)

    def send_packed_command(self, *args, **kwargs):
        return self._guarded(super().send_packed_command, *args, **kwargs)

    def read_response(self, *args, **kwargs):
        return self._guarded(super().read_response, *args, **kwargs)


class BreakerPool(redis.ConnectionPool):
    def __init__(self, connection_class=BreakerConnection, **kwargs):
        super().__init__(connection_class=connection_class, **kwargs)
        self.breaker = Breaker(self._ping)

    def _ping(self) -> None:
        connection = redis.Connection(**self.connection_kwargs)  # outside the breaker: it is what closes it
        try:
            connection.connect()
            connection.send_command("PING")
            connection.read_response()
        finally:
            connection.disconnect()

    def get_connection(self, *args, **kwargs):
        self.breaker.check()
        return super().get_connection(*args, **kwargs)

    def make_connection(self):
        connection = super().make_connection()
        connection.breaker = self.breaker
        return connection
