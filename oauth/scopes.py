"""The Okta API scopes Warden's endpoints need (Okta's names), and which permission each one opens.

A service app's access token may do what both its scopes and the app's admin roles allow (Okta's rule). The
scope a permission needs is read in accounts/permissions.py (`Perm.scopes`); this module is the catalogue the
console and the token endpoint offer. A `.manage` scope includes its `.read` (as Okta's do)."""

SCOPES: dict[str, str] = {
    "okta.apiTokens.read": "View API tokens",
    "okta.apiTokens.manage": "Revoke API tokens",
    "okta.networkZones.read": "View network zones",
    "okta.networkZones.manage": "Create, change and delete network zones",
    "okta.trustedOrigins.read": "View trusted origins",
    "okta.trustedOrigins.manage": "Create, change and delete trusted origins",
    "okta.logs.read": "Read the System Log",
    "okta.users.read": "View users",
    "okta.users.read.self": "View the signed-in user (an app's token has none)",
    "okta.roles.read": "View users' admin roles",
    "okta.orgs.read": "View the organization",
}


def known(scope: str) -> bool:
    return scope in SCOPES
