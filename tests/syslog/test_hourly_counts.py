"""syslog.models.HourlyCount: one more per event, in the event's transaction; counts only grow
(ORM and, on PostgreSQL, a trigger); the purge removes the hours past retention with their events."""

import io
from datetime import UTC, datetime, timedelta

import pytest
from django.core.management import call_command
from django.db import DatabaseError, connection, transaction
from django.db.models import Count, Sum
from django.db.models.functions import TruncHour
from django.utils import timezone

from syslog.counts import INCREMENT, ByType, bounds, histogram, hour_of
from syslog.events import SYSTEM_ACTOR, record
from syslog.models import HourlyCount, LogEvent
from tests.syslog.test_append_only import as_application_role  # noqa: F401 - a fixture

pytestmark = pytest.mark.django_db
HOUR = timedelta(hours=1)


def as_table() -> dict:
    return {(row["hour"], row["event_type"]): row["events"] for row in HourlyCount.objects.values()}


def test_each_recorded_event_adds_one_to_its_hour_and_type():
    base = hour_of(timezone.now()) - 3 * HOUR
    for minutes, kind in [(1, "zone.create"), (59, "zone.create"), (61, "zone.create"), (2, "zone.update")]:
        record(kind, actor=SYSTEM_ACTOR, published=base + timedelta(minutes=minutes))
    assert as_table() == {(base, "zone.create"): 2, (base + HOUR, "zone.create"): 1, (base, "zone.update"): 1}
    events = LogEvent.objects.annotate(hour=TruncHour("published")).values("hour", "event_type").annotate(n=Count("id"))
    assert {(e["hour"], e["event_type"]): e["n"] for e in events} == as_table()


def test_the_count_rolls_back_with_the_event():
    with pytest.raises(RuntimeError), transaction.atomic():
        record("zone.create", actor=SYSTEM_ACTOR)
        raise RuntimeError("the change failed")
    assert not HourlyCount.objects.exists() and not LogEvent.objects.exists()


def test_the_orm_refuses_to_change_counts():
    record("zone.create", actor=SYSTEM_ACTOR)
    with pytest.raises(TypeError):
        HourlyCount.objects.update(events=0)
    with pytest.raises(TypeError):
        HourlyCount.objects.all().delete()


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE syslog_hourlycount SET events = 0",
        "UPDATE syslog_hourlycount SET events = events + 2",
        "UPDATE syslog_hourlycount SET event_type = 'forged', events = events + 1",
        "DELETE FROM syslog_hourlycount",
        "TRUNCATE syslog_hourlycount",
    ],
)
def test_postgresql_lets_counts_only_grow_by_one(statement):
    if connection.vendor != "postgresql":
        pytest.skip("TRIGGER TEST NOT RUN: the counts' trigger exists on PostgreSQL only (CI runs it)")
    record("zone.create", actor=SYSTEM_ACTOR)
    with pytest.raises(DatabaseError, match="only grow"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL warden.syslog_allow_truncate = 'off'")
        cursor.execute(statement)
    record("zone.create", actor=SYSTEM_ACTOR)  # the increment itself is allowed
    assert HourlyCount.objects.get().events == 2


def test_the_purge_switch_cannot_delete_a_recent_hour():
    if connection.vendor != "postgresql":
        pytest.skip("TRIGGER TEST NOT RUN: the counts' trigger exists on PostgreSQL only (CI runs it)")
    record("zone.create", actor=SYSTEM_ACTOR, published=timezone.now() - timedelta(days=89))
    with pytest.raises(DatabaseError, match="only grow"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL warden.syslog_purge = 'on'")
        cursor.execute("DELETE FROM syslog_hourlycount")
    assert HourlyCount.objects.get().events == 1


@pytest.mark.django_db(transaction=True)  # the application role's connection must see committed rows
@pytest.mark.parametrize(
    "statement",
    ["DELETE FROM syslog_hourlycount", "UPDATE syslog_hourlycount SET events = 0", "TRUNCATE syslog_hourlycount"],
)
def test_the_application_role_may_add_to_counts_and_nothing_else(as_application_role, statement):  # noqa: F811
    import psycopg

    record("zone.create", actor=SYSTEM_ACTOR, published=timezone.now() - timedelta(days=91))
    hour = hour_of(timezone.now() - timedelta(days=91))
    as_application_role.execute(INCREMENT, [hour, "zone.create"])  # what record() does, as gunicorn's role
    with pytest.raises((psycopg.errors.InsufficientPrivilege, psycopg.errors.RaiseException)):
        as_application_role.execute("SET warden.syslog_purge = 'on'")
        as_application_role.execute(statement)
    assert HourlyCount.objects.get().events == 2


def test_purge_removes_the_hours_past_retention():
    now = timezone.now()
    record("zone.create", actor=SYSTEM_ACTOR, published=now - timedelta(days=91))
    record("zone.update", actor=SYSTEM_ACTOR, published=now - timedelta(days=89))
    call_command("purge_system_log", stdout=io.StringIO())
    assert sorted(HourlyCount.objects.values_list("event_type", flat=True)) == ["system.log.purge", "zone.update"]


def test_buckets_are_laid_on_the_width_and_cut_at_the_range():
    since, until = datetime(2026, 1, 1, 10, 30, tzinfo=UTC), datetime(2026, 1, 1, 13, 15, tzinfo=UTC)
    assert [(s.hour, s.minute, e.hour, e.minute) for s, e in bounds(since, until, HOUR, timedelta(0))] == [
        (10, 30, 11, 0),
        (11, 0, 12, 0),
        (12, 0, 13, 0),
        (13, 0, 13, 15),
    ]


@pytest.mark.parametrize("by_type", [ByType(), ByType(("zone.create",))])
def test_the_hourly_counts_answer_as_the_events_would(by_type):
    now = timezone.now()
    for minutes in range(0, 60 * 50, 37):
        record(
            "zone.create" if minutes % 2 else "zone.update",
            actor=SYSTEM_ACTOR,
            published=now - timedelta(minutes=minutes),
        )
    events = LogEvent.objects.all()
    if by_type.event_types:
        events = events.filter(event_type__in=by_type.event_types)
    since = now - timedelta(hours=47, minutes=13)
    for width in (HOUR, 6 * HOUR):
        counted = histogram(events, since=since, until=now, width=width, by_type=by_type)
        direct = histogram(events, since=since, until=now, width=width)
        assert counted == direct
        assert sum(b.events for b in counted) == events.filter(published__gte=since, published__lt=now).count()
    assert HourlyCount.objects.aggregate(n=Sum("events"))["n"] == LogEvent.objects.count()
