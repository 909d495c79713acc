"""A trusted-origin change reaches every gunicorn worker within ORIGIN_CHECK_SECONDS through
the origins version in Redis, with PostgreSQL behind (origins/matching.py on the real
components). Needs DATABASE_URL (PostgreSQL) and REDIS_URL; uses its own database
`<name>_originslive` and its own cache key prefix."""

import os
import subprocess
import sys
import time
import urllib.error
import urllib.request

import pytest

from bench.server import ROOT, gunicorn

pytestmark = pytest.mark.live
DATABASE_URL = os.environ.get("DATABASE_URL", "")
REDIS_URL = os.environ.get("REDIS_URL", "")
SPA = "https://spa.live.example"

if not (DATABASE_URL.startswith("postgres") and REDIS_URL):
    pytest.skip("needs DATABASE_URL (PostgreSQL) and REDIS_URL", allow_module_level=True)


def _env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env.update(
        DATABASE_URL=DATABASE_URL + "_originslive",
        CACHE_KEY_PREFIX=os.environ.get("CACHE_KEY_PREFIX", "warden") + "-originslive",
        SECRET_KEY="origins-live-test-" + "k" * 40,
        ORIGIN_CHECK_SECONDS="1.0",
        WARDEN_TESTING="false",
    )
    return env


def _shell(env, code: str) -> None:
    subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", code],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )


SEEN: list[int] = []


def _allowed(url: str) -> bool:
    """Does this answer (401 E0000011, no token) carry CORS headers for SPA?"""
    request = urllib.request.Request(f"{url}/api/v1/trustedOrigins", headers={"Origin": SPA})  # noqa: S310
    try:
        response = urllib.request.urlopen(request, timeout=5)  # noqa: S310 (our own loopback server)
    except urllib.error.HTTPError as error:
        response = error
    SEEN.append(response.status)
    return response.headers.get("Access-Control-Allow-Origin") == SPA


def _seconds_until_all(url: str, allowed: bool, started: float) -> float:
    """Seconds from `started` until the first of 10 consecutive requests (spread over both
    workers) that all agree; requests are slow on a busy machine, so the streak's own length
    is not counted."""
    streak, streak_started = 0, None
    while time.monotonic() - started < 30:
        sent = time.monotonic()
        if _allowed(url) == allowed:
            streak, streak_started = streak + 1, streak_started or sent
        else:
            streak, streak_started = 0, None
        if streak >= 10:
            return streak_started - started
    raise AssertionError(f"workers did not all answer allowed={allowed} within 30 s; statuses {set(SEEN)}")


@pytest.fixture(scope="module")
def live_env():
    env = _env()
    name = env["DATABASE_URL"].rsplit("/", 1)[-1]
    subprocess.run(["createdb", "-h", "127.0.0.1", "-U", "postgres", name], capture_output=True)  # may exist
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput"], cwd=ROOT, env=env, check=True, capture_output=True
    )
    _shell(env, "from origins.models import TrustedOrigin; TrustedOrigin.objects.filter(name='live').delete()")
    return env


def test_activation_and_deactivation_reach_every_worker_within_the_check_interval(live_env):
    create = (
        "from origins import services; from origins.forms import TrustedOriginForm as F; "
        f"f = F({{'name': 'live', 'origin': '{SPA}', 'scopes': [{{'type': 'CORS'}}]}}, json=True); "
        "assert f.is_valid(), f.errors; services.origin_create(data=f.cleaned_data)"
    )
    deactivate = (
        "from origins import services; from origins.models import TrustedOrigin; "
        "services.origin_deactivate(origin=TrustedOrigin.objects.get(name='live'))"
    )
    with gunicorn(workers=2, env=live_env) as url:
        assert not any(_allowed(url) for _ in range(30))  # both workers hold trusted-origin lists without it
        started = time.monotonic()
        _shell(live_env, create)  # a third process commits the change
        allowed_after = _seconds_until_all(url, True, started)
        started = time.monotonic()
        _shell(live_env, deactivate)
        refused_after = _seconds_until_all(url, False, started)
    _shell(live_env, "from origins.models import TrustedOrigin; TrustedOrigin.objects.filter(name='live').delete()")
    # Measured from before the shell process that commits (Django start-up takes 1-3 s on a busy
    # machine); the check interval adds at most 1 s after the commit.
    print(f"origins live: allowed after {allowed_after:.2f} s, refused after {refused_after:.2f} s")
    assert allowed_after < 8 and refused_after < 8, (allowed_after, refused_after)
