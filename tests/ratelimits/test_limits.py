"""docs/decisions/09 arithmetic, headers, 429s, windows, share changes and events (LocMemCache or Redis)."""

import time

import pytest

from ratelimits import groups, policy
from syslog.models import LogEvent
from tests.tokens.factories import issue_token, ssws
from tokens import services
from tokens.models import ApiToken

pytestmark = pytest.mark.django_db
URL = "/api/v1/api-tokens"


@pytest.fixture
def limits(settings):
    settings.RATE_LIMITS = {"logs": 6, "default": 10}
    settings.RATE_LIMIT_WINDOW_SECONDS = 2
    return settings


def after_window_start(window: int) -> None:
    """Sleep to just after a window boundary so a test's requests all fall in one window."""
    now = time.time()
    time.sleep(window - now % window + 0.02)


def headers(response) -> tuple[int, int, int]:
    return tuple(int(response[h]) for h in ("X-Rate-Limit-Limit", "X-Rate-Limit-Remaining", "X-Rate-Limit-Reset"))


@pytest.mark.parametrize(
    "limit,percent,expected",
    [(10, 50, 5), (10, 1, 1), (3, 10, 1), (10_000, 33, 3300), (60, 100, 60), (60, 51, 30), (7, 99, 6)],
)
def test_token_share_is_floored_with_a_minimum_of_one(limit, percent, expected):
    assert policy.share(limit, percent) == expected


def test_groups_from_paths():
    assert groups.group_for("/api/v1/logs") == "logs"
    assert groups.group_for("/api/v1/logs/") == "logs"
    assert groups.group_for("/api/v1/logsx") == "default"
    assert groups.group_for("/api/v1/api-tokens") == "default"
    assert groups.group_for("/api/v1/events") == "logs"  # the same System Log in Okta's v1 shape
    assert groups.group_for("/api/v1/eventsx") == "default"


def test_logs_and_events_share_one_budget(client, limits):
    _, value = issue_token(rate_limit_percent=50)  # 3 of the logs group's 6
    after_window_start(2)
    seen = [
        client.get(url, **ssws(value))
        for url in ("/api/v1/logs", "/api/v1/events", "/api/v1/events", "/api/v1/logs", "/api/v1/api-tokens")
    ]
    assert [r.status_code for r in seen] == [200, 200, 200, 429, 200]
    assert [headers(r)[:2] for r in seen] == [(3, 2), (3, 1), (3, 0), (3, 0), (5, 4)]


def test_token_limits_for_the_detail_page(settings):
    settings.RATE_LIMITS = {"logs": 60, "default": 10_000}
    token, _ = issue_token(rate_limit_percent=25)
    # (group, this token, all of its owner's tokens and sessions: the largest share among them, the org)
    assert policy.token_limits(token) == [("logs", 15, 30, 60), ("default", 2500, 5000, 10_000)]


def test_headers_on_success_then_429_with_the_same_headers_and_no_view(client, limits):
    token, value = issue_token(rate_limit_percent=50)  # 5 of 10
    after_window_start(2)
    seen = [client.get(URL, **ssws(value)) for _ in range(7)]
    assert [r.status_code for r in seen] == [200] * 5 + [429] * 2
    assert [headers(r)[:2] for r in seen] == [(5, 4), (5, 3), (5, 2), (5, 1), (5, 0), (5, 0), (5, 0)]
    resets = {headers(r)[2] for r in seen}
    assert len(resets) == 1 and 0 < resets.pop() - time.time() <= 2
    body = seen[-1].json()
    assert body["errorCode"] == "E0000047" and body["errorSummary"].startswith("API call exceeded rate limit")
    assert seen[-1]["Content-Type"].startswith("application/json")


def test_window_reset_admits_again(client, limits):
    _, value = issue_token(rate_limit_percent=10)  # 1 of 10
    after_window_start(2)
    assert client.get(URL, **ssws(value)).status_code == 200
    assert client.get(URL, **ssws(value)).status_code == 429
    after_window_start(2)
    assert client.get(URL, **ssws(value)).status_code == 200


def test_the_429_does_not_renew_the_token(client, limits):
    token, value = issue_token(rate_limit_percent=10)
    after_window_start(2)
    client.get(URL, **ssws(value))
    ApiToken.objects.filter(pk=token.pk).update(last_used=None)
    assert client.get(URL, **ssws(value)).status_code == 429
    assert ApiToken.objects.get(pk=token.pk).last_used is None


def test_moving_the_slider_keeps_the_count(client, limits):
    token, value = issue_token(rate_limit_percent=50)  # 5
    after_window_start(2)
    for _ in range(3):
        assert client.get(URL, **ssws(value)).status_code == 200
    services.token_update_share(token=token, percent=30)  # 3: already used up
    response = client.get(URL, **ssws(value))
    assert response.status_code == 429 and headers(response)[:2] == (3, 0)
    services.token_update_share(token=token, percent=100)  # 10: the 4 counted so far stay
    response = client.get(URL, **ssws(value))
    assert response.status_code == 200 and headers(response)[:2] == (10, 5)


def test_org_bucket_counts_only_what_token_buckets_admitted(client, limits):
    _, hog = issue_token(name="hog", rate_limit_percent=60)  # 6 of 10
    _, other = issue_token(name="other", rate_limit_percent=60)
    after_window_start(2)
    hog_codes = [client.get(URL, **ssws(hog)).status_code for _ in range(9)]
    assert hog_codes == [200] * 6 + [429] * 3  # its 3 refusals did not count org-wide
    other_codes = [client.get(URL, **ssws(other)).status_code for _ in range(5)]
    assert other_codes == [200] * 4 + [429]  # org: 6 + 4 = 10
    last = client.get(URL, **ssws(other))
    assert headers(last)[:2] == (6, 0) or headers(last)[:2] == (10, 0)


def test_headers_show_the_bucket_closest_to_its_limit(client, limits):
    _, a = issue_token(name="a", rate_limit_percent=80)  # 8 of 10
    _, b = issue_token(name="b", rate_limit_percent=100)  # 10 of 10
    after_window_start(2)
    for _ in range(7):
        client.get(URL, **ssws(a))
    assert headers(client.get(URL, **ssws(b)))[:2] == (10, 2)  # token b: 9 left; org: 2 left


def test_logs_group_is_counted_apart(client, limits):
    _, value = issue_token(rate_limit_percent=50)  # logs 3, default 5
    after_window_start(2)
    codes = [client.get("/api/v1/logs", **ssws(value)).status_code for _ in range(4)]
    assert codes == [200] * 3 + [429]
    assert client.get(URL, **ssws(value)).status_code == 200


def test_warning_and_violation_once_per_bucket_per_window(client, limits):
    token, value = issue_token(rate_limit_percent=100)  # 10; warning at 9
    after_window_start(2)
    for _ in range(13):
        client.get(URL, **ssws(value))
    warnings = LogEvent.objects.filter(event_type="system.org.rate_limit.warning")
    violations = LogEvent.objects.filter(event_type="system.org.rate_limit.violation")
    buckets = sorted(e.data["debugContext"]["debugData"]["rateLimitBucket"] for e in warnings)
    assert buckets == ["caller", "org", "owner"]  # the owner's bucket: 100 % too, its only token's share
    assert [e.data["debugContext"]["debugData"]["rateLimitBucket"] for e in violations] == ["caller"]
    assert violations[0].data["target"][0]["id"] == token.id
    after_window_start(2)
    client.get(URL, **ssws(value))
    assert LogEvent.objects.filter(event_type__startswith="system.org.rate_limit").count() == 4


def test_session_api_requests_are_limited_per_user(client, limits, super_admin):
    client.force_login(super_admin)
    after_window_start(2)
    codes = [client.get(URL).status_code for _ in range(6)]
    assert codes == [200] * 5 + [429]  # RATE_LIMIT_SESSION_PERCENT = 50


def test_console_pages_carry_no_rate_limit_headers(client, limits, super_admin):
    client.force_login(super_admin)
    response = client.get("/security/rate-limits/")
    assert response.status_code == 200 and "X-Rate-Limit-Limit" not in response
