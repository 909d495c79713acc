"""Every JSON response of the operations Warden shares with Okta, validated strictly
against Okta's own schema (tests/okta_schema.py; issue 14): the spec's 23 operations,
each with realistic objects — tokens of every kind (console, each agent kind, zone
conditions), zones of each type and usage, trusted origins of each scope, log events
of many types — and the errors each answers."""

import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client

from accounts import services as accounts_services
from accounts.roles import RoleType
from tests.accounts.factories import UserFactory
from tests.okta_schema import REAL_OKTA_NULLS, _spec, assert_okta_conforms, okta_errors, response_schema
from tests.origins.factories import OriginFactory, scopes
from tests.tokens.factories import issue_token, ssws
from tests.zones.factories import BlocklistZoneFactory, DynamicZoneFactory, ZoneFactory, cidr, rng
from tokens import services as token_services
from tokens.models import Agent, AgentType

pytestmark = pytest.mark.django_db
JSON = "application/json"
COVERED: set[tuple[str, str]] = set()  # (METHOD, path template) this module validated


class Api:
    """An SSWS client that validates every response it gets against Okta's schema."""

    def __init__(self, value: str):
        self.client, self.auth = Client(), ssws(value)

    def call(self, method: str, template: str, url: str | None = None, body=None, **extra):
        kwargs = {"data": json.dumps(body), "content_type": JSON} if body is not None else {}
        response = getattr(self.client, method.lower())(url or template, **kwargs, **self.auth, **extra)
        assert_okta_conforms(response, method, template)
        COVERED.add((method, template))
        return response


@pytest.fixture
def admin():
    return UserFactory(login="schema@warden.test", roles=[RoleType.SUPER_ADMIN])


@pytest.fixture
def api(admin) -> Api:
    return Api(issue_token(owner=admin, name="schema")[1])


def test_api_tokens_of_every_console_kind(api, admin):
    office = ZoneFactory(name="office", gateways=[cidr("198.51.100.0/24")])
    issue_token(owner=admin, name="zoned", network={"connection": "ZONE", "include": [office.id]})
    issue_token(owner=admin, name="anywhere but", network={"connection": "ZONE", "exclude": ["ALL_ZONES"]})
    issue_token(owner=admin, name="in any zone", network={"connection": "ZONE", "include": ["ALL_ZONES"]})
    issue_token(owner=UserFactory(roles=[RoleType.READ_ONLY_ADMIN]), name="another owner")
    agent = Agent.objects.create(type=AgentType.LDAP, name="LDAP agent", host="agents.test")
    token_services.agent_activate(agent=agent, by=admin)
    token_services.agent_deactivate(agent=agent, actor=admin)  # an inactive agent's token has a 30-day window
    listing = api.call("GET", "/api/v1/api-tokens")
    assert len(listing.json()) == 6
    for token in listing.json():
        api.call("GET", "/api/v1/api-tokens/{apiTokenId}", f"/api/v1/api-tokens/{token['id']}")
    zoned = next(t for t in listing.json() if t["name"] == "zoned")
    item = "/api/v1/api-tokens/{apiTokenId}"
    url = f"/api/v1/api-tokens/{zoned['id']}"
    body = {"name": "zoned", "network": {"connection": "ZONE", "exclude": [office.id]}}
    assert api.call("PUT", item, url, body).status_code == 200
    assert api.call("PUT", item, url, {"network": {"connection": "ZONE", "include": ["nope"]}}).status_code == 400
    assert api.call("GET", item, "/api/v1/api-tokens/00T00000000000000000").status_code == 404
    assert api.call("DELETE", item, url).status_code == 204
    assert api.call("DELETE", item, url).status_code == 404


@pytest.mark.parametrize("kind", list(AgentType))
def test_active_agent_tokens_of_every_kind(api, admin, kind):
    agent = Agent.objects.create(type=kind, name=f"{kind} agent", host="agents.test")
    token_services.agent_activate(agent=agent, by=admin)
    api.call("GET", "/api/v1/api-tokens/{apiTokenId}", f"/api/v1/api-tokens/{agent.tokens.get().id}")


def test_api_token_refusals_and_revoking_the_current_one(admin):
    reader = Api(issue_token(owner=UserFactory(roles=[RoleType.HELP_DESK_ADMIN]), name="help desk")[1])
    assert reader.call("GET", "/api/v1/api-tokens").status_code == 403
    other, _ = issue_token(owner=admin, name="someone else's")
    read_only = Api(issue_token(owner=UserFactory(roles=[RoleType.READ_ONLY_ADMIN]), name="ro")[1])
    item = "/api/v1/api-tokens/{apiTokenId}"
    assert read_only.call("DELETE", item, f"/api/v1/api-tokens/{other.id}").status_code in (403, 404)
    current = Api(issue_token(owner=admin, name="current")[1])
    assert current.call("DELETE", "/api/v1/api-tokens/current").status_code == 204


def test_zones_of_each_type_and_usage(api):
    ZoneFactory(
        name="policy", gateways=[cidr("10.0.0.0/8"), rng("192.0.2.1-192.0.2.9")], proxies=[cidr("2001:db8::/48")]
    )
    BlocklistZoneFactory(name="blocked")
    DynamicZoneFactory(
        name="dynamic",
        locations=[{"country": "US", "region": "US-CA"}, {"country": "FR", "region": None}],
        asns=["23457"],
        proxy_type="NotTorAnonymizer",
    )
    DynamicZoneFactory(name="dynamic bare", locations=None, asns=None, proxy_type=None)
    listing = api.call("GET", "/api/v1/zones")
    assert {z["type"] for z in listing.json()} == {"IP", "DYNAMIC"}
    assert api.call("GET", "/api/v1/zones", "/api/v1/zones?limit=1").status_code == 200
    for zone in listing.json():
        api.call("GET", "/api/v1/zones/{zoneId}", f"/api/v1/zones/{zone['id']}")
    assert api.call("GET", "/api/v1/zones/{zoneId}", "/api/v1/zones/nzo00000000000000000").status_code == 404


ZONE_BODIES = [
    {"type": "IP", "name": "new ip", "gateways": [{"type": "CIDR", "value": "10.9.0.0/16"}]},
    {
        "type": "IP",
        "name": "new ip with proxies",
        "usage": "POLICY",
        "gateways": [{"type": "RANGE", "value": "10.8.0.1-10.8.0.20"}],
        "proxies": [{"type": "CIDR", "value": "10.7.0.0/24"}],
    },
    {
        "type": "IP",
        "name": "new blocklist",
        "usage": "BLOCKLIST",
        "gateways": [{"type": "CIDR", "value": "203.0.113.0/24"}],
    },
    {"type": "DYNAMIC", "name": "new dynamic", "proxyType": "Any", "locations": [{"country": "DE"}], "asns": ["3320"]},
]


@pytest.mark.parametrize("body", ZONE_BODIES, ids=[b["name"] for b in ZONE_BODIES])
def test_zone_writes_and_lifecycle(api, body):
    created = api.call("POST", "/api/v1/zones", body=body)
    assert created.status_code == 200, created.json()
    url = f"/api/v1/zones/{created.json()['id']}"
    assert api.call("PUT", "/api/v1/zones/{zoneId}", url, {**body, "name": body["name"] + "!"}).status_code == 200
    for action in ("deactivate", "activate", "deactivate"):
        lifecycle = f"/api/v1/zones/{{zoneId}}/lifecycle/{action}"
        assert api.call("POST", lifecycle, f"{url}/lifecycle/{action}").status_code == 200
    assert api.call("DELETE", "/api/v1/zones/{zoneId}", url).status_code == 204
    assert api.call("POST", "/api/v1/zones", body={"type": "IP", "name": ""}).status_code == 400
    assert api.call("PUT", "/api/v1/zones/{zoneId}", url, body).status_code == 404


def test_zone_refusals(admin):
    reader = Api(issue_token(owner=UserFactory(roles=[RoleType.READ_ONLY_ADMIN]), name="ro")[1])
    zone = ZoneFactory()
    url = f"/api/v1/zones/{zone.id}"
    assert reader.call("POST", "/api/v1/zones", body=ZONE_BODIES[0]).status_code == 403
    assert reader.call("PUT", "/api/v1/zones/{zoneId}", url, ZONE_BODIES[0]).status_code == 403
    assert reader.call("DELETE", "/api/v1/zones/{zoneId}", url).status_code == 403
    for action in ("activate", "deactivate"):
        assert (
            reader.call("POST", f"/api/v1/zones/{{zoneId}}/lifecycle/{action}", f"{url}/lifecycle/{action}").status_code
            == 403
        )
    outsider = Api(issue_token(owner=UserFactory(roles=[RoleType.HELP_DESK_ADMIN]), name="hd")[1])
    assert outsider.call("GET", "/api/v1/zones").status_code == 403
    assert outsider.call("GET", "/api/v1/zones/{zoneId}", url).status_code == 403


def test_trusted_origins_of_each_scope(api, admin):
    by = {"created_by": admin.id, "last_updated_by": admin.id}
    OriginFactory(name="cors", scopes=scopes("CORS"), **by)
    OriginFactory(name="redirect", scopes=scopes("REDIRECT"), **by)
    OriginFactory(name="both", scopes=scopes("CORS", "REDIRECT"), status="INACTIVE", **by)
    OriginFactory(name="embed", scopes=[{"type": "IFRAME_EMBED", "allowedOktaApps": ["OKTA_ENDUSER"]}], **by)
    listing = api.call("GET", "/api/v1/trustedOrigins")
    assert len(listing.json()) == 4
    for origin in listing.json():
        api.call("GET", "/api/v1/trustedOrigins/{trustedOriginId}", f"/api/v1/trustedOrigins/{origin['id']}")
    body = {"name": "new", "origin": "https://new.example.com", "scopes": [{"type": "CORS"}, {"type": "REDIRECT"}]}
    created = api.call("POST", "/api/v1/trustedOrigins", body=body)
    assert created.status_code == 200, created.json()
    item = "/api/v1/trustedOrigins/{trustedOriginId}"
    url = f"/api/v1/trustedOrigins/{created.json()['id']}"
    assert api.call("PUT", item, url, {**body, "name": "renamed"}).status_code == 200
    for action in ("deactivate", "activate"):
        assert api.call("POST", f"{item}/lifecycle/{action}", f"{url}/lifecycle/{action}").status_code == 200
    assert api.call("DELETE", item, url).status_code == 204
    assert api.call("GET", item, url).status_code == 404
    assert api.call("POST", "/api/v1/trustedOrigins", body={**body, "origin": "null"}).status_code == 400
    assert api.call("PUT", item, url, body).status_code == 404
    assert api.call("POST", f"{item}/lifecycle/activate", f"{url}/lifecycle/activate").status_code == 404


def test_trusted_origin_refusals():
    reader = Api(issue_token(owner=UserFactory(roles=[RoleType.READ_ONLY_ADMIN]), name="ro")[1])
    origin = OriginFactory()
    item = "/api/v1/trustedOrigins/{trustedOriginId}"
    url = f"/api/v1/trustedOrigins/{origin.id}"
    body = {"name": "x", "origin": "https://x.example.com", "scopes": [{"type": "CORS"}]}
    assert reader.call("POST", "/api/v1/trustedOrigins", body=body).status_code == 403
    assert reader.call("PUT", item, url, body).status_code == 403
    assert reader.call("DELETE", item, url).status_code == 403
    for action in ("activate", "deactivate"):
        assert reader.call("POST", f"{item}/lifecycle/{action}", f"{url}/lifecycle/{action}").status_code == 403
    outsider = Api(issue_token(owner=UserFactory(roles=[RoleType.USER_ADMIN]), name="ua")[1])
    assert outsider.call("GET", "/api/v1/trustedOrigins").status_code == 403
    assert outsider.call("GET", item, url).status_code == 403


def test_log_events_of_many_types(api, admin):
    """Events of users, roles, tokens, agents, zones and origins, made through the services
    (the event harness in tests/sdk_python/ produces every catalogued type through its action)."""
    other = UserFactory(roles=[RoleType.SUPER_ADMIN])
    accounts_services.role_grant(user=other, role_type=RoleType.ORG_ADMIN, actor=admin)
    accounts_services.role_remove(user=other, role_type=RoleType.ORG_ADMIN, actor=admin)
    token, _ = issue_token(owner=other, name="to revoke")
    token_services.token_update_share(token=token, percent=20, actor=admin)
    token_services.token_revoke(token=token, actor=admin)
    agent = Agent.objects.create(type=AgentType.RADIUS, name="radius", host="r.test")
    token_services.agent_activate(agent=agent, by=admin)
    token_services.agent_deactivate(agent=agent, actor=admin)
    zone = "/api/v1/zones/" + api.call("POST", "/api/v1/zones", body=ZONE_BODIES[2]).json()["id"]
    api.call("PUT", "/api/v1/zones/{zoneId}", zone, {**ZONE_BODIES[2], "usage": "POLICY"})
    api.call("POST", "/api/v1/zones/{zoneId}/lifecycle/deactivate", f"{zone}/lifecycle/deactivate")
    body = {"name": "o", "origin": "https://o.example.com", "scopes": [{"type": "CORS"}]}
    origin = "/api/v1/trustedOrigins/" + api.call("POST", "/api/v1/trustedOrigins", body=body).json()["id"]
    api.call("PUT", "/api/v1/trustedOrigins/{trustedOriginId}", origin, {**body, "name": "p"})
    api.call("POST", "/api/v1/trustedOrigins/{trustedOriginId}/lifecycle/deactivate", f"{origin}/lifecycle/deactivate")
    api.call("DELETE", "/api/v1/trustedOrigins/{trustedOriginId}", origin)
    everything = api.call("GET", "/api/v1/logs", "/api/v1/logs?sortOrder=DESCENDING&limit=1000").json()
    assert len({e["eventType"] for e in everything}) >= 18, sorted({e["eventType"] for e in everything})
    assert api.call("GET", "/api/v1/logs", "/api/v1/logs?until=2026-13-01").status_code == 400
    assert api.call("GET", "/api/v1/logs", '/api/v1/logs?filter=eventType eqq "x"').status_code == 400
    outsider = Api(issue_token(owner=UserFactory(roles=[RoleType.USER_ADMIN]), name="ua")[1])
    assert outsider.call("GET", "/api/v1/logs").status_code == 403


def test_user_lifecycle_events(api, admin):
    other = UserFactory(roles=[RoleType.ORG_ADMIN])
    accounts_services.user_deactivate(user=other, actor=admin)
    accounts_services.user_reactivate(user=other, actor=admin)
    api.call("GET", "/api/v1/logs", '/api/v1/logs?filter=eventType sw "user.lifecycle"&sortOrder=DESCENDING')


def test_the_demo_zones_and_origins_conform(api):
    call_command("load_demo", stdout=StringIO())
    for template, item in (
        ("/api/v1/zones", "/api/v1/zones/{zoneId}"),
        ("/api/v1/trustedOrigins", "/api/v1/trustedOrigins/{trustedOriginId}"),
    ):
        listing = api.call("GET", template, f"{template}?limit=200").json()
        assert len(listing) >= 4
        for thing in listing:
            api.call("GET", item, f"{template}/{thing['id']}")


def test_the_demo_system_log_conforms(api):
    call_command("load_demo", stdout=StringIO())
    api.call("GET", "/api/v1/logs", "/api/v1/logs?limit=1000&sortOrder=DESCENDING")


def test_users_roles_and_org(api, admin):
    assert api.call("GET", "/api/v1/users/{id}", "/api/v1/users/me").status_code == 200
    assert api.call("GET", "/api/v1/users/{id}", f"/api/v1/users/{admin.id}").status_code == 200
    assert api.call("GET", "/api/v1/users/{id}", "/api/v1/users/00u00000000000000000").status_code == 404
    roles = "/api/v1/users/{userId}/roles"
    assert api.call("GET", roles, f"/api/v1/users/{admin.id}/roles").status_code == 200
    assert api.call("GET", "/api/v1/org").status_code == 200


def test_a_429_conforms(api, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "default": 2}
    codes = [api.call("GET", "/api/v1/org").status_code for _ in range(3)]
    assert codes[-1] == 429


def test_every_shared_operation_was_validated():
    """Runs last in this module (pytest keeps file order): every operation of Okta's subset was called."""
    document = _spec()
    shared = {
        (m.upper(), p) for p, ops in document["paths"].items() for m in ops if m in ("get", "post", "put", "delete")
    }
    assert shared - COVERED == set()


def test_strictness_a_null_expiry_or_window_and_an_unknown_enum_are_caught():
    schema = response_schema("GET", "/api/v1/api-tokens/{apiTokenId}", 200)
    token = {"name": "t", "expiresAt": "2026-01-01T00:00:00.000Z", "tokenWindow": "P30D"}
    assert okta_errors(token, schema) == []
    assert okta_errors({**token, "expiresAt": None}, schema)
    assert okta_errors({**token, "tokenWindow": None}, schema)
    assert okta_errors({**token, "expiresAt": "yesterday"}, schema)  # format: date-time
    assert okta_errors({**token, "_links": {"self": {"hints": {}}}}, schema)  # links checked: href required
    assert "expiresAt" not in REAL_OKTA_NULLS.get("ApiToken", ()) and "tokenWindow" not in REAL_OKTA_NULLS.get(
        "ApiToken", ()
    )
    zone = response_schema("GET", "/api/v1/zones/{zoneId}", 200)
    assert okta_errors({"type": "IP", "name": "z", "usage": "POLICY"}, zone) == []
    assert okta_errors({"type": "IP", "name": "z", "usage": "EVERYTHING"}, zone)
    assert okta_errors({"type": "MAGIC", "name": "z"}, zone)
    assert okta_errors({"type": "DYNAMIC", "name": "z", "proxyType": "Sometimes"}, zone)
    logs = response_schema("GET", "/api/v1/logs", 200)
    assert okta_errors([{"version": 0}], logs)  # an int version breaks okta-python and Go
    assert okta_errors([{"outcome": {"result": "SUCCESS", "reason": ""}}], logs)  # "" fails okta-python
