"""Exception requests and decisions, each with its System Log event in the same transaction."""

from datetime import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from accounts.permissions import Perm, has_perm
from ratelimits import policy
from ratelimits.models import ExceptionStatus, RateLimitException
from syslog.events import record


def exception_request(
    *,
    org_name: str,
    group: str,
    requested_limit: int,
    starts_at: datetime,
    ends_at: datetime,
    justification: str,
    actor,
    request=None,
) -> RateLimitException:
    """Record a request for more than a group's limit (values validated by ExceptionRequestForm)."""
    if not has_perm(actor, Perm.RATELIMIT_REQUEST):
        raise PermissionDenied(Perm.RATELIMIT_REQUEST.name)
    with transaction.atomic():
        exc = RateLimitException.objects.create(
            org_name=org_name,
            group=group,
            requested_limit=requested_limit,
            starts_at=starts_at,
            ends_at=ends_at,
            justification=justification,
            requested_by=actor,
        )
        record(
            "system.rate_limit.exception.request",
            request=request,
            actor=actor,
            targets=[exc],
            debug={
                "group": exc.group,
                "requestedLimit": exc.requested_limit,
                "start": exc.starts_at.isoformat(),
                "end": exc.ends_at.isoformat(),
            },
        )
    return exc


def exception_decide(*, exc_id: str, approve: bool, actor, request=None) -> RateLimitException:
    """Approve or decline a pending request; super admins only, never their own."""
    if not has_perm(actor, Perm.RATELIMIT_APPROVE):
        raise PermissionDenied(Perm.RATELIMIT_APPROVE.name)
    with transaction.atomic():
        exc = RateLimitException.objects.select_for_update().get(pk=exc_id)
        if exc.requested_by_id == actor.pk:
            raise PermissionDenied("A request cannot be decided by its requester.")
        if exc.status != ExceptionStatus.PENDING:
            raise ValidationError("This request was already decided.")
        exc.status = ExceptionStatus.APPROVED if approve else ExceptionStatus.DECLINED
        exc.decided_by, exc.decided_at = actor, timezone.now()
        exc.save(update_fields=["status", "decided_by", "decided_at"])
        policy.approved_limits.reset()
        record(
            "system.rate_limit.exception." + ("approve" if approve else "decline"),
            request=request,
            actor=actor,
            targets=[exc],
            debug={"group": exc.group, "requestedLimit": exc.requested_limit},
        )
    return exc
