"""Okta's admin role types (docs/okta-contract.md §6.2). There is no GROUP_ADMIN on the
wire: the console's "Group Administrator" is USER_ADMIN."""

from django.db import models


class RoleType(models.TextChoices):
    SUPER_ADMIN = "SUPER_ADMIN", "Super Administrator"
    ORG_ADMIN = "ORG_ADMIN", "Organization Administrator"
    USER_ADMIN = "USER_ADMIN", "Group Administrator"
    GROUP_MEMBERSHIP_ADMIN = "GROUP_MEMBERSHIP_ADMIN", "Group Membership Administrator"
    READ_ONLY_ADMIN = "READ_ONLY_ADMIN", "Read-only Administrator"
    HELP_DESK_ADMIN = "HELP_DESK_ADMIN", "Help Desk Administrator"
    APP_ADMIN = "APP_ADMIN", "Application Administrator"


# Highest first: the role a token list shows for its owner.
ROLE_RANK = [
    RoleType.SUPER_ADMIN,
    RoleType.ORG_ADMIN,
    RoleType.USER_ADMIN,
    RoleType.GROUP_MEMBERSHIP_ADMIN,
    RoleType.APP_ADMIN,
    RoleType.HELP_DESK_ADMIN,
    RoleType.READ_ONLY_ADMIN,
]


class UserStatus(models.TextChoices):
    """Okta's user status enum (docs/decisions/02); Warden uses four of its values."""

    ACTIVE = "ACTIVE", "Active"
    DEPROVISIONED = "DEPROVISIONED", "Deactivated"
    STAGED = "STAGED", "Staged"
    SUSPENDED = "SUSPENDED", "Suspended"
