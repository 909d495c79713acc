"""The rate-limit groups (docs/decisions/09): one place for their names, their labels and
which requests fall in each. `settings.RATE_LIMITS` gives each its base limit."""

from django.db import models


class Group(models.TextChoices):
    LOGS = "logs", "/api/v1/logs, /api/v1/events"
    DEFAULT = "default", "All other endpoints"


GROUPS: tuple[str, ...] = tuple(Group.values)
# The System Log, read in Okta's System Log shape or in its deprecated v1 Events shape: one budget for both.
LOGS_PATHS = ("/api/v1/logs", "/api/v1/events")


def group_for(path: str) -> str:
    """The group of a request to `path`: the System Log's (and below), or every other endpoint.
    A plain string: it goes into counter keys."""
    if any(path == base or path.startswith(base + "/") for base in LOGS_PATHS):
        return Group.LOGS.value
    return Group.DEFAULT.value
