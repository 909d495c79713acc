"""Network zones in Okta's shape (docs/okta-contract.md §3). What differs between zone
types lives in their kinds (zones/kinds.py); this model has every kind's columns."""

from django.db import models
from django.utils import timezone

from api.http import link, okta_time
from api.ids import new_id
from syslog.events import Party
from zones.choices import ZoneStatus, ZoneUsage
from zones.kinds import ADDRESS_TYPES, KINDS, ZoneKind
from zones.matching import zones_changed


def new_zone_id() -> str:
    return new_id("nzo")


# The registry's types as model choices (ZoneType.IP...).
ZoneType = models.TextChoices("ZoneType", [(kind.type, (kind.type, kind.label)) for kind in KINDS.values()])


class NetworkZoneQuerySet(models.QuerySet):
    def with_addresses(self):
        """Zones of the kinds whose gateways requests are matched against (IP zones)."""
        return self.filter(type__in=ADDRESS_TYPES)

    def token_eligible(self):
        """Zones a token's network condition may name: IP zones with POLICY usage (docs/decisions/03)."""
        return self.with_addresses().filter(usage=ZoneUsage.POLICY)

    def with_token_counts(self):
        """Annotate `token_count`: how many token links name each zone (one query for a list)."""
        relations = token_relations()
        if not relations:
            return self.annotate(token_count=models.Value(0, output_field=models.IntegerField()))
        total = None
        for rel in relations:
            count = models.Count(rel.name, distinct=True)  # ForeignObjectRel.name is the query name
            total = count if total is None else total + count
        return self.annotate(token_count=total)


def token_relations() -> list:
    """The reverse relations through which tokens point at zones.

    `tokens` is a higher layer (docs/architecture.md): zones never import it, but learn
    which tokens use a zone through whatever relation `tokens` declares to
    NetworkZone (a many-to-many, or a link model with a foreign key)."""
    return [rel for rel in NetworkZone._meta.related_objects if rel.related_model._meta.app_label != "zones"]


class NetworkZone(models.Model):
    id = models.CharField(primary_key=True, max_length=20, default=new_zone_id, editable=False)
    name = models.CharField(max_length=128, unique=True)
    type = models.CharField(max_length=16, choices=ZoneType.choices, default=ZoneType.IP)
    status = models.CharField(max_length=8, choices=ZoneStatus.choices, default=ZoneStatus.ACTIVE)
    usage = models.CharField(max_length=16, choices=ZoneUsage.choices, default=ZoneUsage.POLICY)
    system = models.BooleanField(default=False)
    created = models.DateTimeField(default=timezone.now)
    last_updated = models.DateTimeField(default=timezone.now)
    # Every kind's columns (zones/kinds.py says which kind uses which); null in a zone of another kind.
    # IP zones: lists of {"type": "CIDR"|"RANGE", "value": "..."} echoed as sent (docs/decisions/12); null when empty.
    gateways = models.JSONField(null=True, blank=True)
    proxies = models.JSONField(null=True, blank=True)
    # DYNAMIC / DYNAMIC_V2 zones keep Okta's shapes verbatim.
    locations = models.JSONField(null=True, blank=True)
    asns = models.JSONField(null=True, blank=True)
    proxy_type = models.CharField(max_length=32, null=True, blank=True)
    ip_service_categories = models.JSONField(null=True, blank=True)

    objects = NetworkZoneQuerySet.as_manager()

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        zones_changed()  # every process rebuilds its matching index (zones/matching.py)

    def delete(self, *args, **kwargs):
        result = super().delete(*args, **kwargs)
        zones_changed()
        return result

    def as_log_party(self) -> Party:
        return Party(id=self.id, type="NetworkZone", alternate_id=self.name, display_name=self.name)

    @property
    def kind(self) -> ZoneKind:
        return KINDS[self.type]

    @property
    def is_active(self) -> bool:
        return self.status == ZoneStatus.ACTIVE

    @property
    def is_blocklist(self) -> bool:
        return self.usage == ZoneUsage.BLOCKLIST

    @property
    def blocked_entries(self) -> list[dict]:
        """The gateway entries whose addresses this zone refuses (only a blocklist zone with addresses has any)."""
        if not self.is_blocklist or not self.kind.has_addresses:
            return []
        return list(self.gateways or ())

    def tokens_using(self) -> list:
        """Objects (tokens, or the rows linking tokens to this zone) that name this zone."""
        found = []
        for rel in token_relations():
            accessor = rel.get_accessor_name()
            if rel.one_to_one:
                linked = getattr(self, accessor, None)
                found += [linked] if linked is not None else []
            else:
                manager = getattr(self, accessor)
                # Tokens that are revoked or expired no longer use a zone, if their queryset can say so.
                rows = manager.active() if callable(getattr(manager, "active", None)) else manager.all()
                found += list(rows[:50])
        return found

    def to_okta(self, request=None) -> dict:
        """Okta's key order: type, id, name, status, usage, created, lastUpdated, system, the kind's fields, _links."""
        body = {
            "type": self.type,
            "id": self.id,
            "name": self.name,
            "status": self.status,
            "usage": self.usage,
            "created": okta_time(self.created),
            "lastUpdated": okta_time(self.last_updated),
            "system": self.system,
        }
        body.update(self.kind.wire_body(self))
        path = f"/api/v1/zones/{self.id}"
        links = {"self": link(request, path, "GET", "PUT", "DELETE")}
        if self.is_active:
            links["deactivate"] = link(request, f"{path}/lifecycle/deactivate", "POST")
        else:
            links["activate"] = link(request, f"{path}/lifecycle/activate", "POST")
        body["_links"] = links
        return body
