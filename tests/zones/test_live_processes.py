"""A zone change reaches every gunicorn worker within ZONE_INDEX_CHECK_SECONDS, through the
zones version in Redis, with PostgreSQL behind: the design of zones/matching.py on the real
components. Needs DATABASE_URL (PostgreSQL) and REDIS_URL; uses its own database
`<name>_zoneslive` and its own cache key prefix."""

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

DELETE = "from zones.models import NetworkZone; NetworkZone.objects.filter(name='live').delete()"

if not (DATABASE_URL.startswith("postgres") and REDIS_URL):
    pytest.skip("needs DATABASE_URL (PostgreSQL) and REDIS_URL", allow_module_level=True)


def _env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env.update(
        DATABASE_URL=DATABASE_URL + "_zoneslive",
        CACHE_KEY_PREFIX=os.environ.get("CACHE_KEY_PREFIX", "warden") + "-zoneslive",
        SECRET_KEY="zones-live-test-" + "k" * 40,
        TRUSTED_PROXIES="127.0.0.1/32",  # so X-Forwarded-For picks the client we pretend to be
        ZONE_INDEX_CHECK_SECONDS="1.0",
        # The polling below sends thousands of credential-less requests from one address; the
        # per-IP limit for them (120/m) would answer 429 and hide what this test watches.
        RATE_LIMIT_UNAUTHENTICATED="1000000/m",
        WARDEN_TESTING="false",
    )
    return env


def _manage(env, *args: str) -> str:
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True, capture_output=True, text=True
    ).stdout


def _status(url: str) -> int:
    # An API path: no templates (a production run would need collectstatic); 401 E0000011 when not
    # blocked (no token), 403 E0000006 when the blocklist refuses the client.
    request = urllib.request.Request(f"{url}/api/v1/zones", headers={"X-Forwarded-For": "203.0.113.9"})  # noqa: S310
    try:
        return urllib.request.urlopen(request, timeout=5).status  # noqa: S310 (our own loopback server)
    except urllib.error.HTTPError as error:
        return error.code


def _seconds_until_all(url: str, status: int, started: float) -> float:
    """Seconds from `started` until 20 consecutive requests (spread over both workers) answer `status`."""
    streak = 0
    while time.monotonic() - started < 10:
        streak = streak + 1 if _status(url) == status else 0
        time.sleep(0.01)
        if streak >= 20:
            return time.monotonic() - started
    raise AssertionError(f"workers did not all answer {status} within 10 s")


@pytest.fixture(scope="module")
def live_env():
    env = _env()
    name = env["DATABASE_URL"].rsplit("/", 1)[-1]
    subprocess.run(["createdb", "-h", "127.0.0.1", "-U", "postgres", name], capture_output=True)  # may exist
    _manage(env, "migrate", "--noinput")
    _manage(
        env, "shell", "-c", "from zones.models import NetworkZone; NetworkZone.objects.filter(name='live').delete()"
    )
    return env


def test_a_blocklist_change_reaches_every_worker_within_the_check_interval(live_env):
    create = (
        "from zones import services; from zones.forms import values_from_body; "
        "services.zone_create(values=values_from_body({'name': 'live', 'type': 'IP', "
        "'usage': 'BLOCKLIST', 'gateways': [{'type': 'CIDR', 'value': '203.0.113.0/24'}]}))"
    )
    with gunicorn(workers=2, env=live_env) as url:
        statuses = [_status(url) for _ in range(30)]
        assert set(statuses) == {401}, statuses  # both workers have built their index
        started = time.monotonic()
        _manage(live_env, "shell", "-c", create)  # a third process commits the change
        blocked_after = _seconds_until_all(url, 403, started)
        started = time.monotonic()
        _manage(live_env, "zone_deactivate", "live")
        open_after = _seconds_until_all(url, 401, started)
    _manage(
        live_env,
        "shell",
        "-c",
        "from zones.models import NetworkZone; NetworkZone.objects.filter(name='live').delete()",
    )
    # the manage.py process itself takes ~1 s to start; the check interval adds at most 1 s
    assert blocked_after < 4 and open_after < 4, (blocked_after, open_after)
    print(f"blocklist reached all workers after {blocked_after:.2f} s, removal after {open_after:.2f} s")
