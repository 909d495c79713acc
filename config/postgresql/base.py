"""Django's PostgreSQL backend with bounded waits (docs/decisions/21): no request waits on PostgreSQL for more
than DB_TIMEOUT_SECONDS, whether the server is slow, restarting, down or hung.

- Connecting: libpq's `connect_timeout` (config/settings.py), and a breaker: after a connection attempt
  fails, new attempts fail at once for DB_BREAKER_SECONDS, so a database that is down costs one timeout per
  process per interval, not one per request.
- Statements: PostgreSQL's own `statement_timeout` (set at connect), which a hung server cannot enforce;
  so a per-process watchdog also bounds every statement, commit, rollback and connection health check from
  the client side. When one overruns, the watchdog shuts the connection's socket down: the call fails with
  an OperationalError at once, Django discards the connection, and the request answers 503 E0000010
  (api/middleware.py)."""

import logging
import os
import socket
import threading
import time
from contextlib import contextmanager

from django.conf import settings
from django.db import OperationalError
from django.db.backends.postgresql import base

log = logging.getLogger("warden.database")
HEALTH_CHECK_SECONDS = 0.5  # SELECT 1 on a connection kept from an earlier request


class Watchdog:
    """Shuts down the socket of any database call that outlives its deadline (one thread per process)."""

    def __init__(self):
        self._lock = threading.Lock()
        self._armed: dict[object, tuple[float, int]] = {}
        self._pid: int | None = None

    @contextmanager
    def deadline(self, connection, seconds: float):
        try:
            fd = connection.pgconn.socket
        except Exception:  # not connected (None, closed or broken): nothing can hang
            fd = -1
        if fd < 0 or seconds <= 0:  # 0: DB_TIMEOUT_SECONDS turned off (a long migration)
            yield
            return
        key = object()
        with self._lock:
            self._armed[key] = (time.monotonic() + seconds, fd)
            if self._pid != os.getpid():  # first use in this process (gunicorn forks after import)
                self._pid = os.getpid()
                threading.Thread(target=self._watch, name="db-watchdog", daemon=True).start()
        try:
            yield
        finally:
            with self._lock:
                self._armed.pop(key, None)

    def _watch(self) -> None:
        while True:
            time.sleep(0.05)
            now = time.monotonic()
            with self._lock:
                overdue = [key for key, (deadline, _) in self._armed.items() if deadline < now]
                for key in overdue:
                    _, fd = self._armed.pop(key)
                    log.error("database call overran its deadline: closing its connection")
                    try:
                        sock = socket.socket(fileno=os.dup(fd))
                        sock.shutdown(socket.SHUT_RDWR)
                        sock.close()
                    except OSError:
                        pass


watchdog = Watchdog()
_breaker = {"until": 0.0}


def _bounded_execute(execute, sql, params, many, context):
    wrapper = context["connection"]
    with watchdog.deadline(wrapper.connection, settings.DB_TIMEOUT_SECONDS):
        return execute(sql, params, many, context)


class DatabaseWrapper(base.DatabaseWrapper):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.execute_wrappers.append(_bounded_execute)

    def get_new_connection(self, conn_params):
        if time.monotonic() < _breaker["until"]:
            raise OperationalError("database unavailable (connection breaker open)")
        try:
            return super().get_new_connection(conn_params)
        except Exception:
            _breaker["until"] = time.monotonic() + settings.DB_BREAKER_SECONDS
            raise

    def is_usable(self):
        with watchdog.deadline(self.connection, HEALTH_CHECK_SECONDS):
            return super().is_usable()

    def _commit(self):
        with watchdog.deadline(self.connection, settings.DB_TIMEOUT_SECONDS):
            return super()._commit()

    def _rollback(self):
        with watchdog.deadline(self.connection, settings.DB_TIMEOUT_SECONDS):
            return super()._rollback()
