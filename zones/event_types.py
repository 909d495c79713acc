"""System Log event types recorded by zones (network zones and the blocklist), collected by
syslog/catalog.py: event type -> (displayMessage, legacyEventType, severity)."""

EVENT_TYPES: dict[str, tuple[str, str | None, str]] = {
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
}
