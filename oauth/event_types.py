"""System Log event types recorded by oauth (service apps and the org authorization server), collected by
syslog/catalog.py. Okta's names where Okta has them; `app.oauth2.admin_role.*` is Warden's own (Okta records a
role given to an app under its IAM events, which Warden does not serve)."""

EVENT_TYPES: dict[str, tuple[str, str | None, str]] = {
    "application.lifecycle.create": ("Create application", "app.generic.config.app_created", "INFO"),
    "application.lifecycle.update": ("Update application", "app.generic.config.app_updated", "INFO"),
    "application.lifecycle.activate": ("Activate application", "app.generic.config.app_activated", "INFO"),
    "application.lifecycle.deactivate": ("Deactivate application", "app.generic.config.app_deactivated", "INFO"),
    "application.lifecycle.delete": ("Delete application", None, "INFO"),
    "app.oauth2.credentials.lifecycle.create": ("Create client credentials", None, "INFO"),
    "app.oauth2.credentials.lifecycle.activate": ("Activate client credentials", None, "INFO"),
    "app.oauth2.credentials.lifecycle.deactivate": ("Deactivate client credentials", None, "INFO"),
    "app.oauth2.credentials.lifecycle.delete": ("Delete client credentials", None, "INFO"),
    "app.oauth2.admin.consent.grant": ("Grant Okta API scope to application", None, "INFO"),
    "app.oauth2.admin.consent.revoke": ("Revoke Okta API scope from application", None, "INFO"),
    "app.oauth2.admin_role.grant": ("Assign admin role to application", None, "INFO"),
    "app.oauth2.admin_role.revoke": ("Remove admin role from application", None, "INFO"),
    "app.oauth2.token.grant.access_token": ("OAuth2 access token is granted", None, "INFO"),
    "app.oauth2.token.revoke": ("OAuth2 token revocation request", None, "INFO"),
    "app.oauth2.as.key.rollover": ("Authorization server signing key rotated", None, "INFO"),
    # An API call refused because the access token lacks the scope (403 insufficient_scope): Okta records no
    # such event, so it takes Warden's `warden.` prefix; once a minute per app and scope (docs/decisions/10).
    "warden.oauth2.scope_refused": ("OAuth access token refused for a scope it lacks", None, "WARN"),
}
