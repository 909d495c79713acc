from datetime import timedelta

from django import forms
from django.conf import settings
from django.utils import timezone

from ratelimits.models import RateLimitException

NOTICE_BUSINESS_DAYS = 10
MAX_AHEAD = timedelta(days=366)  # an exception is planned for a known event, not for year 9999


def business_days_between(start, end) -> int:
    """Whole Mon-Fri days (UTC) strictly after `start`'s day up to and including `end`'s day.
    Counted, not walked: five per whole week, then the remaining days one by one (at most six)."""
    days = (end.date() - start.date()).days
    if days <= 0:
        return 0
    weeks, rest = divmod(days, 7)
    first = start.weekday()
    return weeks * 5 + sum((first + n) % 7 < 5 for n in range(1, rest + 1))


class ExceptionRequestForm(forms.ModelForm):
    class Meta:
        model = RateLimitException
        fields = ["org_name", "group", "requested_limit", "starts_at", "ends_at", "justification"]
        labels = {
            "group": "Endpoints",
            "requested_limit": "Rate (requests per minute)",
            "starts_at": "Start (UTC)",
            "ends_at": "End (UTC)",
            "justification": "Business justification",
        }
        widgets = {
            "starts_at": forms.DateTimeInput(attrs={"type": "datetime-local"}),
            "ends_at": forms.DateTimeInput(attrs={"type": "datetime-local"}),
            "justification": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, now=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.now = now or timezone.now()

    def clean(self):
        data = super().clean()
        start, end, group, rate = (data.get(k) for k in ("starts_at", "ends_at", "group", "requested_limit"))
        if start and end and end <= start:
            self.add_error("ends_at", "The end must be after the start.")
        for name, when in (("starts_at", start), ("ends_at", end)):
            if when and when > self.now + MAX_AHEAD:
                self.add_error(name, "Choose a date within a year from today.")
        if start and business_days_between(self.now, start) < NOTICE_BUSINESS_DAYS:
            self.add_error(
                "starts_at",
                f"Requests must arrive {NOTICE_BUSINESS_DAYS} business days (Mon-Fri, UTC) before the start.",
            )
        if group and rate is not None and rate <= settings.RATE_LIMITS[group]:
            self.add_error(
                "requested_limit", f"Ask for more than the current {settings.RATE_LIMITS[group]} per minute."
            )
        return data
