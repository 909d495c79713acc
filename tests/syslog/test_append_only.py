"""docs/decisions/11: the System Log cannot be altered, through the app or by SQL."""

import io
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from syslog.events import SYSTEM_ACTOR, record
from syslog.models import LogEvent

pytestmark = pytest.mark.django_db


def test_the_orm_refuses_updates_and_deletes():
    event = record("zone.create", actor=SYSTEM_ACTOR)
    with pytest.raises(TypeError):
        event.save()
    with pytest.raises(TypeError):
        event.delete()
    with pytest.raises(TypeError):
        LogEvent.objects.filter(pk=event.pk).update(event_type="x")
    with pytest.raises(TypeError):
        LogEvent.objects.all().delete()


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE syslog_logevent SET event_type = 'forged'",
        "DELETE FROM syslog_logevent",
        "TRUNCATE syslog_logevent",
        "UPDATE syslog_logeventtarget SET target_id = 'forged'",
        "DELETE FROM syslog_logeventtarget",
    ],
)
def test_postgresql_refuses_raw_sql_changes(statement):
    if connection.vendor != "postgresql":
        pytest.skip("TRIGGER TEST NOT RUN: the append-only trigger exists on PostgreSQL only (CI runs it)")
    event = record("zone.create", actor=SYSTEM_ACTOR, targets=[SYSTEM_ACTOR])
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL warden.syslog_allow_truncate = 'off'")  # as any connection but a test's
        cursor.execute(statement)
    assert LogEvent.objects.get(pk=event.pk).event_type == "zone.create"


def test_purge_deletes_only_events_past_retention_and_records_itself():
    old = record(
        "zone.create", actor=SYSTEM_ACTOR, targets=[SYSTEM_ACTOR], published=timezone.now() - timedelta(days=91)
    )
    recent = record("zone.update", actor=SYSTEM_ACTOR, published=timezone.now() - timedelta(days=89))
    out = io.StringIO()
    call_command("purge_system_log", stdout=out)
    assert "Deleted 1" in out.getvalue()
    assert not LogEvent.objects.filter(pk=old.pk).exists()
    assert LogEvent.objects.filter(pk=recent.pk).exists()
    purge = LogEvent.objects.get(event_type="system.log.purge")
    assert purge.data["debugContext"]["debugData"]["deletedEvents"] == 1
    assert purge.data["actor"]["type"] == "SystemPrincipal" and purge.data["transaction"]["type"] == "JOB"
