"""A token's network condition (docs/decisions/03): parsing, the console's five
choices, and the per-request check against the zones index."""

from django.core.exceptions import ValidationError

from tokens.models import ALL_ZONES, Connection
from zones.matching import policy_zones_containing
from zones.models import NetworkZone

# The console's five choices (the seeds' wording, less "defined in Okta": these zones are Warden's) and their wire form.
CHOICES = [
    ("ANYWHERE", "Any IP"),
    ("IN_ANY_ZONE", "In any network zone"),
    ("IN_ZONES", "In any of the following zones"),
    ("NOT_IN_ANY_ZONE", "Not in any network zone"),
    ("NOT_IN_ZONES", "Not in any of the following zones"),
]


def from_choice(choice: str, zone_ids: list[str]) -> dict:
    return {
        "ANYWHERE": {"connection": Connection.ANYWHERE},
        "IN_ANY_ZONE": {"connection": Connection.ZONE, "include": [ALL_ZONES]},
        "IN_ZONES": {"connection": Connection.ZONE, "include": list(zone_ids)},
        "NOT_IN_ANY_ZONE": {"connection": Connection.ZONE, "exclude": [ALL_ZONES]},
        "NOT_IN_ZONES": {"connection": Connection.ZONE, "exclude": list(zone_ids)},
    }[choice]


def to_choice(network: dict) -> tuple[str, list[str]]:
    include, exclude = network.get("include") or [], network.get("exclude") or []
    if network.get("connection") != Connection.ZONE:
        return "ANYWHERE", []
    if include:
        return ("IN_ANY_ZONE", []) if include == [ALL_ZONES] else ("IN_ZONES", include)
    return ("NOT_IN_ANY_ZONE", []) if exclude == [ALL_ZONES] else ("NOT_IN_ZONES", exclude)


def clean_network(data) -> tuple[dict, list[tuple[str, str]]]:
    """Validate a wire-form condition; return it normalised (empty lists
    omitted, as Okta answers) and the (zone id, INCLUDE|EXCLUDE) links."""
    if data is None:
        data = {"connection": Connection.ANYWHERE}
    if not isinstance(data, dict):
        raise ValidationError("network must be an object with connection, include and exclude")
    connection = data.get("connection")
    if connection not in (Connection.ANYWHERE, Connection.ZONE):
        raise ValidationError(f"network.connection must be ANYWHERE or ZONE, not {connection!r}")
    if connection == Connection.ANYWHERE:
        return {"connection": Connection.ANYWHERE}, []
    errors, links, result = [], [], {"connection": Connection.ZONE}
    for key, mode in (("include", "INCLUDE"), ("exclude", "EXCLUDE")):
        ids = data.get(key) or []
        if not isinstance(ids, list) or not all(isinstance(i, str) for i in ids):
            errors.append(f"network.{key} must be a list of zone ids")
            continue
        if ids:
            result[key] = list(dict.fromkeys(ids))
            links += [(zone_id, mode) for zone_id in result[key] if zone_id != ALL_ZONES]
    if "include" not in result and "exclude" not in result:
        errors.append("network with connection ZONE needs include or exclude zone ids")
    if ALL_ZONES in result.get("include", []) and len(result["include"]) > 1:
        errors.append("network.include: ALL_ZONES cannot be combined with zone ids")
    if ALL_ZONES in result.get("exclude", []) and len(result["exclude"]) > 1:
        errors.append("network.exclude: ALL_ZONES cannot be combined with zone ids")
    wanted = {zone_id for zone_id, _ in links}
    if len(links) != len(wanted):
        errors.append("a zone cannot be both included and excluded")
    zones = {z.id: z for z in NetworkZone.objects.filter(id__in=wanted)}
    for zone_id in sorted(wanted):
        zone = zones.get(zone_id)
        if zone is None:
            errors.append(f"unknown network zone id {zone_id!r}")
        elif not NetworkZone.objects.token_eligible().filter(pk=zone_id).exists():
            errors.append(
                f"zone {zone.name!r} is a {zone.type} {zone.usage} zone; tokens can use only IP zones with POLICY usage"
            )
    if errors:
        raise ValidationError(errors)
    return result, links


def network_allows(network: dict, ip: str | None) -> bool:
    """docs/decisions/03. Matching uses gateways of ACTIVE IP POLICY zones only (an
    inactive zone matches nothing); ALL_ZONES means any of them."""
    if not network or network.get("connection") != Connection.ZONE:
        return True
    containing = policy_zones_containing(ip) if ip else frozenset()
    include, exclude = network.get("include"), network.get("exclude")
    if include and not (containing and (ALL_ZONES in include or containing.intersection(include))):
        return False
    return not (exclude and containing and (ALL_ZONES in exclude or containing.intersection(exclude)))
