"""Rate limits are exact across processes (issue 6).

Two gunicorn instances (one worker each) on the same PostgreSQL and Redis; a
token limited to 100 requests per minute (1 % of the default group's 10,000);
400 requests spread over both from 8 threads, starting right after a window
reset on the Redis clock. Prints the header sequence of a sequential run that
hits the limit, then JSON with `ratelimit_exact` as the last line."""

import json
import os
import sys
import time
import urllib.error
import urllib.request
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

from bench.server import bench_env, gunicorn, manage  # noqa: E402

HEADERS = ("X-Rate-Limit-Limit", "X-Rate-Limit-Remaining", "X-Rate-Limit-Reset")


def get(url: str, value: str) -> tuple[int, dict]:
    request = urllib.request.Request(url, headers={"Authorization": f"SSWS {value}"})  # noqa: S310 - loopback
    try:
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310 - our own server
            return response.status, {h: response.headers.get(h) for h in (*HEADERS, "Date")}
    except urllib.error.HTTPError as error:
        return error.code, {h: error.headers.get(h) for h in (*HEADERS, "Date")}


def wait_for_window(window: int) -> None:
    """Sleep until just after the next window boundary on the Redis clock (the one the counters use)."""
    from django_redis import get_redis_connection

    seconds, micros = get_redis_connection("default").time()
    now = seconds + micros / 1e6
    time.sleep(window - now % window + 0.05)


def hammer(urls: list[str], value: str, total: int, path: str = "/api/v1/users/me", threads: int = 8) -> Counter:
    targets = [urls[i % len(urls)] + path for i in range(total)]
    with ThreadPoolExecutor(threads) as pool:
        return Counter(status for status, _ in pool.map(lambda u: get(u, value), targets))


def make_token(name: str, percent: int) -> str:
    from accounts.models import User
    from accounts.roles import RoleType
    from accounts.services import role_grant, user_create
    from tokens.services import token_create

    user = User.objects.filter(login="ratelimit-bench@warden.test").first()
    if user is None:
        user = user_create(
            login="ratelimit-bench@warden.test",
            first_name="Rate",
            last_name="Bench",
            password=None,
            is_service_account=True,
        )
        role_grant(user=user, role_type=RoleType.SUPER_ADMIN)
    return token_create(owner=user, name=name, rate_limit_percent=percent)[1]


def main() -> None:
    env = bench_env()
    for key, value in env.items():
        os.environ.setdefault(key, value)
    import django

    django.setup()
    manage("migrate", "--noinput", env=env)
    from django.conf import settings

    window = settings.RATE_LIMIT_WINDOW_SECONDS
    exact_value, sample_value = make_token("ratelimit bench", 1), make_token("ratelimit bench sample", 1)
    limit = max(1, settings.RATE_LIMITS["default"] // 100)
    with gunicorn(workers=1, env=env) as first, gunicorn(workers=1, env=env) as second:
        wait_for_window(window)
        started = time.monotonic()
        counts = hammer([first, second], exact_value, 400)
        elapsed = time.monotonic() - started
        wait_for_window(window)
        sequence = [get(f"{(first, second)[i % 2]}/api/v1/users/me", sample_value) for i in range(limit + 2)]
    print("Sequential requests with one token limited to", limit, "per minute (last successes, first 429s):")
    for i, (status, headers) in enumerate(sequence):
        if i >= limit - 3:
            print(f"  #{i + 1}: {status}", " ".join(f"{h}: {headers[h]}" for h in (*HEADERS, "Date")))
    other = sum(counts.values()) - counts[200] - counts[429]
    print(
        json.dumps(
            {
                "ratelimit_exact": {
                    "limit": limit,
                    "requests": 400,
                    "successes": counts[200],
                    "429s": counts[429],
                    "other": other,
                    "seconds": round(elapsed, 2),
                    "exact": counts[200] == limit,
                }
            }
        )
    )


if __name__ == "__main__":
    main()
