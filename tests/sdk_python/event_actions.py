"""Event type -> the action that records it (issue 14, "every event type parses in the
official SDK"). Each action performs the real change through the service, the console
or the API, as a user would, and says what the event must show: the target it names and,
for a change of attributes, the change in Okta's shape `{"from": {attr: value}, "to":
{attr: value}}`. tests/sdk_python/test_event_types_parse.py fetches the event through
/api/v1/logs and parses it with the okta Python SDK's models.

`catalogued_event_types()` is the one place the catalogue is read: when it moves (one
catalogue per app), only that function changes."""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from io import StringIO

from django.core.management import call_command
from django.test import Client, override_settings
from django.utils import timezone

import process_caches
from accounts import services as accounts_services
from accounts.models import User
from accounts.roles import RoleType
from bench.server import free_port
from ratelimits import middleware as ratelimit_middleware
from ratelimits.models import RateLimitException
from syslog.catalog import EVENT_TYPES
from tests.accounts.factories import PASSWORD, UserFactory
from tests.conftest import client_for
from tests.tokens.factories import issue_token, ssws
from tests.zones.factories import ZoneFactory, cidr
from tokens import services as token_services
from tokens.models import Agent, AgentType, ApiToken


def catalogued_event_types() -> list[str]:
    return sorted(EVENT_TYPES)


@dataclass
class Made:
    """What the recorded event must show."""

    target_id: str | None = None  # a target the event names (None: not checked)
    changes: dict | None = None  # the change made, in Okta's changeDetails shape (None: not an attribute change)


@dataclass
class World:
    admin: User  # a super admin, the actor of every action
    token: str  # the admin's API token (100 % share)
    api: Client = field(default_factory=Client)

    def call(self, method: str, path: str, body=None, **extra):
        kwargs = {"data": body, "content_type": "application/json"} if body is not None else {}
        response = getattr(self.api, method.lower())(path, **kwargs, **ssws(self.token), **extra)
        assert response.status_code < 300, (method, path, response.status_code, response.content[:300])
        return response.json() if response.content else None


# --- users and sessions ------------------------------------------------------


def _session_start(w: World) -> Made:
    response = Client().post("/signin", {"username": w.admin.login, "password": PASSWORD})
    assert response.status_code == 302
    return Made()


def _session_end(w: World) -> Made:
    assert client_for(w.admin).post("/signout").status_code == 302
    return Made()


def _user_create(w: World) -> Made:
    user = accounts_services.user_create(
        login="new@warden.test", first_name="New", last_name="Person", password=PASSWORD, actor=w.admin
    )
    return Made(user.id)


def _user_deactivate(w: World) -> Made:
    user = UserFactory()
    accounts_services.user_deactivate(user=user, actor=w.admin)
    return Made(user.id, {"from": {"status": "ACTIVE"}, "to": {"status": "DEPROVISIONED"}})


def _user_reactivate(w: World) -> Made:
    user = UserFactory()
    accounts_services.user_deactivate(user=user, actor=w.admin)
    accounts_services.user_reactivate(user=user, actor=w.admin)
    return Made(user.id, {"from": {"status": "DEPROVISIONED"}, "to": {"status": "ACTIVE"}})


def _privilege_grant(w: World) -> Made:
    user = UserFactory()
    accounts_services.role_grant(user=user, role_type=RoleType.ORG_ADMIN, actor=w.admin)
    return Made(user.id, {"from": {"role": None}, "to": {"role": RoleType.ORG_ADMIN}})


def _privilege_revoke(w: World) -> Made:
    user = UserFactory(roles=[RoleType.ORG_ADMIN])
    accounts_services.role_remove(user=user, role_type=RoleType.ORG_ADMIN, actor=w.admin)
    return Made(user.id, {"from": {"role": RoleType.ORG_ADMIN}, "to": {"role": None}})


# --- API tokens and agents -----------------------------------------------------


def _token_create(w: World) -> Made:
    token, _ = token_services.token_create(owner=w.admin, name="made for the log", actor=w.admin)
    return Made(token.id)


def _token_revoke(w: World) -> Made:
    token, _ = issue_token(owner=w.admin, name="to revoke")
    w.call("DELETE", f"/api/v1/api-tokens/{token.id}")
    return Made(token.id)


def _token_update(w: World) -> Made:
    token, _ = issue_token(owner=w.admin, name="to restrict")
    zone = ZoneFactory(gateways=[cidr("198.51.100.0/24")])
    network = {"connection": "ZONE", "include": [zone.id]}
    w.call("PUT", f"/api/v1/api-tokens/{token.id}", {"name": token.name, "network": network})
    return Made(token.id, {"from": {"network": {"connection": "ANYWHERE"}}, "to": {"network": network}})


def _token_outside_range(w: World) -> Made:
    zone = ZoneFactory(gateways=[cidr("198.51.100.0/24")])
    token, value = issue_token(owner=w.admin, network={"connection": "ZONE", "include": [zone.id]})
    assert Client().get("/api/v1/org", REMOTE_ADDR="203.0.113.50", **ssws(value)).status_code == 403
    return Made(token.id)


def _token_rotate(w: World) -> Made:
    token, _ = issue_token(owner=w.admin, name="to rotate")
    body = w.call("POST", f"/api/v1/api-tokens/{token.id}/lifecycle/rotate", {"gracePeriod": "PT1H"})
    until = body["previousValueValidUntil"]
    return Made(token.id, {"from": {"previousValueValidUntil": None}, "to": {"previousValueValidUntil": until}})


def _token_leak_report(w: World) -> Made:
    token, value = issue_token(owner=w.admin, name="leaked")
    response = Client().post(
        "/api/v1/api-tokens/lifecycle/leaked", {"credentials": [value]}, content_type="application/json"
    )
    assert response.status_code == 202
    return Made(token.id)


def _token_expiry_notice(w: World) -> Made:
    token, _ = issue_token(owner=w.admin, name="idle for 23 days")
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() + timedelta(days=7))
    assert token_services.tokens_notify_expiring() == 1
    return Made(token.id)


def _agent_action(kind: AgentType, action: str) -> Callable[[World], Made]:
    def act(w: World) -> Made:
        agent = Agent.objects.create(type=kind, name=f"{kind.label} on dc1", host="dc1.warden.test")
        token_services.agent_activate(agent=agent, by=w.admin)
        if action == "deactivate":
            token_services.agent_deactivate(agent=agent, actor=w.admin)
        elif action == "delete":
            token_services.agent_unregister(agent=agent, actor=w.admin)
        return Made(agent.id)

    return act


# --- network zones -------------------------------------------------------------

IP_ZONE = {"type": "IP", "name": "harness zone", "gateways": [{"type": "CIDR", "value": "10.1.0.0/16"}]}
BLOCKLIST = {
    "type": "IP",
    "name": "harness blocklist",
    "usage": "BLOCKLIST",
    "gateways": [{"type": "CIDR", "value": "203.0.113.0/24"}, {"type": "CIDR", "value": "192.0.2.0/24"}],
}


def _zone_create(w: World) -> Made:
    return Made(w.call("POST", "/api/v1/zones", IP_ZONE)["id"])


def _zone_update(w: World) -> Made:
    zone = w.call("POST", "/api/v1/zones", IP_ZONE)
    w.call("PUT", f"/api/v1/zones/{zone['id']}", {**IP_ZONE, "name": "harness zone renamed"})
    return Made(zone["id"], {"from": {"name": "harness zone"}, "to": {"name": "harness zone renamed"}})


def _zone_delete(w: World) -> Made:
    zone = w.call("POST", "/api/v1/zones", IP_ZONE)
    w.call("POST", f"/api/v1/zones/{zone['id']}/lifecycle/deactivate")
    w.call("DELETE", f"/api/v1/zones/{zone['id']}")
    return Made(zone["id"])


def _zone_deactivate(w: World) -> Made:
    zone = w.call("POST", "/api/v1/zones", IP_ZONE)
    w.call("POST", f"/api/v1/zones/{zone['id']}/lifecycle/deactivate")
    return Made(zone["id"], {"from": {"status": "ACTIVE"}, "to": {"status": "INACTIVE"}})


def _zone_activate(w: World) -> Made:
    zone = w.call("POST", "/api/v1/zones", IP_ZONE)
    w.call("POST", f"/api/v1/zones/{zone['id']}/lifecycle/deactivate")
    w.call("POST", f"/api/v1/zones/{zone['id']}/lifecycle/activate")
    return Made(zone["id"], {"from": {"status": "INACTIVE"}, "to": {"status": "ACTIVE"}})


def _blocklist_create(w: World) -> Made:
    return Made(w.call("POST", "/api/v1/zones", BLOCKLIST)["id"])


def _blocklist_unmake(w: World) -> Made:
    zone = w.call("POST", "/api/v1/zones", BLOCKLIST)
    w.call("PUT", f"/api/v1/zones/{zone['id']}", {**BLOCKLIST, "usage": "POLICY"})
    return Made(zone["id"])


def _blocklist_remove_ips(w: World) -> Made:
    zone = w.call("POST", "/api/v1/zones", BLOCKLIST)
    w.call("PUT", f"/api/v1/zones/{zone['id']}", {**BLOCKLIST, "gateways": BLOCKLIST["gateways"][:1]})
    return Made(zone["id"])


def _request_blocked(w: World) -> Made:
    w.call("POST", "/api/v1/zones", BLOCKLIST)
    assert Client().get("/signin", REMOTE_ADDR="192.0.2.77").status_code == 403
    return Made()


# --- trusted origins -----------------------------------------------------------

ORIGIN = {"name": "harness origin", "origin": "https://harness.example.com", "scopes": [{"type": "CORS"}]}


def _origin_create(w: World) -> Made:
    return Made(w.call("POST", "/api/v1/trustedOrigins", ORIGIN)["id"])


def _origin_update(w: World) -> Made:
    origin = w.call("POST", "/api/v1/trustedOrigins", ORIGIN)
    w.call("PUT", f"/api/v1/trustedOrigins/{origin['id']}", {**ORIGIN, "name": "harness origin renamed"})
    return Made(origin["id"], {"from": {"name": "harness origin"}, "to": {"name": "harness origin renamed"}})


def _origin_delete(w: World) -> Made:
    origin = w.call("POST", "/api/v1/trustedOrigins", ORIGIN)
    w.call("DELETE", f"/api/v1/trustedOrigins/{origin['id']}")
    return Made(origin["id"])


def _origin_deactivate(w: World) -> Made:
    origin = w.call("POST", "/api/v1/trustedOrigins", ORIGIN)
    w.call("POST", f"/api/v1/trustedOrigins/{origin['id']}/lifecycle/deactivate")
    return Made(origin["id"], {"from": {"status": "ACTIVE"}, "to": {"status": "INACTIVE"}})


def _origin_activate(w: World) -> Made:
    origin = w.call("POST", "/api/v1/trustedOrigins", ORIGIN)
    w.call("POST", f"/api/v1/trustedOrigins/{origin['id']}/lifecycle/deactivate")
    w.call("POST", f"/api/v1/trustedOrigins/{origin['id']}/lifecycle/activate")
    return Made(origin["id"], {"from": {"status": "INACTIVE"}, "to": {"status": "ACTIVE"}})


def _redirect_refused(w: World) -> Made:
    response = client_for(w.admin).post("/signout", {"next": "https://evil.example/"})
    assert response.status_code == 302 and response["Location"] != "https://evil.example/"
    return Made()


# --- rate limits ---------------------------------------------------------------


def _exceed_limit(w: World) -> Made:
    token, value = issue_token(owner=w.admin, name="hog", rate_limit_percent=100)
    with override_settings(RATE_LIMITS={"logs": 60, "default": 10}):
        process_caches.reset_all()
        codes = [Client().get("/api/v1/org", **ssws(value)).status_code for _ in range(25)]
    process_caches.reset_all()
    assert 429 in codes, codes
    return Made(token.id)


def _warn(w: World) -> Made:
    _exceed_limit(w)
    return Made()  # the newest warning is the org bucket's, which names no token


def _exception_form(start) -> dict:
    return {
        "org_name": "Warden",
        "group": "default",
        "requested_limit": 20_000,
        "starts_at": start.strftime("%Y-%m-%dT%H:%M"),
        "ends_at": (start + timedelta(days=2)).strftime("%Y-%m-%dT%H:%M"),
        "justification": "Initial import of 200,000 users",
    }


def _exception_request(w: World) -> Made:
    requester = UserFactory(roles=[RoleType.ORG_ADMIN])
    form = _exception_form(timezone.now() + timedelta(days=30))
    assert client_for(requester).post("/security/rate-limits/", form).status_code == 302
    return Made(RateLimitException.objects.get().id)


def _exception_decision(decision: str) -> Callable[[World], Made]:
    def act(w: World) -> Made:
        made = _exception_request(w)
        url = f"/security/rate-limits/exceptions/{made.target_id}/{decision}"
        assert client_for(w.admin).post(url).status_code == 302
        return made

    return act


def _store_unavailable(w: World) -> Made:
    closed = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": f"redis://127.0.0.1:{free_port()}/0",
            "OPTIONS": {"SOCKET_CONNECT_TIMEOUT": 0.2, "SOCKET_TIMEOUT": 0.2},
        }
    }
    ratelimit_middleware._last_store_warning["at"] = -1e9
    with override_settings(CACHES=closed):
        assert Client().get("/api/v1/org", **ssws(w.token)).status_code == 200  # fails open
    ratelimit_middleware._last_store_warning["at"] = -1e9
    return Made()


def _log_purge(w: World) -> Made:
    call_command("purge_system_log", stdout=StringIO())
    return Made()


def _log_export(w: World) -> Made:
    response = client_for(w.admin).get("/reports/syslog/export.csv", {"range": "1h"})
    assert response.status_code == 200, response
    b"".join(response.streaming_content)
    return Made()


EVENT_ACTIONS: dict[str, Callable[[World], Made]] = {
    "user.session.start": _session_start,
    "user.session.end": _session_end,
    "user.lifecycle.create": _user_create,
    "user.lifecycle.deactivate": _user_deactivate,
    "user.lifecycle.reactivate": _user_reactivate,
    "user.account.privilege.grant": _privilege_grant,
    "user.account.privilege.revoke": _privilege_revoke,
    "system.api_token.create": _token_create,
    "system.api_token.revoke": _token_revoke,
    "system.api_token.update": _token_update,
    "system.api_token.request_outside_allowed_range": _token_outside_range,
    "warden.api_token.rotate": _token_rotate,
    "warden.api_token.leak_report": _token_leak_report,
    "warden.api_token.expiry_notice": _token_expiry_notice,
    "zone.create": _zone_create,
    "zone.update": _zone_update,
    "zone.delete": _zone_delete,
    "zone.activate": _zone_activate,
    "zone.deactivate": _zone_deactivate,
    "zone.make_blacklist": _blocklist_create,
    "zone.remove_blacklist": _blocklist_unmake,
    "security.zone.make_blacklist": _blocklist_create,
    "security.zone.remove_blacklist": _blocklist_remove_ips,
    "security.request.blocked": _request_blocked,
    "security.trusted_origin.create": _origin_create,
    "security.trusted_origin.update": _origin_update,
    "security.trusted_origin.delete": _origin_delete,
    "security.trusted_origin.activate": _origin_activate,
    "security.trusted_origin.deactivate": _origin_deactivate,
    "security.trusted_origin.redirect_refused": _redirect_refused,
    "system.org.rate_limit.warning": _warn,
    "system.org.rate_limit.violation": _exceed_limit,
    "system.rate_limit.exception.request": _exception_request,
    "system.rate_limit.exception.approve": _exception_decision("approve"),
    "system.rate_limit.exception.decline": _exception_decision("decline"),
    "system.rate_limit.store_unavailable": _store_unavailable,
    "system.log.purge": _log_purge,
    "system.log.export": _log_export,
    **{
        f"system.agent.{kind.value.lower()}.{action}": _agent_action(kind, action)
        for kind in AgentType
        for action in ("reactivate", "deactivate", "delete")
    },
}


# --- OAuth service apps (oauth/event_types.py) -----------------------------------------------------------


def _service_app(world: World, **kwargs):
    from oauth import services as oauth_services

    return oauth_services.app_create(name="Event harness app", actor=world.admin, **kwargs)


def _oauth(name: str, **kwargs) -> Callable[[World], Made]:
    def action(world: World) -> Made:
        from oauth import services as oauth_services
        from tests.oauth.helpers import AppUnderTest, get_token, post_form

        if name == "create":
            return Made(target_id=_service_app(world).id)
        if name == "update":
            app = _service_app(world)
            oauth_services.app_update(app=app, name="Renamed harness app", actor=world.admin)
            return Made(
                target_id=app.id, changes={"from": {"name": "Event harness app"}, "to": {"name": "Renamed harness app"}}
            )
        if name in ("deactivate", "activate", "delete"):
            app = _service_app(world)
            oauth_services.app_deactivate(app=app, actor=world.admin)
            if name == "activate":
                oauth_services.app_activate(app=app, actor=world.admin)
            if name == "delete":
                oauth_services.app_delete(app=app, actor=world.admin)
            return Made(target_id=app.id)
        if name.startswith("key_"):
            app = _service_app(world)
            key, _ = oauth_services.key_generate(app=app, actor=world.admin)
            if name in ("key_deactivate", "key_delete"):
                oauth_services.key_set_status(key=key, status="INACTIVE", actor=world.admin)
            if name == "key_activate":
                oauth_services.key_set_status(key=key, status="INACTIVE", actor=world.admin)
                oauth_services.key_set_status(key=key, status="ACTIVE", actor=world.admin)
            if name == "key_delete":
                oauth_services.key_delete(key=key, actor=world.admin)
            return Made(target_id=app.id)
        if name in ("scope_grant", "scope_revoke"):
            app = _service_app(world)
            oauth_services.scope_grant(app=app, scope="okta.logs.read", actor=world.admin)
            if name == "scope_revoke":
                oauth_services.scope_revoke(app=app, scope="okta.logs.read", actor=world.admin)
            return Made(target_id=app.id)
        if name in ("role_grant", "role_revoke"):
            app = _service_app(world)
            oauth_services.role_assign(app=app, role_type="READ_ONLY_ADMIN", actor=world.admin)
            if name == "role_revoke":
                oauth_services.role_unassign(app=app, role_type="READ_ONLY_ADMIN", actor=world.admin)
            return Made(target_id=app.id)
        if name == "rollover":
            oauth_services.signing_key_rotate(actor=world.admin)
            return Made()
        harness = AppUnderTest(scopes=["okta.logs.read"])
        response = get_token(Client(), harness, "okta.logs.read")
        assert response.status_code == 200, response.content
        if name == "scope_refused":
            refused = Client().get("/api/v1/zones", HTTP_AUTHORIZATION=f"Bearer {response.json()['access_token']}")
            assert refused.status_code == 403, refused.content
        if name == "revoke":
            form = {**harness.form(), "token": response.json()["access_token"]}
            assert post_form(Client(), "/oauth2/v1/revoke", form).status_code == 200
        return Made(target_id=harness.client_id)

    return action


EVENT_ACTIONS.update(
    {
        "application.lifecycle.create": _oauth("create"),
        "application.lifecycle.update": _oauth("update"),
        "application.lifecycle.activate": _oauth("activate"),
        "application.lifecycle.deactivate": _oauth("deactivate"),
        "application.lifecycle.delete": _oauth("delete"),
        "app.oauth2.credentials.lifecycle.create": _oauth("key_create"),
        "app.oauth2.credentials.lifecycle.activate": _oauth("key_activate"),
        "app.oauth2.credentials.lifecycle.deactivate": _oauth("key_deactivate"),
        "app.oauth2.credentials.lifecycle.delete": _oauth("key_delete"),
        "app.oauth2.admin.consent.grant": _oauth("scope_grant"),
        "app.oauth2.admin.consent.revoke": _oauth("scope_revoke"),
        "app.oauth2.admin_role.grant": _oauth("role_grant"),
        "app.oauth2.admin_role.revoke": _oauth("role_revoke"),
        "app.oauth2.token.grant.access_token": _oauth("grant"),
        "app.oauth2.token.revoke": _oauth("revoke"),
        "app.oauth2.as.key.rollover": _oauth("rollover"),
        "warden.oauth2.scope_refused": _oauth("scope_refused"),
    }
)
