"""The append-only trigger decides for itself what may go (docs/decisions/20).

0002's trigger let any transaction that set `warden.syslog_purge = 'on'` delete
events of any age, and any connection that set `warden.syslog_allow_truncate`
empty the tables. Both are settings every role may SET. Now:

- a purge DELETE passes only for events published more than 90 days ago (the
  database's clock; a target row goes with the age of its event);
- TRUNCATE passes only for the tables' owner (or a superuser: roles that could
  drop the trigger anyway, so the switch grants them nothing) and only in a
  database named like Django's test databases (`test_…`); production's
  application role owns nothing and is never granted TRUNCATE or DELETE here."""

from importlib import import_module

from django.db import migrations

RETENTION_DAYS = 90  # syslog/management/commands/purge_system_log.RETENTION; a change needs a new migration

FUNCTION = f"""
CREATE OR REPLACE FUNCTION syslog_append_only() RETURNS trigger AS $$
DECLARE
    event_published timestamptz;
BEGIN
    IF TG_OP = 'DELETE' AND current_setting('warden.syslog_purge', true) = 'on' THEN
        IF TG_TABLE_NAME = 'syslog_logevent' THEN
            event_published := OLD.published;
        ELSE
            SELECT e.published INTO event_published FROM syslog_logevent e WHERE e.id = OLD.event_id;
        END IF;
        IF event_published < now() - interval '{RETENTION_DAYS} days' THEN
            RETURN OLD;
        END IF;
        RAISE EXCEPTION 'System Log events are append-only: DELETE refused on % for an event younger than '
            '{RETENTION_DAYS} days', TG_TABLE_NAME;
    END IF;
    IF TG_OP = 'TRUNCATE' AND current_setting('warden.syslog_allow_truncate', true) = 'on'
        AND current_database() LIKE 'test\\_%'
        AND pg_has_role(current_user, (SELECT relowner FROM pg_class WHERE oid = TG_RELID), 'MEMBER') THEN
        RETURN NULL;
    END IF;
    RAISE EXCEPTION 'System Log events are append-only: % refused on %', TG_OP, TG_TABLE_NAME;
END
$$ LANGUAGE plpgsql;
"""



def install(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FUNCTION, params=None)  # no placeholders: keep the % of RAISE as it is


def restore(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        previous = import_module("syslog.migrations.0002_append_only_trigger")  # its body, as it was
        schema_editor.execute(previous.FUNCTION, params=None)


class Migration(migrations.Migration):
    dependencies = [("syslog", "0003_polling_index")]
    operations = [migrations.RunPython(install, restore)]
