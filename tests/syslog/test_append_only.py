"""docs/decisions/11: the System Log cannot be altered, through the app or by SQL."""

import io
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from syslog.events import SYSTEM_ACTOR, record
from syslog.models import LogEvent, LogEventTarget

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


def _postgresql_only():
    if connection.vendor != "postgresql":
        pytest.skip("ROLE TEST NOT RUN: PostgreSQL roles and triggers exist on PostgreSQL only (CI runs it)")


def test_the_purge_switch_cannot_delete_an_event_younger_than_retention():
    _postgresql_only()
    young = record("zone.create", actor=SYSTEM_ACTOR, targets=[SYSTEM_ACTOR], published=timezone.now())
    for statement in ("DELETE FROM syslog_logeventtarget", "DELETE FROM syslog_logevent"):
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SET LOCAL warden.syslog_purge = 'on'")
            cursor.execute(statement)
    assert LogEvent.objects.filter(pk=young.pk).exists()
    assert LogEventTarget.objects.filter(event_id=young.pk).exists()


@pytest.fixture
def as_application_role():
    """A connection to the test database as the application role gunicorn uses in production
    (docs/decisions/20), with exactly the grants `grant_application_role` gives."""
    _postgresql_only()
    import psycopg

    from bench.server import application_role_url

    db = connection.settings_dict
    owner_url = f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
    with psycopg.connect(application_role_url(owner_url), autocommit=True) as conn:
        yield conn


@pytest.mark.django_db(transaction=True)  # the application role's connection must see committed rows
@pytest.mark.parametrize(
    "statements",
    [
        ["ALTER TABLE syslog_logevent DISABLE TRIGGER ALL"],
        ["DROP TRIGGER syslog_logevent_append_only ON syslog_logevent"],
        ["CREATE OR REPLACE FUNCTION syslog_append_only() RETURNS trigger AS 'BEGIN RETURN OLD; END' LANGUAGE plpgsql"],
        ["SET warden.syslog_purge = 'on'", "DELETE FROM syslog_logevent"],
        ["SET warden.syslog_purge = 'on'", "DELETE FROM syslog_logeventtarget"],
        ["SET warden.syslog_allow_truncate = 'on'", "TRUNCATE syslog_logevent CASCADE"],
        ["UPDATE syslog_logevent SET event_type = 'forged'"],
        ["ALTER TABLE syslog_logevent RENAME TO forged"],
    ],
)
def test_the_application_role_cannot_alter_the_system_log(as_application_role, statements):
    import psycopg

    event = record(
        "zone.create", actor=SYSTEM_ACTOR, targets=[SYSTEM_ACTOR], published=timezone.now() - timedelta(days=91)
    )
    with pytest.raises(psycopg.errors.InsufficientPrivilege):
        for statement in statements:
            as_application_role.execute(statement)
    assert LogEvent.objects.get(pk=event.pk).event_type == "zone.create"


@pytest.mark.django_db(transaction=True)
def test_the_application_role_may_read_and_append(as_application_role):
    record("zone.create", actor=SYSTEM_ACTOR)
    assert as_application_role.execute("SELECT count(*) FROM syslog_logevent").fetchone()[0] == 1


@pytest.mark.django_db(transaction=True)
def test_the_truncate_switch_is_refused_to_a_role_that_does_not_own_the_tables(as_application_role):
    """Even were TRUNCATE granted by mistake, the test suite's switch works only for the owner."""
    import psycopg

    record("zone.create", actor=SYSTEM_ACTOR)
    app_role = as_application_role.execute("SELECT current_user").fetchone()[0]
    with connection.cursor() as cursor:
        cursor.execute(f'GRANT TRUNCATE ON syslog_logevent TO "{app_role}"')
    try:
        as_application_role.execute("SET warden.syslog_allow_truncate = 'on'")
        with pytest.raises(psycopg.errors.RaiseException, match="append-only"):
            as_application_role.execute("TRUNCATE syslog_logevent")
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f'REVOKE TRUNCATE ON syslog_logevent FROM "{app_role}"')
    assert LogEvent.objects.count() == 1
