"""Hourly counts per event type (syslog.models.HourlyCount), filled from the events already stored.

On PostgreSQL a trigger keeps the counts as trustworthy as the events (docs/decisions/11): a row may
only grow by one (what record() does), DELETE only in a transaction that sets `warden.syslog_purge`
(the purge command), TRUNCATE only on the test suite's connections. It is a function of its own, so
the events' append-only trigger (migration 0002) can change without touching it."""

from django.db import migrations, models
from django.db.models import Count
from django.db.models.functions import TruncHour

FUNCTION = """
CREATE OR REPLACE FUNCTION syslog_hourly_count_grows() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'UPDATE' AND NEW.id = OLD.id AND NEW.hour = OLD.hour AND NEW.event_type = OLD.event_type
       AND NEW.events = OLD.events + 1 THEN
        RETURN NEW;
    END IF;
    IF TG_OP = 'DELETE' AND current_setting('warden.syslog_purge', true) = 'on' THEN
        RETURN OLD;
    END IF;
    IF TG_OP = 'TRUNCATE' AND current_setting('warden.syslog_allow_truncate', true) = 'on' THEN
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
    dependencies = [("syslog", "0003_polling_index")]

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
