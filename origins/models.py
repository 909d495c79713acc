"""Trusted origins in Okta's shape (docs/okta-contract.md §4)."""

from django.db import models
from django.utils import timezone

from api.http import link, okta_time
from api.ids import new_id
from origins.lists import origins_changed
from syslog.events import Party


def new_origin_id() -> str:
    return new_id("tos")


class OriginStatus(models.TextChoices):
    ACTIVE = "ACTIVE", "Active"
    INACTIVE = "INACTIVE", "Inactive"


class ScopeType(models.TextChoices):
    CORS = "CORS", "CORS"
    REDIRECT = "REDIRECT", "Redirect"
    IFRAME_EMBED = "IFRAME_EMBED", "iFrame embed"


SCOPE_ORDER = [ScopeType.CORS, ScopeType.REDIRECT, ScopeType.IFRAME_EMBED]


class TrustedOrigin(models.Model):
    id = models.CharField(primary_key=True, max_length=20, default=new_origin_id, editable=False)
    name = models.CharField(max_length=255, unique=True)
    origin = models.CharField(max_length=255)  # echoed as sent
    # The browser (`Origin` header) form (origins/parsing.py): unique, and what every check compares.
    origin_key = models.CharField(max_length=300, unique=True)
    # [{"type": "CORS"}, {"type": "IFRAME_EMBED", "allowedOktaApps": []}, ...] in SCOPE_ORDER.
    scopes = models.JSONField(default=list)
    # " CORS REDIRECT ": the scope types again, so `filter=type eq "CORS"` is a plain text match on any database.
    scope_index = models.CharField(max_length=64, blank=True, default="", editable=False)
    status = models.CharField(max_length=8, choices=OriginStatus.choices, default=OriginStatus.ACTIVE)
    created = models.DateTimeField(default=timezone.now)
    created_by = models.CharField(max_length=64, blank=True, default="")
    last_updated = models.DateTimeField(default=timezone.now)
    last_updated_by = models.CharField(max_length=64, blank=True, default="")

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        self.scope_index = " " + " ".join(self.scope_types) + " "
        super().save(*args, **kwargs)
        origins_changed()  # every process reloads its allow-lists (origins/lists.py)

    def delete(self, *args, **kwargs):
        result = super().delete(*args, **kwargs)
        origins_changed()
        return result

    @property
    def is_active(self) -> bool:
        return self.status == OriginStatus.ACTIVE

    @property
    def scope_types(self) -> list[str]:
        return [scope["type"] for scope in self.scopes or ()]

    def scope_labels(self) -> list[str]:
        return [ScopeType(t).label for t in self.scope_types]

    def has_scope(self, scope_type: str) -> bool:
        return scope_type in self.scope_types

    def as_log_party(self) -> Party:
        return Party(id=self.id, type="TrustedOrigin", alternate_id=self.origin, display_name=self.name)

    def to_okta(self, request=None) -> dict:
        path = f"/api/v1/trustedOrigins/{self.id}"
        links = {}
        if self.is_active:
            links["deactivate"] = link(request, f"{path}/lifecycle/deactivate", "POST")
        else:
            links["activate"] = link(request, f"{path}/lifecycle/activate", "POST")
        links["self"] = link(request, path, "GET", "PUT", "DELETE")
        return {
            "id": self.id,
            "name": self.name,
            "origin": self.origin,
            "scopes": [dict(scope) for scope in self.scopes or ()],
            "status": self.status,
            "created": okta_time(self.created),
            "createdBy": self.created_by or None,
            "lastUpdated": okta_time(self.last_updated),
            "lastUpdatedBy": self.last_updated_by or None,
            "_links": links,
        }
