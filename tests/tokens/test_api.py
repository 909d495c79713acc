"""/api/v1/api-tokens (docs/okta-contract.md §2) and the events it leaves."""

import re

import pytest

from accounts.roles import RoleType
from syslog.models import LogEvent
from tests.accounts.factories import UserFactory
from tests.openapi_conformance import assert_conforms
from tests.tokens.factories import issue_token, ssws
from tokens.models import ApiToken, TokenStatus
from zones.models import NetworkZone

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin():
    return UserFactory(roles=[RoleType.SUPER_ADMIN])


def test_get_returns_okta_shaped_metadata_without_the_value(client, admin):
    token, value = issue_token(owner=admin, name="Postman")
    response = client.get(f"/api/v1/api-tokens/{token.id}", **ssws(value))
    body = response.json()
    assert set(body) == {
        "id",
        "name",
        "userId",
        "clientName",
        "tokenWindow",
        "network",
        "expiresAt",
        "created",
        "lastUpdated",
        "_links",
    }
    assert (body["name"], body["userId"], body["clientName"], body["tokenWindow"]) == (
        "Postman",
        admin.id,
        "Okta API",
        "P30D",
    )
    assert body["network"] == {"connection": "ANYWHERE"}
    assert re.fullmatch(r"00T[0-9A-Za-z]{17}", body["id"])
    assert value not in response.content.decode()
    assert body["_links"]["self"]["hints"]["allow"] == ["GET", "DELETE"]
    assert_conforms(response, "GET", "/api/v1/api-tokens/{apiTokenId}")


def test_list_pages_with_links_and_searches(client, admin):
    _, value = issue_token(owner=admin, name="alpha")
    for i in range(4):
        issue_token(owner=admin, name=f"beta-{i}")
    first = client.get("/api/v1/api-tokens?limit=2", **ssws(value))
    assert len(first.json()) == 2
    assert first.link_headers[-1].endswith('rel="next"')
    assert_conforms(first, "GET", "/api/v1/api-tokens")
    names = {t["name"] for t in client.get("/api/v1/api-tokens?q=bet", **ssws(value)).json()}
    assert names == {f"beta-{i}" for i in range(4)}


def test_non_super_admins_see_only_their_own(client):
    mine, value = issue_token(owner=UserFactory(roles=[RoleType.ORG_ADMIN]))
    theirs, _ = issue_token(owner=UserFactory(roles=[RoleType.ORG_ADMIN]))
    assert [t["id"] for t in client.get("/api/v1/api-tokens", **ssws(value)).json()] == [mine.id]
    response = client.get(f"/api/v1/api-tokens/{theirs.id}", **ssws(value))
    assert response.status_code == 404
    assert response.json()["errorSummary"] == f"Not found: Resource not found: {theirs.id} (Token)"
    assert client.delete(f"/api/v1/api-tokens/{theirs.id}", **ssws(value)).status_code == 404


def test_put_replaces_the_network_and_ignores_read_only_fields(client, admin):
    zone = NetworkZone.objects.create(name="Office", gateways=[{"type": "CIDR", "value": "127.0.0.0/8"}])
    token, _ = issue_token(owner=admin, name="keep me")
    _, value = issue_token(owner=admin, name="the caller")  # using a token renews it; this one is only edited
    before = ApiToken.objects.get(pk=token.pk)
    body = {
        "name": "renamed",
        "userId": "00uSomebodyElse00000",
        "clientName": "x",
        "created": "2020-01-01T00:00:00Z",
        "network": {"connection": "ZONE", "include": [zone.id]},
    }
    response = client.put(f"/api/v1/api-tokens/{token.id}", body, content_type="application/json", **ssws(value))
    assert response.status_code == 200
    data = response.json()
    assert data["network"] == {"connection": "ZONE", "include": [zone.id]}
    assert (data["name"], data["userId"], data["clientName"]) == ("keep me", admin.id, "Okta API")
    after = ApiToken.objects.get(pk=token.pk)
    assert after.expires_at == before.expires_at and after.last_updated > before.last_updated
    event = LogEvent.objects.get(event_type="system.api_token.update")
    caller = ApiToken.objects.get(name="the caller")
    assert event.data["transaction"]["detail"] == {"requestApiTokenId": caller.id}


def test_put_with_a_bad_zone_is_400_and_changes_nothing(client, admin):
    token, value = issue_token(owner=admin)
    response = client.put(
        f"/api/v1/api-tokens/{token.id}",
        {"network": {"connection": "ZONE", "include": ["nzoX"]}},
        content_type="application/json",
        **ssws(value),
    )
    assert response.status_code == 400
    assert response.json()["errorCode"] == "E0000001"
    assert len(response.json()["errorCauses"]) == 1
    token.refresh_from_db()
    assert token.network == {"connection": "ANYWHERE"}


def test_revoke_by_another_admin_names_actor_and_owner(client, admin):
    owner = UserFactory(roles=[RoleType.ORG_ADMIN])
    token, _ = issue_token(owner=owner, name="victim")
    _, admin_value = issue_token(owner=admin)
    assert client.delete(f"/api/v1/api-tokens/{token.id}", **ssws(admin_value)).status_code == 204
    token.refresh_from_db()
    assert token.status == TokenStatus.REVOKED
    event = LogEvent.objects.get(event_type="system.api_token.revoke")
    assert event.data["legacyEventType"] == "api.token.revoke"
    assert event.data["displayMessage"] == "Revoke API token"
    assert event.actor_id == admin.id
    assert [(t["type"], t["id"]) for t in event.data["target"]] == [("Token", token.id), ("User", owner.id)]
    assert client.get(f"/api/v1/api-tokens/{token.id}", **ssws(admin_value)).status_code == 404


def test_revoke_current_then_the_next_call_is_401(client, admin):
    token, value = issue_token(owner=admin)
    assert client.delete("/api/v1/api-tokens/current", **ssws(value)).status_code == 204
    assert client.get("/api/v1/users/me", **ssws(value)).status_code == 401
    event = LogEvent.objects.get(event_type="system.api_token.revoke")
    assert event.actor_id == admin.id == event.data["target"][1]["id"]  # "actor and target are the same"


def test_create_event_shape(admin):
    token, _ = issue_token(owner=admin, name="ci")
    event = LogEvent.objects.get(event_type="system.api_token.create")
    assert event.data["legacyEventType"] == "api.token.create"
    assert event.data["target"][0] == {
        "id": token.id,
        "type": "Token",
        "alternateId": "unknown",
        "displayName": "ci",
        "detailEntry": None,
    }
    assert event.data["transaction"]["type"] == "JOB"


@pytest.mark.parametrize("body", [{}, {"name": "renamed"}, {"network": None}])
def test_put_without_a_network_is_400_and_never_widens_the_token(client, admin, body):
    """Issue 14: a PUT without `network` used to answer 200 and make the token usable from any IP."""
    zone = NetworkZone.objects.create(name="Office", gateways=[{"type": "CIDR", "value": "127.0.0.0/8"}])
    token, _ = issue_token(owner=admin, name="zoned", network={"connection": "ZONE", "include": [zone.id]})
    _, value = issue_token(owner=admin, name="the caller")
    before = ApiToken.objects.get(pk=token.pk)
    response = client.put(f"/api/v1/api-tokens/{token.id}", body, content_type="application/json", **ssws(value))
    assert response.status_code == 400
    assert response.json()["errorCode"] == "E0000001" and "network" in response.json()["errorSummary"]
    after = ApiToken.objects.get(pk=token.pk)
    assert (after.network, after.last_updated) == (before.network, before.last_updated)
    assert not LogEvent.objects.filter(event_type="system.api_token.update").exists()
