"""Where and how a token is used (docs/decisions/34): counted in the rate limiter's one round trip, written
with the renewal, shown on the detail page and in the list."""

from datetime import timedelta

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.roles import RoleType
from ratelimits import counters
from tests.accounts.factories import UserFactory
from tests.conftest import client_for
from tests.tokens.factories import issue_token, ssws
from tokens.models import ApiToken

pytestmark = pytest.mark.django_db


def call(value: str, address: str = "198.51.100.7", agent: str = "deploy-bot/1.0") -> int:
    return Client(REMOTE_ADDR=address, HTTP_USER_AGENT=agent).get("/api/v1/users/me", **ssws(value)).status_code


def later(seconds: int = 61):
    """The renewal minute has passed (Python's clock only: the counters' buckets follow the store's clock)."""
    return time_machine.travel(timezone.now() + timedelta(seconds=seconds), tick=False)


def hourly_total(token_id: str) -> dict[str, int]:
    found: dict[str, int] = {}
    for counts in counters.hourly(token_id).values():
        for address, n in counts.items():
            found[address] = found.get(address, 0) + n
    return found


def test_requests_are_counted_per_address_and_written_with_the_renewal():
    token, value = issue_token()
    for address in ["198.51.100.7"] * 3 + ["203.0.113.5"] * 2:
        assert call(value, address) == 200
    assert hourly_total(token.id) == {"198.51.100.7": 3, "203.0.113.5": 2}
    first = ApiToken.objects.get(pk=token.pk).usage  # written by the first request's renewal
    assert sum(first["days"].values()) == 1
    with later():
        assert call(value, "203.0.113.5", "curl/8.5") == 200  # the minute has passed: renews, writes the summary
    usage = ApiToken.objects.get(pk=token.pk).usage
    assert sum(usage["days"].values()) == 6
    assert [(p["address"], p["agent"]) for p in usage["pairs"]][:1] == [("203.0.113.5", "curl/8.5")]
    assert {(p["address"], p["agent"]) for p in usage["pairs"]} == {
        ("203.0.113.5", "curl/8.5"),
        ("203.0.113.5", "deploy-bot/1.0"),
        ("198.51.100.7", "deploy-bot/1.0"),
    }


def test_the_last_five_distinct_pairs_keep_their_first_seen_time():
    token, value = issue_token()
    for i in range(7):
        call(value, f"192.0.2.{i}", f"agent-{i}")
    with later():
        call(value, "192.0.2.6", "agent-6")
    pairs = ApiToken.objects.get(pk=token.pk).usage["pairs"]
    assert [p["address"] for p in pairs] == ["192.0.2.6", "192.0.2.5", "192.0.2.4", "192.0.2.3", "192.0.2.2"]
    assert all(p["first"] <= p["last"] for p in pairs)


def test_at_most_100_addresses_an_hour_the_rest_as_other():
    token, value = issue_token(rate_limit_percent=100)
    for i in range(102):
        assert call(value, f"10.9.{i // 250}.{i % 250}") == 200
    assert call(value, "10.9.0.0") == 200  # a known address is still counted as itself
    counts = hourly_total(token.id)
    assert len(counts) == 101 and counts["other"] == 2 and counts["10.9.0.0"] == 2
    assert sum(counts.values()) == 103


def test_usage_adds_no_write_only_the_renewal_writes_once_a_minute():
    token, value = issue_token()
    call(value)  # the first use renews
    with CaptureQueriesContext(connection) as captured:
        for _ in range(20):
            assert call(value) == 200
    assert not [q for q in captured if q["sql"].lstrip().upper().startswith("UPDATE")]
    with later(), CaptureQueriesContext(connection) as captured:
        for _ in range(5):
            assert call(value) == 200
    updates = [q for q in captured if q["sql"].lstrip().upper().startswith("UPDATE")]
    assert len(updates) == 1 and "usage" in updates[0]["sql"]


def test_still_one_redis_round_trip_per_request(settings):
    if not settings.CACHES["default"]["BACKEND"].startswith("django_redis"):
        pytest.skip("round trips are counted on Redis (REDIS_URL)")
    from redis.connection import Connection

    # The suite checks the zones and origins versions on every request (config/settings.py TESTING); in
    # production they are read at most once a second, as here.
    settings.ZONE_INDEX_CHECK_SECONDS = settings.ORIGIN_CHECK_SECONDS = 60
    _, value = issue_token()
    call(value)
    sent, original = [0], Connection.send_packed_command

    def counting(self, command, check_health=True):
        sent[0] += 1
        return original(self, command, check_health)

    Connection.send_packed_command = counting
    try:
        for _ in range(10):
            call(value)
        with later():
            call(value)  # a renewing request, whose round trip also brings the summary back
    finally:
        Connection.send_packed_command = original
    assert sent[0] == 11


def test_the_detail_page_draws_the_days_and_lists_the_pairs_and_the_list_says_from_where():
    admin = UserFactory(roles=[RoleType.SUPER_ADMIN])
    token, value = issue_token(owner=admin)
    for _ in range(3):
        call(value, "198.51.100.9", "nightly-export/2.1")
    with later():
        call(value, "198.51.100.9", "nightly-export/2.1")
        browser = client_for(admin)
        page = browser.get(f"/security/api/tokens/{token.id}/").content.decode()
        listing = browser.get("/security/api/tokens/").content.decode()
    assert 'data-requests="4"' in page and '<span id="usage-total">4</span>' in page
    assert "nightly-export/2.1" in page and "198.51.100.9" in page
    assert "from 198.51.100.9" in listing


def test_a_huge_or_odd_user_agent_is_cut_and_never_a_500():
    token, value = issue_token()
    assert call(value, agent="x" * 10_000) == 200
    assert call(value, agent="\x7f\u00e9\t") == 200
    with later():
        assert call(value, agent="y" * 300) == 200
    agents = {p["agent"] for p in ApiToken.objects.get(pk=token.pk).usage["pairs"]}
    assert "y" * 200 in agents and max(len(a) for a in agents) == 200


def test_the_usage_keys_expire(settings):
    if not settings.CACHES["default"]["BACKEND"].startswith("django_redis"):
        pytest.skip("key lifetimes are the store's (REDIS_URL)")
    from django_redis import get_redis_connection

    token, value = issue_token()
    call(value)
    call(value, "192.0.2.1")
    conn, base = get_redis_connection("default"), counters.usage_base(token.id)
    keys = conn.keys(f"{base}:*")
    assert len(keys) == 4  # the hour, the days, the pairs and their first-seen times
    for key in keys:
        assert 0 < conn.ttl(key) <= 31 * 86400, key
