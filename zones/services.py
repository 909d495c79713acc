"""Zone changes, each with its System Log events in the same transaction.
The console, the JSON API, the demo and `manage.py zone_deactivate` all call
these, with values validated by zones.forms, so every path leaves the same
events (docs/okta-contract.md §3.5, §5.5):

- zone.create / zone.update / zone.delete / zone.activate / zone.deactivate;
- zone.make_blacklist / zone.remove_blacklist when a zone becomes, or stops
  being, a blocklist (created as one, usage changed, deleted as one);
- security.zone.make_blacklist / security.zone.remove_blacklist when
  addresses enter or leave a blocklist zone, listing them in debugData."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from api.middleware import client_ip
from syslog.events import record
from zones.entries import contains, parse_address, parse_many
from zones.kinds import ALL_FIELDS, ZoneValues
from zones.models import NetworkZone, ZoneStatus


def _blocked_values(zone: NetworkZone) -> list[str]:
    """The addresses a zone blocks, by entry value."""
    return [entry["value"] for entry in zone.blocked_entries]


def _record_blocklist_changes(before: list[str], zone: NetworkZone, *, request, actor) -> None:
    after = _blocked_values(zone)
    added = [v for v in after if v not in set(before)]
    removed = [v for v in before if v not in set(after)]
    if added:
        record("security.zone.make_blacklist", request=request, actor=actor, targets=[zone], debug={"addedIps": added})
    if removed:
        record(
            "security.zone.remove_blacklist",
            request=request,
            actor=actor,
            targets=[zone],
            debug={"removedIps": removed},
        )


def _debug(warnings) -> dict | None:
    return {"warnings": list(warnings)} if warnings else None


def zone_create(*, values: ZoneValues, request=None, actor=None) -> NetworkZone:
    """A new zone is always ACTIVE (real Okta ignores `status`)."""
    with transaction.atomic():
        zone = NetworkZone(
            name=values.name, type=values.type, usage=values.usage, status=ZoneStatus.ACTIVE, **values.attributes
        )
        zone.save()
        record("zone.create", request=request, actor=actor, targets=[zone], debug=_debug(values.warnings))
        if zone.is_blocklist:
            record("zone.make_blacklist", request=request, actor=actor, targets=[zone])
        _record_blocklist_changes([], zone, request=request, actor=actor)
    return zone


def zone_update(*, zone: NetworkZone, values: ZoneValues, request=None, actor=None) -> NetworkZone:
    """A full replace (PUT semantics): fields left out of `values` become null, and so do
    other kinds' columns. `status` is applied when given (real Okta applies it on PUT)."""
    with transaction.atomic():
        zone = NetworkZone.objects.select_for_update().get(pk=zone.pk)
        before_blocked, before_usage, before_status = _blocked_values(zone), zone.usage, zone.status
        wanted = {"name": values.name, "usage": values.usage}
        wanted.update({f.attribute: values.attributes.get(f.attribute) for f in ALL_FIELDS})
        changes = {}
        for attribute, new in wanted.items():
            old = getattr(zone, attribute)
            if old != new:
                changes[attribute] = (old, new)
                setattr(zone, attribute, new)
        zone.status = values.status or zone.status
        zone.last_updated = timezone.now()
        zone.save()
        record(
            "zone.update",
            request=request,
            actor=actor,
            targets=[zone.as_log_party().with_changes(**changes)],
            debug=_debug(values.warnings),
        )
        if before_usage != zone.usage:
            event = "zone.make_blacklist" if zone.is_blocklist else "zone.remove_blacklist"
            record(event, request=request, actor=actor, targets=[zone])
        if before_status != zone.status:
            event = "zone.activate" if zone.status == ZoneStatus.ACTIVE else "zone.deactivate"
            target = zone.as_log_party().with_changes(status=(before_status, zone.status))
            record(event, request=request, actor=actor, targets=[target])
        _record_blocklist_changes(before_blocked, zone, request=request, actor=actor)
    return zone


def own_ip_blocked(zone: NetworkZone, ip: str | None) -> str | None:
    """docs/decisions/16: the entry of blocklist `zone` that holds `ip` (the admin's own), if any."""
    if not ip:
        return None
    try:
        own = parse_address(ip)
    except ValueError:
        return None
    for entry in zone.blocked_entries:
        if contains(parse_many([entry]), own):
            return entry["value"]
    return None


def _set_status(*, zone: NetworkZone, status: str, event: str, request, actor) -> NetworkZone:
    with transaction.atomic():
        zone = NetworkZone.objects.select_for_update().get(pk=zone.pk)
        own = client_ip(request) if request is not None else None
        if status == ZoneStatus.ACTIVE:
            entry = own_ip_blocked(zone, own)
            if entry is not None:
                raise ValidationError(
                    f"This blocklist zone's {entry!r} contains your own IP address "
                    f"{own}; activating it would lock you out."
                )
        previous = zone.status
        if previous != status:  # activating an active zone is a no-op, as in Okta
            zone.status = status
            zone.last_updated = timezone.now()
            zone.save(update_fields=["status", "last_updated"])
            record(
                event,
                request=request,
                actor=actor,
                targets=[zone.as_log_party().with_changes(status=(previous, status))],
            )
    return zone


def zone_activate(*, zone: NetworkZone, request=None, actor=None) -> NetworkZone:
    return _set_status(zone=zone, status=ZoneStatus.ACTIVE, event="zone.activate", request=request, actor=actor)


def zone_deactivate(*, zone: NetworkZone, request=None, actor=None) -> NetworkZone:
    return _set_status(zone=zone, status=ZoneStatus.INACTIVE, event="zone.deactivate", request=request, actor=actor)


def delete_refusals(zone: NetworkZone) -> list[str]:
    """Why `zone` may not be deleted (docs/decisions/12); empty when it may."""
    reasons = []
    if zone.system:
        reasons.append("It is a system zone; system zones cannot be deleted.")
    if zone.is_active:
        reasons.append("It is active; deactivate it first.")
    users = zone.tokens_using()
    if users:
        names = ", ".join(str(u) for u in users[:5])
        more = f" and {len(users) - 5} more" if len(users) > 5 else ""
        reasons.append(f"API tokens use it: {names}{more}. Change their network condition first.")
    return reasons


def zone_delete(*, zone: NetworkZone, request=None, actor=None) -> None:
    with transaction.atomic():
        zone = NetworkZone.objects.select_for_update().get(pk=zone.pk)
        reasons = delete_refusals(zone)
        if reasons:
            raise ValidationError(reasons)
        before_blocked, party = _blocked_values(zone), zone.as_log_party()
        was_blocklist = zone.is_blocklist
        zone.delete()
        record("zone.delete", request=request, actor=actor, targets=[party])
        if was_blocklist:
            record("zone.remove_blacklist", request=request, actor=actor, targets=[party])
        if before_blocked:
            record(
                "security.zone.remove_blacklist",
                request=request,
                actor=actor,
                targets=[party],
                debug={"removedIps": before_blocked},
            )
