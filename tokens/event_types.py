"""System Log event types recorded by tokens (API tokens and agents), collected by syslog/catalog.py:
event type -> (displayMessage, legacyEventType, severity), from Okta's event catalog."""

EVENT_TYPES: dict[str, tuple[str, str | None, str]] = {
    "system.api_token.create": ("Create API token", "api.token.create", "INFO"),
    "system.api_token.revoke": ("Revoke API token", "api.token.revoke", "INFO"),
    "system.api_token.update": ("API token updated", None, "INFO"),
    "system.api_token.request_outside_allowed_range": (
        "API token used from outside its allowed network range",
        None,
        "WARN",
    ),
    # Warden's own lifecycle (docs/decisions/30-32): Okta has no such events, so they share the `warden.` prefix.
    "warden.api_token.rotate": ("Rotate API token (previous value kept for a grace period)", None, "INFO"),
    "warden.api_token.leak_report": ("API token value reported leaked", None, "WARN"),
    "warden.api_token.expiry_notice": ("API token about to expire unused: owner notified", None, "INFO"),
}

# Agents: Okta's `system.agent.ad.{reactivate,deactivate,delete}` and the same shape for the other agent
# kinds Warden keeps (activation = reactivate, unregistering = delete of the registration).
AGENT_KINDS = {
    "ad": "AD",
    "ldap": "LDAP",
    "radius": "RADIUS",
    "rsa": "RSA",
    "ad_password_sync": "AD Password Sync",
    "iwa": "IWA",
}
for _slug, _label in AGENT_KINDS.items():
    EVENT_TYPES[f"system.agent.{_slug}.reactivate"] = (f"Reactivate {_label} agent", None, "INFO")
    EVENT_TYPES[f"system.agent.{_slug}.deactivate"] = (f"Deactivate {_label} agent", None, "INFO")
    EVENT_TYPES[f"system.agent.{_slug}.delete"] = (f"Unregister {_label} agent", None, "INFO")
