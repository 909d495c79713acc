"""SSWS authentication: one query, one answer for every failure, live roles."""

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from accounts import services as accounts_services
from accounts.roles import RoleType, UserStatus
from ratelimits import policy
from tests.accounts.factories import UserFactory
from tests.tokens.factories import issue_token, ssws
from tokens import services, values
from tokens.models import ApiToken
from tokens.snapshots import snapshots
from zones.matching import current_index

pytestmark = pytest.mark.django_db


def test_a_token_authenticates_as_its_owner(client):
    token, value = issue_token()
    response = client.get("/api/v1/users/me", **ssws(value))
    assert response.status_code == 200
    assert response.json()["id"] == token.owner_id


@pytest.mark.parametrize("header", ["SSWS {v}", "ssws {v}", "SSWS{v}", "SsWs    {v}"])
def test_header_forms_of_decision_1(client, header):
    _, value = issue_token()
    assert client.get("/api/v1/users/me", HTTP_AUTHORIZATION=header.format(v=value)).status_code == 200


def test_authentication_costs_one_query_then_none_until_something_changes(client, django_assert_num_queries):
    _, value = issue_token()
    other, _ = issue_token(name="other")
    current_index()  # per-process caches that are refreshed on their own clocks, not per request
    policy.group_limit("default")
    snapshots.reset()
    with django_assert_num_queries(2):  # the lookup, and the first use writing last_used
        assert client.get("/api/v1/org", **ssws(value)).status_code == 200
    with django_assert_num_queries(0):  # the process's snapshot, checked by the rate limiter's round trip
        assert client.get("/api/v1/org", **ssws(value)).status_code == 200
    issue_token(owner=UserFactory(), name="new")  # a new token (and user) is in nobody's snapshot
    with django_assert_num_queries(0):
        assert client.get("/api/v1/org", **ssws(value)).status_code == 200
    services.token_update_share(token=other, percent=20)  # an unrelated change: the epoch moves
    with django_assert_num_queries(1):  # so the token is read once more
        assert client.get("/api/v1/org", **ssws(value)).status_code == 200
    with django_assert_num_queries(0):
        assert client.get("/api/v1/org", **ssws(value)).status_code == 200


def test_a_change_in_the_database_reaches_a_token_accepted_from_a_snapshot(client):
    token, value = issue_token()
    assert client.get("/api/v1/zones", **ssws(value)).status_code == 200  # snapshot taken
    services.token_revoke(token=token)
    assert client.get("/api/v1/zones", **ssws(value)).status_code == 401
    owner = UserFactory(roles=[RoleType.SUPER_ADMIN])
    _, value = issue_token(owner=owner)
    assert client.get("/api/v1/zones", **ssws(value)).status_code == 200
    accounts_services.role_grant(user=owner, role_type=RoleType.HELP_DESK_ADMIN)
    accounts_services.role_remove(user=owner, role_type=RoleType.SUPER_ADMIN)
    assert client.get("/api/v1/zones", **ssws(value)).status_code == 403


def _same_401(response):
    assert response.status_code == 401
    body = response.json()
    assert (body["errorCode"], body["errorSummary"]) == ("E0000011", "Invalid token provided")


@pytest.mark.parametrize(
    "header",
    [
        "SSWS",
        "Bearer abc",
        "SSWS 00" + "A" * 40,
        "SSWS " + "x" * 42,
        "Basic dXNlcjpwYXNz",
    ],
)
def test_malformed_values_are_refused_before_any_query(client, django_assert_num_queries, header):
    current_index()  # the zones index is built once per process, not per request
    with django_assert_num_queries(0):
        _same_401(client.get("/api/v1/users/me", HTTP_AUTHORIZATION=header))


def test_unknown_revoked_expired_and_inactive_owner_get_the_same_401(client):
    _same_401(client.get("/api/v1/users/me", **ssws(values.generate())))
    token, value = issue_token()
    services.token_revoke(token=token)
    _same_401(client.get("/api/v1/users/me", **ssws(value)))
    token, value = issue_token()
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    _same_401(client.get("/api/v1/users/me", **ssws(value)))
    token, value = issue_token()
    token.owner.status = UserStatus.SUSPENDED
    token.owner.save()
    _same_401(client.get("/api/v1/users/me", **ssws(value)))


def test_a_bad_token_is_refused_even_with_a_valid_session(client):
    client.force_login(UserFactory(roles=[RoleType.SUPER_ADMIN]))
    _same_401(client.get("/api/v1/users/me", HTTP_AUTHORIZATION="SSWS nope"))


def test_privileges_follow_the_owner_roles_on_the_next_request(client):
    from accounts import services as people

    owner = UserFactory(roles=[RoleType.ORG_ADMIN])
    UserFactory(roles=[RoleType.SUPER_ADMIN])
    _, value = issue_token(owner=owner)
    assert client.get("/api/v1/zones", **ssws(value)).status_code == 200
    people.role_remove(user=owner, role_type=RoleType.ORG_ADMIN)
    people.role_grant(user=owner, role_type=RoleType.HELP_DESK_ADMIN)
    assert client.get("/api/v1/zones", **ssws(value)).status_code == 403


def test_read_only_admin_token_is_get_only(client):
    owner = UserFactory(roles=[RoleType.READ_ONLY_ADMIN])
    token, value = issue_token(owner=owner)
    assert client.get(f"/api/v1/api-tokens/{token.id}", **ssws(value)).status_code == 200
    assert client.delete(f"/api/v1/api-tokens/{token.id}", **ssws(value)).status_code == 403
    token.refresh_from_db()
    assert token.status == "ACTIVE"


def test_deactivating_the_owner_revokes_every_token_with_one_event_each(client):
    from syslog.models import LogEvent

    owner = UserFactory(roles=[RoleType.ORG_ADMIN])
    tokens = [issue_token(owner=owner, name=f"t{i}") for i in range(3)]
    accounts_services.user_deactivate(user=owner)
    for token, value in tokens:
        token.refresh_from_db()
        assert token.status == "REVOKED"
        _same_401(client.get("/api/v1/users/me", **ssws(value)))
    revokes = LogEvent.objects.filter(event_type="system.api_token.revoke")
    assert revokes.count() == 3
    accounts_services.user_reactivate(user=owner)
    _same_401(client.get("/api/v1/users/me", **ssws(tokens[0][1])))  # docs/decisions/02: no revival


class TestSlidingExpiry:
    def test_use_renews_the_window_at_most_once_a_minute(self, client, django_assert_num_queries):
        start = timezone.now()
        with time_machine.travel(start, tick=False):
            token, value = issue_token()
        with time_machine.travel(start + timedelta(days=10), tick=False):
            client.get("/api/v1/org", **ssws(value))
            token.refresh_from_db()
            assert token.last_used == start + timedelta(days=10)
            assert token.expires_at == start + timedelta(days=40)
        with time_machine.travel(start + timedelta(days=10, seconds=30), tick=False):
            current_index()
            with django_assert_num_queries(0):  # the snapshot: neither a lookup nor a write within the minute
                client.get("/api/v1/org", **ssws(value))
        with time_machine.travel(start + timedelta(days=10, seconds=61), tick=False):
            client.get("/api/v1/org", **ssws(value))
            token.refresh_from_db()
            assert token.expires_at == start + timedelta(days=40, seconds=61)

    def test_a_token_unused_for_30_days_expires(self, client):
        start = timezone.now()
        with time_machine.travel(start, tick=False):
            _, value = issue_token()
        with time_machine.travel(start + timedelta(days=30), tick=False):
            _same_401(client.get("/api/v1/org", **ssws(value)))

    def test_refused_requests_do_not_renew(self, client):
        owner = UserFactory(roles=[RoleType.HELP_DESK_ADMIN])
        token, value = issue_token(owner=owner)
        assert client.get("/api/v1/zones", **ssws(value)).status_code == 403
        token.refresh_from_db()
        assert token.last_used is None
