"""People and role changes. Each one leaves its System Log event in the same
transaction. Deactivation also deprovisions the user's tokens: accounts sends
`signals.user_deactivated` inside its transaction and tokens, a higher layer,
does the revoking (docs/decisions/18-enforced-layers.md)."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from accounts.models import RoleAssignment, User
from accounts.roles import RoleType, UserStatus
from accounts.signals import user_deactivated
from syslog.events import Party, record


def _target(user: User, **changes: tuple) -> Party:
    """The user as a target, with its changes as (old, new) pairs."""
    return user.as_log_party().with_changes(**changes)


def user_create(
    *,
    login: str,
    first_name: str,
    last_name: str,
    password: str | None = None,
    is_service_account: bool = False,
    request: HttpRequest | None = None,
    actor: User | None = None,
) -> User:
    with transaction.atomic():
        user = User(login=login, first_name=first_name, last_name=last_name, is_service_account=is_service_account)
        user.set_password(password)
        user.full_clean()
        user.save()
        record("user.lifecycle.create", request=request, actor=actor, targets=[_target(user)])
    return user


def _ensure_not_last_super_admin(user: User) -> None:
    """docs/decisions/16: the last active super admin can be neither deactivated nor demoted."""
    if RoleType.SUPER_ADMIN not in user.role_types:
        return
    # Lock every active super admin's assignment, this user's included, always in the same order: two
    # admins demoting each other then run one after the other (the second finds it would remove the
    # last one) instead of each locking the other's row and deadlocking.
    holders = list(
        RoleAssignment.objects.select_for_update(of=("self",))
        .filter(role_type=RoleType.SUPER_ADMIN, user__status=UserStatus.ACTIVE)
        .order_by("pk")
        .values_list("user_id", flat=True)
    )
    if not [holder for holder in holders if holder != user.pk]:
        raise ValidationError("This is the last active super admin; appoint another one first.")


def user_set_status(*, user: User, status: str, event_type: str, request=None, actor=None) -> User:
    """Change a user's status with its event; the caller holds the transaction."""
    previous = user.status
    if status == UserStatus.DEPROVISIONED:
        _ensure_not_last_super_admin(user)
    user.status = status
    user.status_changed = timezone.now()
    if status == UserStatus.ACTIVE:
        user.activated = user.status_changed
    user.save(update_fields=["status", "status_changed", "activated", "last_updated"])
    record(event_type, request=request, actor=actor, targets=[_target(user, status=(previous, status))])
    return user


def user_deactivate(*, user: User, request=None, actor=None) -> User:
    """Deactivate a user and, in the same transaction, deprovision every token they created
    (docs/decisions/02; the receivers of `user_deactivated` do that part)."""
    if user.status == UserStatus.DEPROVISIONED:
        raise ValidationError("This user is already deactivated.")
    with transaction.atomic():
        user_set_status(
            user=user,
            status=UserStatus.DEPROVISIONED,
            event_type="user.lifecycle.deactivate",
            request=request,
            actor=actor,
        )
        user_deactivated.send(sender=User, user=user, request=request, actor=actor)
    return user


def user_reactivate(*, user: User, request=None, actor=None) -> User:
    """Reactivation does not revive deprovisioned tokens (docs/decisions/02)."""
    if user.status == UserStatus.ACTIVE:
        raise ValidationError("This user is already active.")
    with transaction.atomic():
        return user_set_status(
            user=user,
            status=UserStatus.ACTIVE,
            event_type="user.lifecycle.reactivate",
            request=request,
            actor=actor,
        )


def role_grant(*, user: User, role_type: str, request=None, actor=None) -> RoleAssignment:
    if user.status != UserStatus.ACTIVE:
        raise ValidationError("Roles can be granted to active users only.")
    with transaction.atomic():
        assignment, created = RoleAssignment.objects.get_or_create(user=user, role_type=role_type)
        if not created:
            raise ValidationError(f"{user} already has the role {RoleType(role_type).label}.")
        user.forget_roles()
        record(
            "user.account.privilege.grant",
            request=request,
            actor=actor,
            targets=[_target(user, role=(None, role_type))],
            debug={"privilegeGranted": RoleType(role_type).label},
        )
    return assignment


def role_remove(*, user: User, role_type: str, request=None, actor=None) -> None:
    with transaction.atomic():
        if role_type == RoleType.SUPER_ADMIN:
            _ensure_not_last_super_admin(user)
        deleted, _ = RoleAssignment.objects.filter(user=user, role_type=role_type).delete()
        if not deleted:
            raise ValidationError(f"{user} does not have the role {RoleType(role_type).label}.")
        user.forget_roles()
        record(
            "user.account.privilege.revoke",
            request=request,
            actor=actor,
            targets=[_target(user, role=(role_type, None))],
            debug={"privilegeRevoked": RoleType(role_type).label},
        )
