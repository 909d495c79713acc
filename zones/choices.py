"""A zone's usage and status (docs/okta-contract.md §3). Its type is its kind (zones/kinds.py)."""

from django.db import models


class ZoneUsage(models.TextChoices):
    POLICY = "POLICY", "Policy"
    BLOCKLIST = "BLOCKLIST", "Blocklist"


class ZoneStatus(models.TextChoices):
    ACTIVE = "ACTIVE", "Active"
    INACTIVE = "INACTIVE", "Inactive"
