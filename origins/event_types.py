"""System Log event types recorded by origins (trusted origins and refused redirects), collected by
syslog/catalog.py: event type -> (displayMessage, legacyEventType, severity)."""

EVENT_TYPES: dict[str, tuple[str, str | None, str]] = {
    "security.trusted_origin.create": ("Create trusted origin", None, "INFO"),
    "security.trusted_origin.update": ("Update trusted origin", None, "INFO"),
    "security.trusted_origin.delete": ("Delete trusted origin", None, "INFO"),
    "security.trusted_origin.activate": ("Activate trusted origin", None, "INFO"),
    "security.trusted_origin.deactivate": ("Deactivate trusted origin", None, "INFO"),
    "security.trusted_origin.redirect_refused": ("Redirect to an untrusted origin refused", None, "WARN"),
}
