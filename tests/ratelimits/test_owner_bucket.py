"""Issue 16 point 1: one owner's tokens and console session share an owner bucket per group (docs/decisions/09),
and only a super administrator may give a token more than half of a limit."""

import pytest
from django.core.exceptions import ValidationError

from accounts.roles import RoleType
from syslog.models import LogEvent
from tests.accounts.factories import UserFactory
from tests.ratelimits.test_limits import after_window_start, headers
from tests.tokens.factories import issue_token, ssws
from tokens import services
from tokens.models import ApiToken

pytestmark = pytest.mark.django_db
URL = "/api/v1/api-tokens"
LOGS = "/api/v1/logs"


@pytest.fixture
def limits(settings):
    settings.RATE_LIMITS = {"logs": 6, "default": 10}
    settings.RATE_LIMIT_WINDOW_SECONDS = 2
    return settings


def test_one_admins_two_tokens_cannot_exhaust_the_org_bucket_for_everyone(client, limits, super_admin):
    reader = UserFactory(roles=[RoleType.READ_ONLY_ADMIN])
    _, first = issue_token(owner=reader, name="first")  # 50 %: 3 of the logs group's 6
    _, second = issue_token(owner=reader, name="second")
    _, boss = issue_token(owner=super_admin, name="boss")
    after_window_start(2)
    codes = [client.get(LOGS, **ssws(first)).status_code for _ in range(4)]
    codes += [client.get(LOGS, **ssws(second)).status_code for _ in range(4)]
    assert codes == [200, 200, 200, 429] + [429] * 4  # the reader's tokens together: 3 (the largest share)
    assert client.get(LOGS, **ssws(boss)).status_code == 200
    client.force_login(super_admin)
    assert client.get(LOGS).status_code == 200


def test_the_owner_bucket_is_the_largest_share_among_the_owners_tokens(client, limits, super_admin):
    big, big_value = issue_token(owner=super_admin, name="big", rate_limit_percent=80)  # 8 of 10
    _, small_value = issue_token(owner=super_admin, name="small", rate_limit_percent=30)  # 3 of 10
    after_window_start(2)
    assert [client.get(URL, **ssws(small_value)).status_code for _ in range(3)] == [200] * 3
    seen = [client.get(URL, **ssws(big_value)) for _ in range(6)]
    assert [r.status_code for r in seen] == [200] * 5 + [429]  # owner: 3 + 5 = 8
    assert [headers(r)[:2] for r in seen[-2:]] == [(8, 0), (8, 0)]  # the owner bucket has the fewest left
    violation = LogEvent.objects.get(
        event_type="system.org.rate_limit.violation", data__debugContext__debugData__rateLimitBucket="owner"
    )
    assert violation.data["target"][0]["id"] == super_admin.id
    assert violation.data["debugContext"]["debugData"]["rateLimit"] == 8


def test_the_console_session_shares_its_owners_bucket(client, limits, super_admin):
    _, value = issue_token(owner=super_admin, rate_limit_percent=50)  # 5 of 10; the session: 5 too
    after_window_start(2)
    assert [client.get(URL, **ssws(value)).status_code for _ in range(3)] == [200] * 3
    client.force_login(super_admin)
    seen = [client.get(URL) for _ in range(3)]
    assert [r.status_code for r in seen] == [200, 200, 429]  # owner: 3 + 2 = 5
    assert headers(seen[0])[:2] == (5, 1)  # session bucket: 4 left; owner: 1 left


def test_a_new_token_with_a_larger_share_applies_to_the_owners_other_snapshots(client, limits, super_admin):
    _, old = issue_token(owner=super_admin, name="old", rate_limit_percent=50)  # owner bucket: 5
    after_window_start(2)
    assert client.get(URL, **ssws(old)).status_code == 200  # now a snapshot
    _, new = issue_token(owner=super_admin, name="new", rate_limit_percent=90)  # owner bucket: 9
    assert [client.get(URL, **ssws(new)).status_code for _ in range(5)] == [200] * 5
    response = client.get(URL, **ssws(old))  # owner: 7 of 9, not 7 of 5
    assert response.status_code == 200 and headers(response)[:2] == (9, 2)


def test_only_a_super_admin_may_set_a_share_above_half(client):
    org_admin = UserFactory(roles=[RoleType.ORG_ADMIN])
    boss = UserFactory(roles=[RoleType.SUPER_ADMIN])
    token, _ = issue_token(owner=org_admin)
    with pytest.raises(ValidationError, match="super administrator"):
        services.token_update_share(token=token, percent=60, actor=org_admin)
    with pytest.raises(ValidationError, match="super administrator"):
        services.token_create(owner=org_admin, name="greedy", rate_limit_percent=60, actor=org_admin)
    services.token_update_share(token=token, percent=50, actor=org_admin)
    services.token_update_share(token=token, percent=60, actor=boss)
    assert ApiToken.objects.get(pk=token.pk).rate_limit_percent == 60

    other, _ = issue_token(owner=org_admin, name="other")
    client.force_login(org_admin)
    response = client.post(f"/security/api/tokens/{other.id}/rate-limit", {"percent": 60})
    assert response.status_code == 400
    assert "Only a super administrator can give a token more than 50 %" in response.content.decode()
    assert ApiToken.objects.get(pk=other.pk).rate_limit_percent == 50


def test_the_detail_and_rate_limit_pages_show_the_arithmetic(client, settings, super_admin):
    settings.RATE_LIMITS = {"logs": 60, "default": 10_000}
    token, _ = issue_token(owner=super_admin, name="mine", rate_limit_percent=25)
    issue_token(owner=super_admin, name="larger", rate_limit_percent=80)
    client.force_login(super_admin)
    page = " ".join(client.get(f"/security/api/tokens/{token.id}/").content.decode().split())
    owner = super_admin.login
    assert f"this token: 15/min; all of {owner}'s tokens and sessions together: 48/min; org: 60/min" in page
    assert f"this token: 2,500/min; all of {owner}'s tokens and sessions together: 8,000/min; org: 10,000/min" in page
    overview = " ".join(client.get("/security/rate-limits/").content.decode().split())
    assert "each owner's tokens and console sessions together: at most the largest share among the owner's" in overview
    assert "60 × 50 % = 30/min" in overview
