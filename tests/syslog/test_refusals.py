"""docs/decisions/10: refusals are recorded once per (kind, key) per minute with a count of the rest."""

from datetime import timedelta

import pytest
import time_machine
from django.core.cache import cache
from django.utils import timezone

from syslog.events import SUPPRESSED_COUNT_SECONDS, record_refusal
from syslog.models import LogEvent

pytestmark = pytest.mark.django_db


def test_the_count_of_unrecorded_refusals_expires_when_no_refusal_follows():
    """Issue 16.8: `syslog:refusal-suppressed:*` keys were kept forever, one per refused address."""
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        for _ in range(3):
            record_refusal("test", "203.0.113.9", "security.request.blocked", reason="test")
        assert LogEvent.objects.count() == 1
        key = "syslog:refusal-suppressed:test:203.0.113.9"
        assert cache.get(key) == 2
        if hasattr(cache, "ttl"):  # Redis keeps its own clock: ask it for the key's expiry
            assert 0 < cache.ttl(key) <= SUPPRESSED_COUNT_SECONDS
        else:
            traveller.shift(timedelta(seconds=SUPPRESSED_COUNT_SECONDS + 1))
            assert cache.get(key) is None


def test_the_count_reaches_the_next_recorded_event():
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        for _ in range(3):
            record_refusal("test", "203.0.113.9", "security.request.blocked", reason="test")
        traveller.shift(timedelta(seconds=61))
        event = record_refusal("test", "203.0.113.9", "security.request.blocked", reason="test")
    assert event.data["debugContext"]["debugData"]["suppressedRefusals"] == 2
