"""Rotation with a grace period (docs/decisions/30): a new value for the same token, the previous one accepted
until its deadline and refused after it, from the database and from a process's snapshot alike."""

import json
import logging
from datetime import UTC, datetime, timedelta
from io import StringIO

import pytest
import time_machine
from django.core.management import call_command
from django.test import Client

from accounts.roles import RoleType
from syslog.models import LogEvent
from tests.accounts.factories import UserFactory
from tests.conftest import client_for
from tests.tokens.factories import issue_token, ssws
from tokens import auth, values
from tokens.models import Agent, AgentType, ApiToken

pytestmark = pytest.mark.django_db
START = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)


@pytest.fixture
def admin():
    return UserFactory(roles=[RoleType.SUPER_ADMIN])


def rotate(value: str, token_id: str, grace: str = "PT1H", **extra):
    return Client().post(
        f"/api/v1/api-tokens/{token_id}/lifecycle/rotate",
        data=json.dumps({"gracePeriod": grace}),
        content_type="application/json",
        **ssws(value),
        **extra,
    )


def me(value: str) -> int:
    return Client().get("/api/v1/users/me", **ssws(value)).status_code


def test_the_api_issues_a_new_value_for_the_same_token_and_keeps_the_old_one_for_the_grace(admin, caplog):
    caplog.set_level(logging.DEBUG)
    with time_machine.travel(START, tick=False):
        token, old = issue_token(owner=admin, name="deploy", rate_limit_percent=30)
        response = rotate(old, token.id, "PT1H")
        assert response.status_code == 200, response.content
        assert response["Cache-Control"] == "no-store"
        body = response.json()
        new = body["value"]
        assert values.well_formed(new) and new != old
        assert body["apiToken"]["id"] == token.id and body["apiToken"]["name"] == "deploy"
        assert body["previousValueValidUntil"] == "2026-03-01T13:00:00.000Z"
        stored = ApiToken.objects.get(pk=token.pk)
        assert (stored.rate_limit_percent, stored.network, stored.owner_id) == (30, token.network, admin.id)
        assert stored.digest == values.digest(new) and stored.previous_digest == values.digest(old)
        assert me(new) == 200 and me(old) == 200
    with time_machine.travel(START + timedelta(minutes=59), tick=False):
        assert me(old) == 200
    with time_machine.travel(START + timedelta(hours=1, seconds=1), tick=False):
        assert me(old) == 401
        assert me(new) == 200
    event = LogEvent.objects.filter(event_type="warden.api_token.rotate").get()
    target = event.data["target"][0]
    assert target["id"] == token.id
    assert target["changeDetails"]["to"] == {"previousValueValidUntil": "2026-03-01T13:00:00.000Z"}
    assert new not in json.dumps(event.data) and old not in json.dumps(event.data)
    assert new not in caplog.text and old not in caplog.text


def test_a_snapshot_of_the_old_value_is_refused_once_its_deadline_passes(admin):
    """No epoch moves when a grace period ends: the deadline itself, carried in the snapshot, refuses it."""
    with time_machine.travel(START, tick=False):
        token, old = issue_token(owner=admin)
        assert rotate(old, token.id, "PT1H").status_code == 200
        first = auth.authenticate(f"SSWS {old}", "127.0.0.1")
        assert isinstance(first, auth.Accepted) and first.source is auth.Source.DATABASE
        again = auth.authenticate(f"SSWS {old}", "127.0.0.1")
        assert isinstance(again, auth.Accepted) and again.source is auth.Source.SNAPSHOT
    with time_machine.travel(START + timedelta(hours=2), tick=False):
        refused = auth.authenticate(f"SSWS {old}", "127.0.0.1")
        assert isinstance(refused, auth.Refused) and refused.status == 401


def test_no_grace_refuses_the_old_value_at_once(admin):
    token, old = issue_token(owner=admin)
    assert me(old) == 200  # in this process's snapshots now
    response = rotate(old, token.id, "PT0S")
    assert response.status_code == 200 and response.json()["previousValueValidUntil"] is None
    assert me(old) == 401
    assert me(response.json()["value"]) == 200


def test_rotating_again_ends_the_pending_previous_value(admin):
    token, first = issue_token(owner=admin)
    second = rotate(first, token.id, "P7D").json()["value"]
    third = rotate(second, token.id, "P7D").json()["value"]
    assert me(first) == 401
    assert me(second) == 200 and me(third) == 200
    event = LogEvent.objects.filter(event_type="warden.api_token.rotate").order_by("-id").first()
    assert event.data["target"][0]["changeDetails"]["from"]["previousValueValidUntil"] is not None


@pytest.mark.parametrize(
    "body", [{"gracePeriod": "PT2H"}, {"gracePeriod": 3600}, {"gracePeriod": None}, {"gracePeriod": "\x00"}]
)
def test_a_grace_period_that_is_not_offered_is_400(admin, body):
    token, value = issue_token(owner=admin)
    response = Client().post(
        f"/api/v1/api-tokens/{token.id}/lifecycle/rotate", json.dumps(body), "application/json", **ssws(value)
    )
    assert response.status_code == 400 and response.json()["errorCode"] == "E0000001"
    assert ApiToken.objects.get(pk=token.pk).digest == token.digest


def test_malformed_bodies_are_400_never_500(admin):
    token, value = issue_token(owner=admin)
    url = f"/api/v1/api-tokens/{token.id}/lifecycle/rotate"
    for raw in (b"[1]", b"\x00\xff", b"{", b'"x"'):
        response = Client().post(url, raw, "application/json", **ssws(value))
        assert response.status_code == 400, raw


def test_a_read_only_admins_token_and_an_agents_token_cannot_be_rotated(admin):
    reader = UserFactory(roles=[RoleType.READ_ONLY_ADMIN])
    token, value = issue_token(owner=reader)
    assert rotate(value, token.id).status_code == 403
    agent = Agent.objects.create(type=AgentType.LDAP, name="ldap", host="ldap.test")
    agent_token, _ = issue_token(owner=admin, agent=agent)
    _, admin_value = issue_token(owner=admin)
    response = rotate(admin_value, agent_token.id)
    assert response.status_code == 400 and "reactivating the agent" in response.content.decode()


def test_the_console_shows_the_new_value_once_and_the_pending_deadline(admin):
    token, old = issue_token(owner=admin, name="console token")
    browser = client_for(admin)
    page = browser.get(f"/security/api/tokens/{token.id}/").content.decode()
    assert 'id="rotate-title"' in page and "pending-previous" not in page
    response = browser.post(f"/security/api/tokens/{token.id}/rotate", {"grace": "24h"})
    assert response.status_code == 200 and "no-store" in response["Cache-Control"]
    new = response.context["value"]
    assert new in response.content.decode() and values.digest(new) == ApiToken.objects.get(pk=token.pk).digest
    detail = browser.get(f"/security/api/tokens/{token.id}/").content.decode()
    assert 'id="pending-previous"' in detail and new not in detail
    assert me(old) == 200 and me(new) == 200
    assert browser.post(f"/security/api/tokens/{token.id}/rotate", {"grace": "forever"}).status_code == 302


def test_the_management_command_prints_the_new_value_only_on_stdout(admin):
    token, old = issue_token(owner=admin)
    out, err = StringIO(), StringIO()
    call_command("token_rotate", token.id, "--grace", "none", stdout=out, stderr=err)
    new = out.getvalue().strip()
    assert values.digest(new) == ApiToken.objects.get(pk=token.pk).digest
    assert new not in err.getvalue() and "no longer" in err.getvalue()
    assert me(old) == 401 and me(new) == 200
