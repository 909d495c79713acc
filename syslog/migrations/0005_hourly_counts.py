"""Hourly counts per event type (syslog.models.HourlyCount), filled from the events already stored.

On PostgreSQL a trigger keeps the counts as trustworthy as the events (docs/decisions/11, 20, 21): a row
may only grow by one (what record() does); DELETE only in a transaction that sets `warden.syslog_purge`
(the purge command) and only for an hour that ended more than 90 days ago by the database's clock;
TRUNCATE only for the table's owner in a test database (Django's flush), as for the events (0004). It is
a function of its own, so the events' append-only trigger can change without touching it. The application
role gets SELECT, INSERT and UPDATE here and no DELETE (syslog/management/commands/grant_application_role.py)."""

from django.db import migrations, models
from django.db.models import Count
from django.db.models.functions import TruncHour

RETENTION_DAYS = 90  # syslog/management/commands/purge_system_log.RETENTION; a change needs a new migration
FUNCTION = f"""
CREATE OR REPLACE FUNCTION syslog_hourly_count_grows() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'UPDATE' AND NEW.id = OLD.id AND NEW.hour = OLD.hour AND NEW.event_type = OLD.event_type
       AND NEW.events = OLD.events + 1 THEN
        RETURN NEW;
    END IF;
    IF TG_OP = 'DELETE' AND current_setting('warden.syslog_purge', true) = 'on'
       AND OLD.hour + interval '1 hour' <= now() - interval '{RETENTION_DAYS} days' THEN
        RETURN OLD;
    END IF;
    IF TG_OP = 'TRUNCATE' AND current_setting('warden.syslog_allow_truncate', true) = 'on'
        AND current_database() LIKE 'test\\_%'
        AND pg_has_role(current_user, (SELECT relowner FROM pg_class WHERE oid = TG_RELID), 'MEMBER') THEN
        RETURN NULL;
    END IF;
    RAISE EXCEPTION 'System Log counts only grow: % refused on %', TG_OP, TG_TABLE_NAME;
END
$$ LANGUAGE plpgsql;
"""
TABLE = "syslog_hourlycount"


def backfill(apps, schema_editor):
    LogEvent = apps.get_model("syslog", "LogEvent")
    HourlyCount = apps.get_model("syslog", "HourlyCount")
    hours = (
        LogEvent.objects.annotate(hour=TruncHour("published"))
        .values("hour", "event_type")
        .annotate(events=Count("id"))
        .order_by()
    )
    HourlyCount.objects.bulk_create((HourlyCount(**row) for row in hours.iterator()), batch_size=1000)


def install_trigger(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return  # SQLite: the ORM refuses updates and deletes instead (LogEventQuerySet)
    schema_editor.execute(FUNCTION, params=None)  # no placeholders: keep the % of RAISE as it is
    schema_editor.execute(
        f"CREATE TRIGGER {TABLE}_grows BEFORE UPDATE OR DELETE ON {TABLE} "
        "FOR EACH ROW EXECUTE FUNCTION syslog_hourly_count_grows()"
    )
    schema_editor.execute(
        f"CREATE TRIGGER {TABLE}_no_truncate BEFORE TRUNCATE ON {TABLE} "
        "FOR EACH STATEMENT EXECUTE FUNCTION syslog_hourly_count_grows()"
    )


def remove_trigger(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"DROP TRIGGER IF EXISTS {TABLE}_grows ON {TABLE}")
    schema_editor.execute(f"DROP TRIGGER IF EXISTS {TABLE}_no_truncate ON {TABLE}")
    schema_editor.execute("DROP FUNCTION IF EXISTS syslog_hourly_count_grows()")


class Migration(migrations.Migration):
    dependencies = [("syslog", "0004_trigger_checks_age")]

    operations = [
        migrations.CreateModel(
            name="HourlyCount",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("hour", models.DateTimeField()),
                ("event_type", models.CharField(max_length=255)),
                ("events", models.PositiveBigIntegerField()),
            ],
            options={
                "indexes": [models.Index(fields=["event_type", "hour"], name="hourlycount_type_hour")],
                "constraints": [models.UniqueConstraint(fields=("hour", "event_type"), name="hourlycount_hour_type")],
            },
        ),
        migrations.RunPython(backfill, migrations.RunPython.noop),
        migrations.RunPython(install_trigger, remove_trigger),
    ]
