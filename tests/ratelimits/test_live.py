"""Two gunicorn processes sharing Redis admit exactly N requests for a limit of N (PostgreSQL + Redis)."""

import os

import pytest
from django.db import connection

from accounts.roles import RoleType
from bench.ratelimit_bench import get, hammer, wait_for_window
from bench.server import bench_env, gunicorn
from tests.accounts.factories import UserFactory
from tests.tokens.factories import issue_token

pytestmark = [pytest.mark.live, pytest.mark.django_db(transaction=True)]
WINDOW = 20


@pytest.fixture
def live_env():
    if connection.vendor != "postgresql" or not os.environ.get("REDIS_URL"):
        message = "RATE-LIMIT LIVE TESTS NOT RUN: they need DATABASE_URL (PostgreSQL) and REDIS_URL, as .ci/run sets"
        if os.environ.get("WARDEN_REQUIRE_BROWSER") == "1":
            pytest.fail(message)
        pytest.skip(message)
    db = connection.settings_dict
    url = f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
    return bench_env(
        DATABASE_URL=url,
        REDIS_URL=os.environ["REDIS_URL"],
        RATE_LIMIT_DEFAULT="60",
        RATE_LIMIT_WINDOW_SECONDS=str(WINDOW),
    )


def test_two_processes_admit_exactly_the_limit(live_env):
    owner = UserFactory(roles=[RoleType.SUPER_ADMIN])
    _, value = issue_token(owner=owner, rate_limit_percent=50)  # 30 of 60
    with gunicorn(workers=1, env=live_env) as first, gunicorn(workers=1, env=live_env) as second:
        wait_for_window(WINDOW)
        counts = hammer([first, second], value, 120)
        assert (counts[200], counts[429]) == (30, 90)
        status, headers = get(first + "/api/v1/users/me", value)
        assert (status, headers["X-Rate-Limit-Limit"], headers["X-Rate-Limit-Remaining"]) == (429, "30", "0")
        assert headers["Date"]
        wait_for_window(WINDOW)  # a new window on the Redis clock admits again, in either process
        assert get(second + "/api/v1/users/me", value)[0] == 200
