"""Status colours (docs/decisions/06) on a frozen clock, and agent tokens (docs/decisions/07)."""

from datetime import timedelta

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.utils import timezone

from accounts.roles import RoleType
from syslog.models import LogEvent
from tests.accounts.factories import UserFactory
from tests.tokens.factories import ssws
from tokens import services
from tokens.models import Agent, AgentType, ApiToken, TokenStatus
from tokens.status import status_colour

pytestmark = pytest.mark.django_db
NOW = timezone.now().replace(microsecond=0)


def token_with(last_used=None, expires_in=timedelta(days=20)):
    return ApiToken(name="t", last_used=last_used, expires_at=NOW + expires_in)


@pytest.mark.parametrize(
    ("last_used", "expires_in", "colour"),
    [
        (None, timedelta(days=20), "gray"),  # never used
        (NOW - timedelta(hours=71, minutes=59), timedelta(days=20), "green"),
        (NOW - timedelta(hours=72), timedelta(days=20), "gray"),  # exactly three days ago: no longer recent
        (NOW, timedelta(days=7), "red"),  # exactly seven days left: red wins over green
        (NOW, timedelta(days=7, seconds=1), "green"),
        (None, timedelta(days=7, seconds=1), "gray"),
        (None, timedelta(seconds=1), "red"),
    ],
)
def test_colour_boundaries(last_used, expires_in, colour):
    with time_machine.travel(NOW, tick=False):
        assert status_colour(token_with(last_used, expires_in)) == colour


def _agent(kind=AgentType.LDAP):
    return Agent.objects.create(type=kind, name=f"{kind} agent", host="dc1.test")


def test_activation_issues_a_managed_token_owned_by_the_admin_expiring_30_days_after_creation():
    admin = UserFactory(roles=[RoleType.SUPER_ADMIN])
    with time_machine.travel(NOW, tick=False):
        agent, value = services.agent_activate(agent=_agent(), by=admin)
    token = agent.tokens.get(status=TokenStatus.ACTIVE)
    assert (token.owner, token.client_name) == (admin, "Okta LDAP Agent")
    assert token.created == NOW and token.expires_at == NOW + timedelta(days=30)  # docs/decisions/07: no null expiry
    with time_machine.travel(NOW, tick=False):
        assert status_colour(token) == "gray"
    assert len(value) == 42


def test_agent_tokens_have_no_management_api_privilege(client):
    admin = UserFactory(roles=[RoleType.SUPER_ADMIN])
    _, value = services.agent_activate(agent=_agent(), by=admin)
    response = client.get("/api/v1/users/me", **ssws(value))
    assert response.status_code == 403 and response.json()["errorCode"] == "E0000006"


def test_an_active_agents_token_cannot_be_revoked_until_the_agent_is_deactivated():
    admin = UserFactory(roles=[RoleType.SUPER_ADMIN])
    agent, _ = services.agent_activate(agent=_agent(), by=admin)
    token = agent.tokens.get()
    with pytest.raises(ValidationError):
        services.token_revoke(token=token)
    expiry = token.expires_at
    services.agent_deactivate(agent=agent)
    token.refresh_from_db()
    assert token.status == TokenStatus.ACTIVE and token.expires_at == expiry  # deactivation does not move it
    services.token_revoke(token=token, actor=admin)
    token.refresh_from_db()
    assert token.status == TokenStatus.REVOKED


def test_deactivating_an_ad_agent_revokes_its_token_itself():
    admin = UserFactory(roles=[RoleType.SUPER_ADMIN])
    agent, _ = services.agent_activate(agent=_agent(AgentType.AD), by=admin)
    services.agent_deactivate(agent=agent)
    assert agent.tokens.get().status == TokenStatus.REVOKED
    assert LogEvent.objects.filter(event_type="system.api_token.revoke").count() == 1


def test_reactivation_replaces_the_token_and_unregistering_makes_it_suspicious():
    admin = UserFactory(roles=[RoleType.SUPER_ADMIN])
    agent, first = services.agent_activate(agent=_agent(), by=admin)
    agent, second = services.agent_activate(agent=agent, by=admin)
    assert first != second
    assert agent.tokens.filter(status=TokenStatus.ACTIVE).count() == 1
    services.agent_unregister(agent=agent)
    token = agent.tokens.select_related("agent").get(status=TokenStatus.ACTIVE)
    assert status_colour(token) == "yellow"


def test_org_admin_sees_agent_tokens_but_group_admin_does_not(client):
    admin = UserFactory(roles=[RoleType.SUPER_ADMIN])
    agent, _ = services.agent_activate(agent=_agent(), by=admin)
    token = agent.tokens.get()
    from tests.conftest import client_for

    org = client_for(UserFactory(roles=[RoleType.ORG_ADMIN]))
    group = client_for(UserFactory(roles=[RoleType.USER_ADMIN]))
    assert org.get(f"/security/api/tokens/{token.id}/").status_code == 200
    assert group.get(f"/security/api/tokens/{token.id}/").status_code == 404


AGENT_EVENTS = {
    AgentType.AD: ["system.agent.ad.reactivate", "system.agent.ad.deactivate", "system.agent.ad.delete"],
    AgentType.LDAP: ["system.agent.ldap.reactivate", "system.agent.ldap.deactivate", "system.agent.ldap.delete"],
    AgentType.RADIUS: [
        "system.agent.radius.reactivate",
        "system.agent.radius.deactivate",
        "system.agent.radius.delete",
    ],
    AgentType.RSA: ["system.agent.rsa.reactivate", "system.agent.rsa.deactivate", "system.agent.rsa.delete"],
    AgentType.AD_PASSWORD_SYNC: [
        "system.agent.ad_password_sync.reactivate",
        "system.agent.ad_password_sync.deactivate",
        "system.agent.ad_password_sync.delete",
    ],
    AgentType.IWA: ["system.agent.iwa.reactivate", "system.agent.iwa.deactivate", "system.agent.iwa.delete"],
}


@pytest.mark.parametrize("kind", list(AgentType))
def test_agent_lifecycle_is_audited_with_the_console_admin_as_actor(kind):
    from tests.conftest import client_for

    admin = UserFactory(roles=[RoleType.SUPER_ADMIN])
    console = client_for(admin)
    agent = _agent(kind)
    for action in ("activate", "deactivate", "unregister"):
        assert console.post(f"/directory/agents/{agent.id}/{action}").status_code == 302
    events = list(LogEvent.objects.filter(event_type__startswith="system.agent.").order_by("published"))
    assert [e.event_type for e in events] == AGENT_EVENTS[kind]
    assert {e.actor_id for e in events} == {admin.id}
    assert all(e.data["target"][0]["id"] == agent.id for e in events)
