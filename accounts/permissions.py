"""Who may do what: docs/permissions.md's table, in one place, for the
console and the API alike.

A user's roles are read from the database on each request (never cached
across requests), so a role change applies to their session and their tokens
at once. A request made with an API token acts with the owner's current roles,
but a read-only admin's token is GET-only: write permissions granted only by
READ_ONLY_ADMIN are withheld from token requests.

A service app's OAuth access token (oauth/bearer.py) makes `request.user` an app principal with
`oauth_scopes`: it may do what BOTH its roles and its scopes allow (Okta's rule). `SCOPES` names the Okta
scopes that open each permission (a `.manage` scope includes its `.read`); the first is the one a refusal
names in its `WWW-Authenticate` challenge. People and console sessions have no `oauth_scopes`."""

from enum import Enum

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest

from accounts.roles import RoleType
from api.errors import InsufficientScope
from syslog.events import record_refusal
from syslog.outcomes import Outcome

SUPER = RoleType.SUPER_ADMIN
ORG = RoleType.ORG_ADMIN
USER_ADMIN = RoleType.USER_ADMIN
MEMBERSHIP = RoleType.GROUP_MEMBERSHIP_ADMIN
READ_ONLY = RoleType.READ_ONLY_ADMIN
ALL_ADMINS = frozenset(RoleType)
TOKEN_CREATORS = frozenset({SUPER, ORG, USER_ADMIN, MEMBERSHIP, READ_ONLY})


class Perm(Enum):
    """value = (roles that hold it, whether it changes anything, its own key). The key keeps members with the
    same roles distinct: without it they would be aliases of one member, and the scope each needs
    (SCOPES below) could not be told apart."""

    TOKEN_CREATE = (TOKEN_CREATORS, True, "token_create")
    TOKEN_MANAGE_OWN = (TOKEN_CREATORS, True, "token_manage_own")  # see / revoke / edit the tokens one created
    TOKEN_VIEW_OWN = (TOKEN_CREATORS, False, "token_view_own")
    TOKEN_MANAGE_ALL = (frozenset({SUPER}), True, "token_manage_all")  # ... everybody's
    TOKEN_VIEW_ALL = (frozenset({SUPER}), False, "token_view_all")
    TOKEN_SHARE_ABOVE_HALF = (
        frozenset({SUPER}),
        True,
        "token_share_above_half",
    )  # a token's rate-limit share above 50 % (decision 09)
    AGENT_VIEW = (frozenset({SUPER, ORG, READ_ONLY}), False, "agent_view")  # agents and agent tokens
    AGENT_MANAGE = (frozenset({SUPER, ORG}), True, "agent_manage")
    ZONE_VIEW = (TOKEN_CREATORS, False, "zone_view")
    ZONE_MANAGE = (frozenset({SUPER, ORG}), True, "zone_manage")
    ORIGIN_VIEW = (frozenset({SUPER, ORG, READ_ONLY}), False, "origin_view")
    ORIGIN_MANAGE = (frozenset({SUPER, ORG}), True, "origin_manage")
    RATELIMIT_VIEW = (frozenset({SUPER, ORG, READ_ONLY}), False, "ratelimit_view")
    RATELIMIT_REQUEST = (frozenset({SUPER, ORG}), True, "ratelimit_request")
    RATELIMIT_APPROVE = (frozenset({SUPER}), True, "ratelimit_approve")  # never one's own request
    SYSLOG_READ = (frozenset({SUPER, ORG, READ_ONLY}), False, "syslog_read")
    PEOPLE_VIEW = (ALL_ADMINS, False, "people_view")
    PEOPLE_MANAGE = (frozenset({SUPER, ORG}), True, "people_manage")  # ORG: not super admins
    ROLES_MANAGE = (frozenset({SUPER}), True, "roles_manage")
    APP_VIEW = (frozenset({SUPER, ORG, READ_ONLY, RoleType.APP_ADMIN}), False, "app_view")  # service apps
    # Creating a service app, its keys, scopes and admin roles hands out API access: a super admin's decision.
    APP_MANAGE = (frozenset({SUPER}), True, "app_manage")

    @property
    def roles(self) -> frozenset:
        return self.value[0]

    @property
    def writes(self) -> bool:
        return self.value[1]


def _scoped(read: str) -> tuple[str, ...]:
    return (f"okta.{read}.read", f"okta.{read}.manage")


SCOPES: dict[Perm, tuple[str, ...]] = {
    Perm.TOKEN_CREATE: ("okta.apiTokens.manage",),
    Perm.TOKEN_MANAGE_OWN: ("okta.apiTokens.manage",),
    Perm.TOKEN_VIEW_OWN: _scoped("apiTokens"),
    Perm.TOKEN_MANAGE_ALL: ("okta.apiTokens.manage",),
    Perm.TOKEN_VIEW_ALL: _scoped("apiTokens"),
    Perm.TOKEN_SHARE_ABOVE_HALF: ("okta.apiTokens.manage",),
    Perm.AGENT_VIEW: _scoped("apiTokens"),
    Perm.AGENT_MANAGE: ("okta.apiTokens.manage",),
    Perm.ZONE_VIEW: _scoped("networkZones"),
    Perm.ZONE_MANAGE: ("okta.networkZones.manage",),
    Perm.ORIGIN_VIEW: _scoped("trustedOrigins"),
    Perm.ORIGIN_MANAGE: ("okta.trustedOrigins.manage",),
    Perm.RATELIMIT_VIEW: _scoped("rateLimits"),
    Perm.RATELIMIT_REQUEST: ("okta.rateLimits.manage",),
    Perm.RATELIMIT_APPROVE: ("okta.rateLimits.manage",),
    Perm.SYSLOG_READ: ("okta.logs.read",),
    Perm.PEOPLE_VIEW: _scoped("users"),
    Perm.PEOPLE_MANAGE: ("okta.users.manage",),
    Perm.ROLES_MANAGE: ("okta.roles.manage",),
    Perm.APP_VIEW: _scoped("apps"),
    Perm.APP_MANAGE: ("okta.apps.manage",),
}


def scope_allows(user, perm: Perm) -> bool:
    """True unless the user is an app principal whose token lacks every scope that opens `perm`."""
    scopes = getattr(user, "oauth_scopes", None)
    return scopes is None or any(s in scopes for s in SCOPES[perm])


def has_perm(user, perm: Perm, *, via_token: bool = False) -> bool:
    return scope_allows(user, perm) and _roles_allow(user, perm, via_token=via_token)


def _roles_allow(user, perm: Perm, *, via_token: bool = False) -> bool:
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    roles = user.role_types & perm.roles
    if via_token and perm.writes:
        roles = roles - {READ_ONLY}
    return bool(roles)


def request_has_perm(request: HttpRequest, perm: Perm) -> bool:
    return has_perm(request.user, perm, via_token=getattr(request, "api_token", None) is not None)


def require_scope(request: HttpRequest, perm: Perm) -> None:
    """Only the scope half of `require` (a view whose role check is its own, as token management's)."""
    granted = getattr(request.user, "oauth_scopes", None)
    if granted is not None and not any(s in granted for s in SCOPES[perm]):
        raise _insufficient_scope(request, SCOPES[perm][0])


def _insufficient_scope(request: HttpRequest, scope: str) -> InsufficientScope:
    """The refusal, recorded in the System Log once a minute per app and scope (an app probing for more than
    it was granted is what an auditor looks for; docs/decisions/10 and 24)."""
    app = request.api_token.as_log_party()
    record_refusal(
        "oauth-scope",
        f"{app.id}:{scope}",
        "warden.oauth2.scope_refused",
        request=request,
        actor=app,
        targets=[app],
        outcome=Outcome.DENY,
        reason=f"insufficient_scope: {request.method} {request.path} needs {scope}",
    )
    return InsufficientScope(scope, request.path)


def require(request: HttpRequest, perm: Perm, *, scopes: tuple[str, ...] | None = None) -> None:
    """Refuse the request (403: a page in the console, E0000006 under /api/; for an OAuth token without the
    scope, E0000006 with Okta's insufficient_scope challenge). `scopes` overrides the permission's own (an
    endpoint that needs a narrower scope than its permission, as /users/{id}/roles needs okta.roles.read)."""
    needed = scopes if scopes is not None else SCOPES[perm]
    granted = getattr(request.user, "oauth_scopes", None)
    if granted is not None and not any(s in granted for s in needed):
        raise _insufficient_scope(request, needed[0])
    if not _roles_allow(request.user, perm, via_token=getattr(request, "api_token", None) is not None):
        raise PermissionDenied(perm.name)


def may_manage_user(actor, target) -> bool:
    """Create/deactivate/reactivate `target`: org admins may not touch super admins."""
    if not has_perm(actor, Perm.PEOPLE_MANAGE):
        return False
    return SUPER not in target.role_types or SUPER in actor.role_types
