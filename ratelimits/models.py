"""Rate-limit exceptions: the seeds' request form, approved or declined by a
super admin who did not request it; an approved one raises its group's limit
only between its start and end."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from api.ids import new_id
from ratelimits.groups import Group
from syslog.events import Party


class ExceptionStatus(models.TextChoices):
    PENDING = "PENDING", "Pending"
    APPROVED = "APPROVED", "Approved"
    DECLINED = "DECLINED", "Declined"


def new_exception_id() -> str:
    return new_id("rle")


class RateLimitExceptionQuerySet(models.QuerySet):
    def active(self, now):
        return self.filter(status=ExceptionStatus.APPROVED, starts_at__lte=now, ends_at__gt=now)


class RateLimitException(models.Model):
    id = models.CharField(primary_key=True, max_length=20, default=new_exception_id, editable=False)
    org_name = models.CharField(max_length=100)
    group = models.CharField(max_length=20, choices=Group.choices)
    requested_limit = models.PositiveIntegerField(help_text="Requests per minute during the window")
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    justification = models.TextField(max_length=2000)
    status = models.CharField(max_length=10, choices=ExceptionStatus.choices, default=ExceptionStatus.PENDING)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(auto_now_add=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    decided_at = models.DateTimeField(null=True)

    objects = RateLimitExceptionQuerySet.as_manager()

    class Meta:
        ordering = ["-requested_at"]
        constraints = [
            models.CheckConstraint(condition=Q(ends_at__gt=models.F("starts_at")), name="rle_end_after_start"),
        ]

    def __str__(self) -> str:
        return f"{self.get_group_display()} {self.requested_limit}/min"

    def as_log_party(self) -> Party:
        # "unknown", as Okta's targets without an alternate identity have it (never null).
        return Party(id=self.id, type="RateLimitException", alternate_id="unknown", display_name=str(self))
