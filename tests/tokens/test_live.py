"""Tokens against real gunicorn processes on PostgreSQL + Redis (the
production shape): revocation reaches every process on its next request, and
the official okta Python SDK works against Warden unchanged."""

import asyncio
import json
import os
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pytest
from django.conf import settings
from django.db import connection
from django.utils import timezone

from accounts import services as accounts_services
from accounts.roles import RoleType
from bench.server import application_role_url, bench_env, gunicorn
from tests.accounts.factories import UserFactory
from tests.tokens.factories import issue_token
from tokens.models import ApiToken, TokenStatus
from zones.models import NetworkZone

pytestmark = [pytest.mark.live, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def live_env():
    if connection.vendor != "postgresql" or not os.environ.get("REDIS_URL"):
        message = "LIVE TESTS NOT RUN: they need DATABASE_URL (PostgreSQL) and REDIS_URL, as .ci/run sets"
        if os.environ.get("WARDEN_REQUIRE_BROWSER") == "1":
            pytest.fail(message)
        pytest.skip(message)
    db = connection.settings_dict
    owner_url = f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
    url = application_role_url(owner_url)  # gunicorn serves as production does: a role that owns nothing
    # The same cache prefix as this process, so a change made here is announced to the servers too.
    prefix = settings.CACHES["default"]["KEY_PREFIX"]
    return bench_env(
        DATABASE_URL=url, REDIS_URL=os.environ["REDIS_URL"], ZONE_INDEX_CHECK_SECONDS="0", CACHE_KEY_PREFIX=prefix
    )


def status(base: str, value: str, method: str = "GET", path: str = "/api/v1/users/me") -> int:
    headers = {"Authorization": f"SSWS {value}"}
    request = urllib.request.Request(f"{base}{path}", method=method, headers=headers)  # noqa: S310 - loopback
    try:
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310 - loopback test server
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def test_revocation_in_one_process_is_refused_by_another_on_its_next_request(live_env):
    owner = UserFactory(roles=[RoleType.SUPER_ADMIN])
    token, value = issue_token(owner=owner)
    with gunicorn(workers=1, env=live_env) as first, gunicorn(workers=1, env=live_env) as second:
        assert status(first, value) == 200
        assert status(second, value) == 200
        assert status(first, value, "DELETE", f"/api/v1/api-tokens/{token.id}") == 204
        assert status(second, value) == 401
        assert status(first, value) == 401
    token.refresh_from_db()
    assert token.status == TokenStatus.REVOKED


def rotate(base: str, value: str, token_id: str, grace: str) -> dict:
    request = urllib.request.Request(  # noqa: S310 - loopback
        f"{base}/api/v1/api-tokens/{token_id}/lifecycle/rotate",
        data=json.dumps({"gracePeriod": grace}).encode(),
        method="POST",
        headers={"Authorization": f"SSWS {value}", "Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310 - loopback test server
        assert response.headers["Cache-Control"] == "no-store"
        return json.loads(response.read())


def test_a_rotated_away_value_works_in_every_process_until_its_deadline_and_in_none_after(live_env):
    """docs/decisions/30: the deadline travels in each process's snapshot, so its passing needs no announcement."""
    owner = UserFactory(roles=[RoleType.SUPER_ADMIN])
    token, old = issue_token(owner=owner)
    with gunicorn(workers=1, env=live_env) as first, gunicorn(workers=1, env=live_env) as second:
        assert status(first, old) == status(second, old) == 200  # both hold a snapshot of the old value
        new = rotate(first, old, token.id, "PT1H")["value"]
        for base in (first, second):
            assert (status(base, old), status(base, new)) == (200, 200)
        # Bring the deadline near (a save: it moves the epoch like any change), let both processes snapshot the
        # token with it, then let it pass: a few seconds of wall clock, as the servers' clock is the real one.
        deadline = timezone.now() + timedelta(seconds=4)
        stored = ApiToken.objects.get(pk=token.pk)
        stored.previous_valid_until = deadline
        stored.save(update_fields=["previous_valid_until"])
        for base in (first, second):
            assert (status(base, old), status(base, old)) == (200, 200)  # from the database, then its snapshot
        time.sleep(max(0.0, (deadline - timezone.now()).total_seconds()) + 0.2)
        for base in (first, second):
            assert (status(base, old), status(base, new)) == (401, 200)
        # No grace at all: refused at once in both.
        newest = rotate(second, new, token.id, "PT0S")["value"]
        for base in (first, second):
            assert (status(base, new), status(base, newest)) == (401, 200)


def test_usage_counts_match_the_requests_made_across_two_processes(live_env):
    """docs/decisions/34: both processes count into the same store in their one round trip, and a renewal writes
    the summary of both."""
    from ratelimits import counters

    owner = UserFactory(roles=[RoleType.SUPER_ADMIN])
    token, value = issue_token(owner=owner)
    made = 0
    with gunicorn(workers=1, env=live_env) as first, gunicorn(workers=1, env=live_env) as second:
        for i in range(30):
            assert status(first if i % 2 else second, value) == 200
            made += 1
        hours = counters.hourly(token.id)
        assert sum(n for counts in hours.values() for n in counts.values()) == made
        assert {address for counts in hours.values() for address in counts} == {"127.0.0.1"}
        # The next request renews (a save moved the epoch and put the last use back a minute): its UPDATE carries
        # the summary of every request either process counted.
        stored = ApiToken.objects.get(pk=token.pk)
        stored.last_used = timezone.now() - timedelta(minutes=2)
        stored.save(update_fields=["last_used"])
        assert status(first, value) == 200
        made += 1
    usage = ApiToken.objects.get(pk=token.pk).usage
    assert sum(usage["days"].values()) == made
    assert [p["address"] for p in usage["pairs"]] == ["127.0.0.1"]


def test_a_role_removed_elsewhere_applies_to_every_process_on_its_next_request(live_env):
    UserFactory(roles=[RoleType.SUPER_ADMIN])  # docs/decisions/16: not the last super admin
    owner = UserFactory(roles=[RoleType.SUPER_ADMIN])
    _, value = issue_token(owner=owner)
    with gunicorn(workers=1, env=live_env) as first, gunicorn(workers=1, env=live_env) as second:
        for _ in range(3):  # both processes now accept the token from their snapshots
            assert status(first, value, path="/api/v1/zones") == status(second, value, path="/api/v1/zones") == 200
        accounts_services.role_grant(user=owner, role_type=RoleType.HELP_DESK_ADMIN)  # a third process: this one
        accounts_services.role_remove(user=owner, role_type=RoleType.SUPER_ADMIN)
        assert status(first, value, path="/api/v1/zones") == 403
        assert status(second, value, path="/api/v1/zones") == 403
        accounts_services.user_deactivate(user=owner)
        assert status(first, value, path="/api/v1/users/me") == status(second, value, path="/api/v1/users/me") == 401


def test_the_official_okta_sdk_lists_gets_upserts_revokes(live_env, monkeypatch):
    okta_client = pytest.importorskip("okta.client")
    from okta.models.api_token_update import ApiTokenUpdate

    monkeypatch.setenv("OKTA_TESTING_TESTINGDISABLEHTTPSCHECK", "true")
    owner = UserFactory(roles=[RoleType.SUPER_ADMIN])
    token, value = issue_token(owner=owner, name="sdk token")
    zone = NetworkZone.objects.create(name="Loopback", gateways=[{"type": "CIDR", "value": "127.0.0.0/8"}])

    async def scenario(base: str):
        client = okta_client.Client({"orgUrl": base, "token": value, "rateLimit": {"maxRetries": 0}})
        listed, _, error = await client.list_api_tokens()
        assert error is None, error
        assert [t.id for t in listed] == [token.id]
        fetched, _, error = await client.get_api_token(token.id)
        assert error is None and fetched.name == "sdk token" and fetched.token_window == "P30D"
        update = ApiTokenUpdate.from_dict(
            {"name": "sdk token", "userId": owner.id, "network": {"connection": "ZONE", "include": [zone.id]}}
        )
        updated, _, error = await client.upsert_api_token(token.id, update)
        assert error is None, error
        assert updated.network.connection == "ZONE" and updated.network.include == [zone.id]
        _, _, error = await client.revoke_api_token(token.id)
        assert error is None, error
        _, response, error = await client.get_api_token(token.id)
        return error

    # A thread of its own: Playwright's sync API may have left an event loop in this one.
    with gunicorn(workers=1, env=live_env) as base, ThreadPoolExecutor(max_workers=1) as pool:
        error = pool.submit(asyncio.run, scenario(base)).result()
    assert error is not None and "E0000011" in str(error)
    assert ApiToken.objects.get(pk=token.pk).status == TokenStatus.REVOKED
