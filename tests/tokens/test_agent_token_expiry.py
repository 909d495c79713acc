"""docs/decisions/07: an agent token's expiry is its last use (or creation) + 30 days, renewed by use like any
token's. Its use is a Management API request refused only for privilege (403): one that passed
authentication, its network and the rate limiter. Refusals for anything else do not renew it."""

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from accounts.roles import RoleType
from syslog.models import LogEvent
from tests.accounts.factories import UserFactory
from tests.conftest import client_for
from tests.tokens.factories import issue_token, ssws
from tests.zones.factories import ZoneFactory, cidr
from tokens import services
from tokens.models import Agent, AgentType, ApiToken

pytestmark = pytest.mark.django_db
START = timezone.now().replace(microsecond=0)
LATER = START + timedelta(days=20)


@pytest.fixture
def admin():
    return UserFactory(roles=[RoleType.SUPER_ADMIN])


def activate(admin, kind=AgentType.LDAP) -> tuple[ApiToken, str]:
    with time_machine.travel(START, tick=False):
        agent, value = services.agent_activate(
            agent=Agent.objects.create(type=kind, name="ldap", host="dc1.test"), by=admin
        )
    return agent.tokens.get(), value


def test_an_agents_refused_request_is_its_use_and_renews_its_token(client, admin):
    token, value = activate(admin)
    assert token.expires_at == START + timedelta(days=30)
    with time_machine.travel(LATER, tick=False):
        response = client.get("/api/v1/users/me", **ssws(value))
    assert response.status_code == 403 and response.json()["errorCode"] == "E0000006"
    assert "X-Rate-Limit-Remaining" in response  # it passed the rate limiter, which answered it
    assert not LogEvent.objects.filter(event_type="system.api_token.request_outside_allowed_range").exists()
    token.refresh_from_db()
    assert (token.last_used, token.expires_at) == (LATER, LATER + timedelta(days=30))


def test_an_agent_token_used_from_outside_its_zones_is_not_renewed(client, admin):
    token, value = activate(admin)
    zone = ZoneFactory(name="office", gateways=[cidr("198.51.100.0/24")])
    services.token_update_network(token=token, network={"connection": "ZONE", "include": [zone.id]})
    with time_machine.travel(LATER, tick=False):
        assert client.get("/api/v1/users/me", **ssws(value)).status_code == 403  # from 127.0.0.1
    token.refresh_from_db()
    assert (token.last_used, token.expires_at) == (None, START + timedelta(days=30))


def test_an_agent_token_over_its_rate_limit_is_not_renewed(client, admin, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "default": 2}  # the token's share: 1 a minute
    token, value = activate(admin)
    with time_machine.travel(LATER, tick=True):
        assert client.get("/api/v1/users/me", **ssws(value)).status_code == 403
        token.refresh_from_db()
        renewed = token.expires_at
        ApiToken.objects.filter(pk=token.pk).update(last_used=None)  # so that the next use would write again
        assert client.get("/api/v1/users/me", **ssws(value)).status_code == 429
    token.refresh_from_db()
    assert token.last_used is None and token.expires_at == renewed


def test_an_unused_agent_token_expires_and_is_refused_like_any_token(client, admin):
    token, value = activate(admin)
    with time_machine.travel(START + timedelta(days=30, seconds=1), tick=False):
        response = client.get("/api/v1/users/me", **ssws(value))
        assert response.status_code == 401 and response.json()["errorCode"] == "E0000011"
        assert not ApiToken.objects.active().filter(pk=token.pk).exists()


def test_the_api_and_the_console_show_an_agent_tokens_expiry(client, admin):
    token, _ = activate(admin)
    _, value = issue_token(owner=admin)
    body = client.get(f"/api/v1/api-tokens/{token.id}", **ssws(value)).json()
    assert body["expiresAt"] == (START + timedelta(days=30)).strftime("%Y-%m-%dT%H:%M:%S.000Z")
    page = client_for(admin).get(f"/security/api/tokens/{token.id}/").content.decode()
    expires = START + timedelta(days=30)
    assert f'<dt>Expires</dt><dd><time datetime="{expires.isoformat()}"' in page
    assert f"{expires:%Y-%m-%d %H:%M} UTC</time></dd>" in page
