"""The permission matrix for service apps' OAuth access tokens (issue 19): every row, for an app persona per
scope set, gets what BOTH the app's admin role and the token's scopes allow. The role's answer is the SSWS
token persona's of the same role (test_matrix.py); the scopes each API URL needs are written out here
(docs/permissions.md, "Okta API scopes"). The console ignores access tokens: a console row answers like
anonymous."""

import json

import pytest
from django.test import Client
from django.urls import reverse

from oauth import server, services
from tests.conftest import make_persona
from tests.matrix.rows import build
from tests.matrix.test_matrix import ROWS

READS = [
    "okta.apiTokens.read",
    "okta.networkZones.read",
    "okta.trustedOrigins.read",
    "okta.logs.read",
    "okta.users.read",
    "okta.users.read.self",
    "okta.roles.read",
    "okta.orgs.read",
]
MANAGES = ["okta.apiTokens.manage", "okta.networkZones.manage", "okta.trustedOrigins.manage", "okta.logs.read"]

# persona -> (the app's admin role, the token's scopes)
APP_PERSONAS = {
    "app_read": ("SUPER_ADMIN", READS),
    "app_manage": ("SUPER_ADMIN", MANAGES),
    "app_zones": ("SUPER_ADMIN", ["okta.networkZones.manage"]),
    "app_self_only": ("SUPER_ADMIN", ["okta.users.read.self"]),
    "app_read_only_role": ("READ_ONLY_ADMIN", list(dict.fromkeys([*READS, *MANAGES]))),
}
ROLE_PERSONA = {"SUPER_ADMIN": "token_super", "READ_ONLY_ADMIN": "token_read_only"}


def needed(row) -> tuple[str, ...]:
    """The scopes that open this API row (any one of them)."""
    app, _, name = row.name.partition("_api:")
    read = row.method in ("GET", "HEAD")
    resource = {"zones": "networkZones", "origins": "trustedOrigins", "tokens": "apiTokens"}.get(app)
    if resource:
        return (f"okta.{resource}.read", f"okta.{resource}.manage") if read else (f"okta.{resource}.manage",)
    if app == "logs":
        return ("okta.logs.read",)
    if name == "user_roles":
        return ("okta.roles.read", "okta.roles.manage")
    if name == "org":
        return ("okta.orgs.read", "okta.orgs.manage")
    if row.kwargs == {"user_key": "me"}:
        return ("okta.users.read.self", "okta.users.read", "okta.users.manage")
    return ("okta.users.read", "okta.users.manage")


def expected(row, persona: str) -> int:
    role, scopes = APP_PERSONAS[persona]
    by_role = row.expect_for_token(ROLE_PERSONA[role])
    if not row.is_api:
        return by_role  # the console never reads Authorization; the OAuth endpoints answer everyone alike
    if row.name == "tokens_api:leaked":
        return by_role  # reports are open to anyone who found a value, whatever credential they carry
    if row.name == "tokens_api:current":
        return 403  # an app's access token is not an API token: /oauth2/v1/revoke revokes it
    if not set(needed(row)) & set(scopes):
        return 403  # E0000006 with the insufficient_scope challenge
    if row.name in ("tokens_api:item", "tokens_api:rotate") and role != "SUPER_ADMIN":
        return 404  # an app owns no tokens, and below super admin no role sees another's
    if row.kwargs == {"user_key": "me"} and by_role < 400:
        return 404  # client credentials have no user (docs/decisions/24)
    return by_role


CASES = [(row, persona) for row in ROWS for persona in APP_PERSONAS]


@pytest.mark.django_db
@pytest.mark.parametrize(("row", "persona"), CASES, ids=[f"{r.label}-{p}" for r, p in CASES])
def test_permission_matrix_with_app_tokens(row, persona):
    role, scopes = APP_PERSONAS[persona]
    app = services.app_create(name=persona)
    for scope in scopes:
        services.scope_grant(app=app, scope=scope)
    services.role_assign(app=app, role_type=role)
    token, _ = server.issue(app, scopes)
    actor = make_persona("super")  # owns the "own token" rows' tokens: the app sees them through its role
    kwargs, data = build(row.kwargs, actor), build(row.data, actor)
    send = getattr(Client(HTTP_AUTHORIZATION=f"Bearer {token}"), row.method.lower())
    url = reverse(row.name, kwargs=kwargs)
    if row.json:
        response = send(url, data=json.dumps(data), content_type="application/json")
    else:
        response = send(url, data=data or {})
    want = expected(row, persona)
    assert response.status_code == want, f"{row.label} as {persona}: {response.status_code} {response.content[:300]!r}"
    if row.is_api and want == 403 and row.name != "tokens_api:current" and not set(needed(row)) & set(scopes):
        assert 'error="insufficient_scope"' in response["WWW-Authenticate"]
