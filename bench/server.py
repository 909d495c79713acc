"""Start Warden the production way (gunicorn on PostgreSQL and Redis) for
benchmarks: a free loopback port, wait for /healthz, stop on exit."""

import contextlib
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit

import psycopg
from psycopg import sql

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/warden_bench"
DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/8"


def bench_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env.setdefault("DATABASE_URL", DEFAULT_DATABASE_URL)
    env.setdefault("REDIS_URL", DEFAULT_REDIS_URL)
    env.setdefault("SECRET_KEY", "bench-only-" + "k" * 50)
    env.setdefault("CACHE_KEY_PREFIX", "warden-bench")
    env.setdefault("OAUTH_KEY_ENCRYPTION_KEY", "YmVuY2gtb25seS1vYXV0aC1rZXktZW5jcnlwdGlvbjA=")  # bench and tests only
    env.update(extra)
    return env


def ensure_database(env: dict[str, str]) -> None:
    """Create the database `env` names if it is missing, and migrate it."""
    url = env["DATABASE_URL"]
    name = urlsplit(url).path.lstrip("/")
    with psycopg.connect(url.rsplit("/", 1)[0] + "/postgres", autocommit=True) as conn:
        if conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone() is None:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    manage("migrate", "--noinput", env=env)


APPLICATION_ROLE = os.environ.get("WARDEN_APPLICATION_ROLE", "warden_app")


def application_role_url(url: str, role: str = APPLICATION_ROLE) -> str:
    """`url` (an owner's or a superuser's) rewritten to connect as the application role, after
    granting that role what serving needs (docs/decisions/20); the role is created if missing
    and `url`'s role may create roles (.ci/run creates it as well)."""
    with psycopg.connect(url, autocommit=True) as conn:
        if conn.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", [role]).fetchone() is None:
            with contextlib.suppress(psycopg.errors.DuplicateObject):  # another run created it meanwhile
                conn.execute(sql.SQL("CREATE ROLE {} LOGIN").format(sql.Identifier(role)))
    manage("grant_application_role", role, env=bench_env(DATABASE_URL=url))
    parts = urlsplit(url)
    host = parts.netloc.rsplit("@", 1)[-1]
    return parts._replace(netloc=f"{role}@{host}").geturl()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def manage(*args: str, env: dict[str, str] | None = None) -> str:
    result = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env or bench_env(),
        capture_output=True,
        text=True,
        check=True,
    )
    return result.stdout


@contextmanager
def gunicorn(*, workers: int | None = None, env: dict[str, str] | None = None) -> Iterator[str]:
    env = env or bench_env()
    manage("collectstatic", "--noinput", env=env)  # production serves hashed static files from STATIC_ROOT
    port = free_port()
    env = {**env, "ORG_URL": f"http://127.0.0.1:{port}"}  # the OAuth issuer and audience: the URL it serves
    workers = workers or os.cpu_count() or 1
    command = [
        sys.executable,
        "-m",
        "gunicorn",
        "-c",
        "config/gunicorn.py",
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        str(workers),
        "config.wsgi",
    ]
    # The log goes to a file, never a pipe nobody reads: Django logs every 4xx at WARNING, and a
    # full 64 kB pipe would block the workers mid-request (the test client would see a timeout).
    log = tempfile.TemporaryFile()  # noqa: SIM115 - closed in the finally below, after gunicorn stops
    process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=log)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                urllib.request.urlopen(f"{url}/healthz", timeout=1).read()  # noqa: S310 - our own http URL
                break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    log.seek(0)
                    raise RuntimeError("gunicorn did not start: " + log.read().decode()[-2000:]) from None
                time.sleep(0.2)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:  # a worker stuck in a keep-alive read: do not wait for it
            process.kill()
            process.wait()
        log.close()
