"""System Log event types recorded by the System Log itself, collected by syslog/catalog.py like
every other app's: event type -> (displayMessage, legacyEventType, severity)."""

EVENT_TYPES: dict[str, tuple[str, str | None, str]] = {
    "system.log.purge": ("System Log events past retention deleted", None, "INFO"),
}
