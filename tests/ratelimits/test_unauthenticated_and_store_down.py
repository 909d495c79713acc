"""Per-IP limits for traffic without a token bucket; the counter store going away."""

import pytest

from accounts.roles import RoleType
from bench.server import free_port
from syslog.models import LogEvent
from tests.accounts.factories import PASSWORD, UserFactory
from tests.tokens.factories import issue_token, ssws
from tokens import services

pytestmark = pytest.mark.django_db
URL = "/api/v1/api-tokens"
BAD = {"HTTP_AUTHORIZATION": "SSWS " + "x" * 42}


@pytest.fixture
def tight(settings):
    settings.RATE_LIMIT_UNAUTHENTICATED = "3/m"
    return settings


def test_requests_without_credentials_are_limited_per_ip(client, tight):
    codes = [client.get(URL, REMOTE_ADDR="198.51.100.7").status_code for _ in range(4)]
    assert codes == [401, 401, 401, 429]
    assert client.get(URL, REMOTE_ADDR="198.51.100.8").status_code == 401  # another address has its own count
    first = client.get(URL, REMOTE_ADDR="198.51.100.9")
    assert (first["X-Rate-Limit-Limit"], first["X-Rate-Limit-Remaining"]) == ("3", "2")


def test_a_flood_of_bad_tokens_cannot_starve_a_good_one(client, tight):
    _, good = issue_token(rate_limit_percent=100)
    codes = [client.get(URL, REMOTE_ADDR="203.0.113.5", **BAD).status_code for _ in range(50)]
    assert codes[:3] == [401] * 3 and set(codes[3:]) == {429}
    assert client.get(URL, REMOTE_ADDR="203.0.113.5", **ssws(good)).status_code == 200
    assert client.get(URL, REMOTE_ADDR="203.0.113.6", **ssws(good)).status_code == 200


def test_cors_preflights_are_limited_per_ip(client, tight):
    preflight = {"HTTP_ORIGIN": "https://app.example", "HTTP_ACCESS_CONTROL_REQUEST_METHOD": "GET"}
    codes = [client.options(URL, REMOTE_ADDR="192.0.2.44", **preflight).status_code for _ in range(4)]
    assert codes[3] == 429 and 429 not in codes[:3]


@pytest.fixture
def cache_down(settings):
    """A private django-redis cache pointing at a closed port (the shared Redis is never touched)."""
    settings.CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": f"redis://127.0.0.1:{free_port()}/0",
            "OPTIONS": {"SOCKET_CONNECT_TIMEOUT": 0.2, "SOCKET_TIMEOUT": 0.2},
        }
    }
    from ratelimits import middleware

    middleware._last_store_warning["at"] = -1e9
    yield settings
    middleware._last_store_warning["at"] = -1e9


def test_store_down_ssws_fails_open_with_one_warning_a_minute(client, cache_down):
    _, value = issue_token()
    codes = [client.get(URL, **ssws(value)).status_code for _ in range(3)]
    assert codes == [200, 200, 200]
    assert LogEvent.objects.filter(event_type="system.rate_limit.store_unavailable").count() == 1


def test_store_down_unauthenticated_fails_closed(client, cache_down):
    assert client.get(URL).status_code == 429
    assert client.get(URL, **BAD).status_code == 429
    assert client.get(URL).json()["errorCode"] == "E0000047"


def test_store_down_sign_in_fails_closed(client, cache_down):
    user = UserFactory(roles=[RoleType.SUPER_ADMIN])
    response = client.post("/signin", {"username": user.login, "password": PASSWORD})
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_store_down_a_token_accepted_from_a_snapshot_is_checked_in_the_database(client, settings):
    """While Redis is away nobody can announce a change or check a snapshot's epoch, so a
    token the process accepted before is decided from the database again."""
    token, value = issue_token()
    assert client.get(URL, **ssws(value)).status_code == 200  # the process keeps a snapshot
    settings.CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": f"redis://127.0.0.1:{free_port()}/0",
            "OPTIONS": {"SOCKET_CONNECT_TIMEOUT": 0.2, "SOCKET_TIMEOUT": 0.2},
        }
    }
    services.token_revoke(token=token)  # its announcement is lost with the cache
    other, other_value = issue_token()
    assert client.get(URL, **ssws(other_value)).status_code == 200  # a live token still fails open
    # Refused: the 401 becomes 429 because refused credentials are counted per address, which
    # fails closed without the store.
    response = client.get(URL, **ssws(value))
    assert response.status_code == 429 and response.json()["errorCode"] == "E0000047"
