"""Tokens that need attention (docs/decisions/33): a count in the type list and, per token, each reason with a
link to its fix."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.test import override_settings

from accounts.roles import RoleType
from tests.accounts.factories import UserFactory
from tests.conftest import client_for
from tests.tokens.factories import issue_token
from tests.zones.factories import ZoneFactory, cidr
from tokens.models import ApiToken

pytestmark = pytest.mark.django_db
START = datetime(2026, 2, 1, 8, 0, tzinfo=UTC)


def attention(client) -> dict:
    response = client.get("/security/api/tokens/?type=attention")
    assert response.status_code == 200
    return {t.name: {r.key for r in t.attention} for t in response.context["page"]}


def count(client) -> int:
    types = client.get("/security/api/tokens/").context["types"]
    return next(t["count"] for t in types if t["key"] == "attention")


def test_a_well_kept_token_needs_no_attention_and_each_reason_is_named():
    zone = ZoneFactory(name="Office", gateways=[cidr("198.51.100.0/24")])
    network = {"connection": "ZONE", "include": [zone.id]}
    service = UserFactory(roles=[RoleType.ORG_ADMIN], is_service_account=True)
    person = UserFactory(roles=[RoleType.ORG_ADMIN])
    boss = UserFactory(roles=[RoleType.SUPER_ADMIN], is_service_account=True)
    with time_machine.travel(START, tick=False):
        old, _ = issue_token(owner=service, name="old", network=network)
    used = START + timedelta(days=85)  # its last use: the window runs 30 days from it
    ApiToken.objects.filter(pk=old.pk).update(last_used=used, expires_at=used + timedelta(days=30))
    with time_machine.travel(START + timedelta(days=100), tick=False):
        issue_token(owner=service, name="kept", network=network)
        issue_token(owner=person, name="personal", network=network)
        issue_token(owner=boss, name="bosses", network=network)
        issue_token(owner=service, name="anywhere")
        found = attention(client_for(boss))
        assert "kept" not in found
        assert found["personal"] == {"person"}
        assert found["bosses"] == {"super"}
        assert found["anywhere"] == {"anywhere"}
        # Last used 15 days ago, its value issued 100 days ago.
        assert found["old"] == {"unused", "rotate"}
        assert count(client_for(boss)) == 4
        page = client_for(boss).get("/security/api/tokens/?type=attention").content.decode()
        assert "Restrict it to network zones" in page and "Create a service account" in page


@override_settings(HYGIENE_MAX_TOKENS_PER_OWNER=2)
def test_an_owner_with_more_tokens_than_the_setting_is_named_with_a_link_to_their_tokens():
    owner = UserFactory(roles=[RoleType.SUPER_ADMIN])
    for i in range(3):
        issue_token(owner=owner, name=f"t{i}")
    client = client_for(owner)
    found = attention(client)
    assert all("many" in reasons for reasons in found.values())
    assert f"owner={owner.id}" in client.get("/security/api/tokens/?type=attention").content.decode()
    assert len(client.get(f"/security/api/tokens/?owner={owner.id}").context["page"]) == 3


def test_rotation_clears_the_old_value_reason():
    owner = UserFactory(roles=[RoleType.SUPER_ADMIN], is_service_account=True)
    with time_machine.travel(START, tick=False):
        token, _ = issue_token(owner=owner, name="aged")
    used = START + timedelta(days=90)
    ApiToken.objects.filter(pk=token.pk).update(last_used=used, expires_at=used + timedelta(days=30))
    with time_machine.travel(START + timedelta(days=91), tick=False):
        assert "rotate" in attention(client_for(owner))["aged"]
        client_for(owner).post(f"/security/api/tokens/{token.id}/rotate", {"grace": "none"})
        assert "rotate" not in attention(client_for(owner))["aged"]
