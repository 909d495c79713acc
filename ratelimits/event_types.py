"""System Log event types recorded by ratelimits, collected by syslog/catalog.py:
event type -> (displayMessage, legacyEventType, severity)."""

EVENT_TYPES: dict[str, tuple[str, str | None, str]] = {
    "system.org.rate_limit.warning": ("Rate limit warning", None, "WARN"),
    "system.org.rate_limit.violation": ("Rate limit violation", None, "WARN"),
    "system.rate_limit.exception.request": ("Rate limit exception requested", None, "INFO"),
    "system.rate_limit.exception.approve": ("Rate limit exception approved", None, "INFO"),
    "system.rate_limit.exception.decline": ("Rate limit exception declined", None, "INFO"),
    "system.rate_limit.store_unavailable": ("Rate limit counters unavailable; API requests admitted", None, "WARN"),
}
