"""System Log event types recorded by accounts (sign-in and people), collected by syslog/catalog.py:
event type -> (displayMessage, legacyEventType, severity), from Okta's event catalog."""

EVENT_TYPES: dict[str, tuple[str, str | None, str]] = {
    "user.session.start": ("User login to Okta", "core.user_auth.login_success", "INFO"),
    "user.session.end": ("User logout from Okta", "core.user_auth.logout_success", "INFO"),
    "user.lifecycle.create": ("Create Okta user", "core.user.config.user_creation.success", "INFO"),
    "user.lifecycle.deactivate": ("Deactivate Okta user", "core.user.config.user_deactivated", "INFO"),
    "user.lifecycle.reactivate": ("Reactivate Okta user", "core.user.config.user_reactivated", "INFO"),
    "user.account.privilege.grant": ("Grant user privilege", "core.user.admin_privilege.granted", "INFO"),
    "user.account.privilege.revoke": ("Revoke user privilege", "core.user.admin_privilege.revoked", "INFO"),
}
