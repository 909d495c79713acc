"""What the fault tests break: a private redis-server, a TCP proxy in front of PostgreSQL, and gunicorn.

Everything listens on loopback ports chosen at random, and everything is stopped when its context ends, so a
failing test leaves no process behind and never touches the shared Redis at 6379."""

import os
import select
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path

import redis

from bench.server import ROOT, free_port, manage


class RedisServer:
    """A redis-server of the test's own, which can be flushed, paused (SIGSTOP), killed and restarted from
    a snapshot saved earlier (a failover to a replica that never received the later writes)."""

    def __init__(self):
        self.port = free_port()
        self.dir = Path(tempfile.mkdtemp(prefix="warden-faults-redis-"))
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        command = ["redis-server", "--bind", "127.0.0.1", "--port", str(self.port), "--dir", str(self.dir)]
        command += ["--save", "", "--appendonly", "no", "--dbfilename", "dump.rdb", "--daemonize", "no"]
        self.process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 10
        while True:
            try:
                self.client().ping()
                return
            except redis.exceptions.ConnectionError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.05)

    def client(self) -> redis.Redis:
        return redis.Redis(host="127.0.0.1", port=self.port, socket_timeout=2, socket_connect_timeout=2)

    def flush(self) -> None:
        self.client().flushall()

    def save_snapshot(self) -> None:
        self.client().save()

    def pause(self) -> None:
        os.kill(self.process.pid, signal.SIGSTOP)

    def resume(self) -> None:
        os.kill(self.process.pid, signal.SIGCONT)

    def kill(self) -> None:
        """Gone: connections are refused from now on (the dump file stays, as on a crashed primary's replica)."""
        if self.process is not None and self.process.poll() is None:
            os.kill(self.process.pid, signal.SIGCONT)
            self.process.kill()
            self.process.wait()

    def restart_from_snapshot(self) -> None:
        self.kill()
        self.start()

    def stop(self) -> None:
        self.kill()
        shutil.rmtree(self.dir, ignore_errors=True)


@contextmanager
def private_redis() -> Iterator[RedisServer]:
    server = RedisServer()
    server.start()
    try:
        yield server
    finally:
        server.stop()


class TcpProxy:
    """A TCP proxy in front of PostgreSQL or Redis that can pause (a hung server: bytes stop flowing,
    connections stay open), black-hole (a network that loses what is sent: bytes are read and dropped), delay
    each chunk, drop every connection (a restart) and refuse new ones (a server that is down)."""

    def __init__(self, target_host: str, target_port: int):
        self.target = (target_host, target_port)
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.paused = False
        self.blackholed = False
        self.refusing = False
        self.delay = 0.0
        self.closed = False
        self._sockets: set[socket.socket] = set()
        self._lock = threading.Lock()
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while not self.closed:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            if self.refusing:
                client.close()
                continue
            try:
                upstream = socket.create_connection(self.target, timeout=5)
            except OSError:
                client.close()
                continue
            upstream.settimeout(None)
            with self._lock:
                self._sockets.update((client, upstream))
            threading.Thread(target=self._pump, args=(client, upstream), daemon=True).start()
            threading.Thread(target=self._pump, args=(upstream, client), daemon=True).start()

    def _pump(self, source: socket.socket, sink: socket.socket) -> None:
        try:
            while not self.closed:
                if self.paused:
                    time.sleep(0.02)
                    continue
                readable, _, _ = select.select([source], [], [], 0.05)
                if not readable or self.paused:
                    continue
                data = source.recv(65536)
                if not data:
                    break
                if self.blackholed:
                    continue
                if self.delay:
                    time.sleep(self.delay)
                sink.sendall(data)
        except (OSError, ValueError):  # ValueError: the other direction closed the socket (its fd is -1)
            pass
        finally:
            self._close(source, sink)

    def _close(self, *sockets: socket.socket) -> None:
        with self._lock:
            for sock in sockets:
                self._sockets.discard(sock)
                with suppress(OSError):
                    sock.shutdown(socket.SHUT_RDWR)
                sock.close()

    def drop_all(self) -> None:
        with self._lock:
            sockets = list(self._sockets)
        self._close(*sockets)

    def close(self) -> None:
        self.closed = True
        self.listener.close()
        self.drop_all()


@dataclass
class Answer:
    status: int
    seconds: float
    worker: str
    headers: dict
    body: bytes


def call(base: str, path: str, value: str | None = None, method: str = "GET", body: bytes | None = None) -> Answer:
    headers = {"Accept": "application/json", "Content-Type": "application/json"}
    if value is not None:
        headers["Authorization"] = f"SSWS {value}"
    request = urllib.request.Request(f"{base}{path}", method=method, headers=headers, data=body)  # noqa: S310
    started = time.monotonic()
    try:
        with urllib.request.urlopen(request, timeout=20) as response:  # noqa: S310 - loopback test server
            status, got, payload = response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        status, got, payload = error.code, dict(error.headers), error.read()
    return Answer(status, time.monotonic() - started, got.get("X-Test-Worker", ""), got, payload)


@contextmanager
def gunicorn(env: dict[str, str], workers: int = 2) -> Iterator[str]:
    """gunicorn the production way (config/gunicorn.py, gthread) with `workers` workers, answering through
    tests/faults/wsgi.py so each response names its worker."""
    manage("collectstatic", "--noinput", env=env)
    port = free_port()
    command = [sys.executable, "-m", "gunicorn", "-c", "config/gunicorn.py", "--bind", f"127.0.0.1:{port}"]
    command += ["--workers", str(workers), "tests.faults.wsgi:application"]
    log = tempfile.TemporaryFile()  # noqa: SIM115 - closed below; a pipe nobody reads would block the workers
    process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=log)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                urllib.request.urlopen(f"{base}/healthz", timeout=1).read()  # noqa: S310 - loopback
                break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    log.seek(0)
                    raise RuntimeError("gunicorn did not start: " + log.read().decode()[-3000:]) from None
                time.sleep(0.1)
        yield base
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()
