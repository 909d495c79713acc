"""The system zones every org has (docs/decisions/12, docs/okta-contract.md §3.5). Used by the
data migration (with the historical model) and by `load_demo`, so turning on
SEED_ENHANCED_DYNAMIC_ZONE later and reloading the demo adds that zone too."""

from django.conf import settings

from api.ids import new_id

SYSTEM_ZONES = [
    {"name": "LegacyIpZone", "type": "IP", "usage": "POLICY"},
    {"name": "BlockedIpZone", "type": "IP", "usage": "BLOCKLIST"},
]
# okta-python 3.4.4 cannot parse any DYNAMIC_V2 zone (docs/okta-contract.md §3.6): off by default.
ENHANCED_DYNAMIC_ZONE = {
    "name": "DefaultEnhancedDynamicZone",
    "type": "DYNAMIC_V2",
    "usage": "BLOCKLIST",
    "ip_service_categories": {"include": ["ALL_ANONYMIZERS"], "exclude": []},
    "locations": {"include": [], "exclude": []},
    "asns": {"include": [], "exclude": []},
}


def seed_system_zones(model) -> list:
    """Create the missing system zones (ACTIVE, no entries). Returns the ones created."""
    wanted = list(SYSTEM_ZONES)
    if settings.SEED_ENHANCED_DYNAMIC_ZONE:
        wanted.append(ENHANCED_DYNAMIC_ZONE)
    created = []
    for spec in wanted:
        fields = {k: v for k, v in spec.items() if k != "name"}
        zone, made = model.objects.get_or_create(
            name=spec["name"], defaults={"id": new_id("nzo"), "system": True, "status": "ACTIVE", **fields}
        )
        if made:
            created.append(zone)
    return created
