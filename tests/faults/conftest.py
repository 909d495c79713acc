"""Fixtures of the fault tests (issue 15): PostgreSQL (the shared server, as the live tests use it), a private
redis-server per test, and the environment gunicorn runs with. What they measure is in measure.py."""

import os

import pytest
from django.conf import settings
from django.db import connection

from bench.server import bench_env
from tests.faults.components import private_redis


@pytest.fixture
def database_url():
    if connection.vendor != "postgresql":
        message = "FAULT TESTS NOT RUN: they need DATABASE_URL (PostgreSQL), as .ci/run sets"
        if os.environ.get("WARDEN_REQUIRE_BROWSER") == "1":
            pytest.fail(message)
        pytest.skip(message)
    db = connection.settings_dict
    return f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


@pytest.fixture
def redis_server(settings):
    """A redis-server of this test's own. This process's cache points at it too, so a change made here
    (a role removed through the service) is announced to the servers exactly as one made by a worker."""
    with private_redis() as server:
        settings.CACHES = {
            "default": {
                **settings.CACHES["default"],
                "BACKEND": "django_redis.cache.RedisCache",
                "LOCATION": server.url,
                "KEY_PREFIX": "warden-faults",
            }
        }
        yield server


@pytest.fixture
def live_env(database_url, redis_server):
    return bench_env(
        DATABASE_URL=database_url,
        REDIS_URL=redis_server.url,
        CACHE_KEY_PREFIX="warden-faults",
        RATE_LIMIT_DEFAULT="1000000",
        SECRET_KEY=settings.SECRET_KEY,
    )
