"""Trusted origin changes, each with its System Log event in the same
transaction. The console, the JSON API and the demo loader all call these.
Events: security.trusted_origin.create / update / delete / activate /
deactivate (the lifecycle ones carry changeDetails on the target)."""

from django.db import transaction
from django.utils import timezone

from origins.models import OriginStatus, TrustedOrigin
from syslog.events import record


def _actor_id(request, actor) -> str:
    user = actor if actor is not None else getattr(request, "user", None)
    return getattr(user, "id", "") or "" if getattr(user, "is_authenticated", False) else ""


def origin_create(*, data: dict, request=None, actor=None) -> TrustedOrigin:
    """`data` is a valid TrustedOriginForm's cleaned_data. `status` defaults to ACTIVE."""
    by = _actor_id(request, actor)
    with transaction.atomic():
        origin = TrustedOrigin.objects.create(
            name=data["name"],
            origin=data["origin"],
            origin_key=data["origin_key"],
            scopes=data["scopes"],
            status=data.get("status") or OriginStatus.ACTIVE,
            created_by=by,
            last_updated_by=by,
        )
        record(
            "security.trusted_origin.create",
            request=request,
            actor=actor,
            targets=[origin],
            debug={"origin": origin.origin, "scopes": origin.scope_types, "status": origin.status},
        )
    return origin


def origin_update(*, origin: TrustedOrigin, data: dict, request=None, actor=None) -> TrustedOrigin:
    """A full replace; `status` follows the data when given (PUT), else stays."""
    with transaction.atomic():
        origin = TrustedOrigin.objects.select_for_update().get(pk=origin.pk)
        before = {"name": origin.name, "origin": origin.origin, "scopes": origin.scopes, "status": origin.status}
        origin.name, origin.origin, origin.origin_key = data["name"], data["origin"], data["origin_key"]
        origin.scopes = data["scopes"]
        origin.status = data.get("status") or origin.status
        after = {"name": origin.name, "origin": origin.origin, "scopes": origin.scopes, "status": origin.status}
        origin.last_updated, origin.last_updated_by = timezone.now(), _actor_id(request, actor)
        origin.save()
        changes = {k: {"from": before[k], "to": after[k]} for k in before if before[k] != after[k]}
        target = origin.as_log_party().with_changes(**{k: (before[k], after[k]) for k in changes})
        record(
            "security.trusted_origin.update", request=request, actor=actor, targets=[target], debug={"changes": changes}
        )
        if before["status"] != origin.status:
            _record_lifecycle(origin, before["status"], request=request, actor=actor)
    return origin


def _record_lifecycle(origin: TrustedOrigin, before: str, *, request, actor) -> None:
    event = "activate" if origin.is_active else "deactivate"
    target = origin.as_log_party().with_changes(status=(before, origin.status))
    record(f"security.trusted_origin.{event}", request=request, actor=actor, targets=[target])


def _set_status(origin: TrustedOrigin, status: str, *, request, actor) -> TrustedOrigin:
    with transaction.atomic():
        origin = TrustedOrigin.objects.select_for_update().get(pk=origin.pk)
        before = origin.status
        origin.status = status
        origin.last_updated, origin.last_updated_by = timezone.now(), _actor_id(request, actor)
        origin.save()
        _record_lifecycle(origin, before, request=request, actor=actor)
    return origin


def origin_activate(*, origin: TrustedOrigin, request=None, actor=None) -> TrustedOrigin:
    return _set_status(origin, OriginStatus.ACTIVE, request=request, actor=actor)


def origin_deactivate(*, origin: TrustedOrigin, request=None, actor=None) -> TrustedOrigin:
    return _set_status(origin, OriginStatus.INACTIVE, request=request, actor=actor)


def origin_delete(*, origin: TrustedOrigin, request=None, actor=None) -> None:
    with transaction.atomic():
        record("security.trusted_origin.delete", request=request, actor=actor, targets=[origin])
        origin.delete()
