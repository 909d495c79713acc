"""The rate-limit groups (docs/decisions/09): one place for their names, their labels and
which requests fall in each. `settings.RATE_LIMITS` gives each its base limit."""

from django.db import models


class Group(models.TextChoices):
    LOGS = "logs", "/api/v1/logs"
    DEFAULT = "default", "All other endpoints"


GROUPS: tuple[str, ...] = tuple(Group.values)


def group_for(path: str) -> str:
    """The group of a request to `path`: /api/v1/logs (and below), or every other endpoint.
    A plain string: it goes into counter keys."""
    if path == "/api/v1/logs" or path.startswith("/api/v1/logs/"):
        return Group.LOGS.value
    return Group.DEFAULT.value
