"""System Log event types recorded by the System Log page itself, collected by syslog/catalog.py:
event type -> (displayMessage, legacyEventType, severity). A CSV download is a read of the log in
bulk, so it is itself recorded (who took which query away, and when)."""

EVENT_TYPES: dict[str, tuple[str, str | None, str]] = {
    "system.log.export": ("System Log events downloaded as CSV", None, "INFO"),
}
