"""The Tokens list at 10,000 tokens (issue 9 figure 3): SQL queries and median
server time (in-process test client, 20 runs) of the first page with the
default sort and of a name search, compared with the same pages at 100 tokens."""

import argparse
import json
import os
import secrets
import statistics
import sys
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

from bench.server import bench_env  # noqa: E402

for key, value in bench_env().items():
    os.environ.setdefault(key, value)

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.utils import timezone  # noqa: E402

from accounts.models import User  # noqa: E402
from accounts.roles import RoleType  # noqa: E402
from accounts.services import role_grant, user_create  # noqa: E402
from tokens.models import ApiToken  # noqa: E402

PAGES = {"first_page": "/security/api/tokens/", "name_search": "/security/api/tokens/?q=deploy"}


def owner() -> User:
    user = User.objects.filter(login="bench-tokens@warden.test").first()
    if user is None:
        user = user_create(
            login="bench-tokens@warden.test",
            first_name="Bench",
            last_name="Tokens",
            password=None,
            is_service_account=True,
        )
        role_grant(user=user, role_type=RoleType.SUPER_ADMIN)
    return user


def fill_to(user: User, count: int) -> None:
    missing = count - ApiToken.objects.active().count()
    now = timezone.now()
    ApiToken.objects.bulk_create(
        (
            ApiToken(
                name=f"{'deploy' if i % 10 == 0 else 'sync'}-{secrets.token_hex(3)}",
                owner=user,
                digest=secrets.token_hex(32),
                expires_at=now + timedelta(days=1 + i % 29),
                last_used=now - timedelta(hours=i % 200),
            )
            for i in range(max(0, missing))
        ),
        batch_size=2000,
    )


def measure(client: Client) -> dict:
    figures = {}
    for name, url in PAGES.items():
        client.get(url)
        executed: list[str] = []

        def count(execute, sql, *rest, executed=executed):
            executed.append(sql)
            return execute(sql, *rest)

        with connection.execute_wrapper(count):
            client.get(url)
        times = []
        for _ in range(20):
            started = time.perf_counter()
            assert client.get(url).status_code == 200
            times.append((time.perf_counter() - started) * 1000)
        figures[name] = {"queries": len(executed), "median_ms": round(statistics.median(times), 2)}
    return figures


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true")
    parser.parse_args()
    user = owner()
    client = Client()
    client.force_login(user)
    ApiToken.objects.filter(owner=user).update(status="REVOKED", revoked_at=timezone.now())
    fill_to(user, 100)
    small = measure(client)
    fill_to(user, 10_000)
    large = measure(client)
    print(
        json.dumps(
            {
                "tokens_page_queries_10k": large["first_page"]["queries"],
                "tokens_page_queries_100": small["first_page"]["queries"],
                "tokens_page_ms_10k": large["first_page"]["median_ms"],
                "tokens_search_queries_10k": large["name_search"]["queries"],
                "tokens_search_ms_10k": large["name_search"]["median_ms"],
                "tokens_page_ms_100": small["first_page"]["median_ms"],
            }
        )
    )


if __name__ == "__main__":
    main()
