"""Okta event types Warden emits (CONTRACT.md §5.5 and Okta's event catalog):
event type -> (displayMessage, legacyEventType, severity)."""

EVENT_TYPES: dict[str, tuple[str, str | None, str]] = {
    # sessions and users
    "user.session.start": ("User login to Okta", "core.user_auth.login_success", "INFO"),
    "user.session.end": ("User logout from Okta", "core.user_auth.logout_success", "INFO"),
    "user.lifecycle.create": ("Create Okta user", "core.user.config.user_creation.success", "INFO"),
    "user.lifecycle.deactivate": ("Deactivate Okta user", "core.user.config.user_deactivated", "INFO"),
    "user.lifecycle.reactivate": ("Reactivate Okta user", "core.user.config.user_reactivated", "INFO"),
    "user.account.privilege.grant": ("Grant user privilege", "core.user.admin_privilege.granted", "INFO"),
    "user.account.privilege.revoke": ("Revoke user privilege", "core.user.admin_privilege.revoked", "INFO"),
    # API tokens
    "system.api_token.create": ("Create API token", "api.token.create", "INFO"),
    "system.api_token.revoke": ("Revoke API token", "api.token.revoke", "INFO"),
    "system.api_token.update": ("API token updated", None, "INFO"),
    "system.api_token.request_outside_allowed_range": (
        "API token used from outside its allowed network range",
        None,
        "WARN",
    ),
    # network zones
    "zone.create": ("Create network zone", None, "INFO"),
    "zone.update": ("Update network zone", None, "INFO"),
    "zone.delete": ("Delete network zone", None, "INFO"),
    "zone.activate": ("Activate network zone", None, "INFO"),
    "zone.deactivate": ("Deactivate network zone", None, "INFO"),
    "zone.make_blacklist": ("Mark network zone as blacklist", None, "INFO"),
    "zone.remove_blacklist": ("Unmark network zone as blacklist", None, "INFO"),
    "security.zone.make_blacklist": ("Added IPs to blacklist zone", None, "INFO"),
    "security.zone.remove_blacklist": ("Removed IPs from blacklist zone", None, "INFO"),
    "security.request.blocked": ("Request from a blocklisted IP address refused", None, "WARN"),
    # trusted origins
    "security.trusted_origin.create": ("Create trusted origin", None, "INFO"),
    "security.trusted_origin.update": ("Update trusted origin", None, "INFO"),
    "security.trusted_origin.delete": ("Delete trusted origin", None, "INFO"),
    "security.trusted_origin.activate": ("Activate trusted origin", None, "INFO"),
    "security.trusted_origin.deactivate": ("Deactivate trusted origin", None, "INFO"),
    "security.trusted_origin.redirect_refused": ("Redirect to an untrusted origin refused", None, "WARN"),
    # rate limits
    "system.org.rate_limit.warning": ("Rate limit warning", None, "WARN"),
    "system.org.rate_limit.violation": ("Rate limit violation", None, "WARN"),
    "system.rate_limit.exception.request": ("Rate limit exception requested", None, "INFO"),
    "system.rate_limit.exception.approve": ("Rate limit exception approved", None, "INFO"),
    "system.rate_limit.exception.decline": ("Rate limit exception declined", None, "INFO"),
    "system.rate_limit.store_unavailable": ("Rate limit counters unavailable; API requests admitted", None, "WARN"),
    # the log itself
    "system.log.purge": ("System Log events past retention deleted", None, "INFO"),
}

# Agents: Okta's `system.agent.ad.{reactivate,deactivate,delete}` and the same shape for the other agent
# kinds Warden keeps (activation = reactivate, unregistering = delete of the registration).
AGENT_KINDS = {"ad": "AD", "ldap": "LDAP", "radius": "RADIUS", "rsa": "RSA",
               "ad_password_sync": "AD Password Sync", "iwa": "IWA"}
for _slug, _label in AGENT_KINDS.items():
    EVENT_TYPES[f"system.agent.{_slug}.reactivate"] = (f"Reactivate {_label} agent", None, "INFO")
    EVENT_TYPES[f"system.agent.{_slug}.deactivate"] = (f"Deactivate {_label} agent", None, "INFO")
    EVENT_TYPES[f"system.agent.{_slug}.delete"] = (f"Unregister {_label} agent", None, "INFO")
