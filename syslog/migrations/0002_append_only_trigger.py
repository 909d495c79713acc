"""On PostgreSQL, refuse UPDATE, DELETE and TRUNCATE of System Log rows
(docs/decisions/11). The one bypass: a transaction that sets
`warden.syslog_purge = 'on'` may DELETE; only `manage.py purge_system_log`
does that, and it records that it did. (The test suite's own connections may
TRUNCATE, to empty tables between tests.)"""

from django.db import migrations

TABLES = ["syslog_logevent", "syslog_logeventtarget"]

FUNCTION = """
CREATE OR REPLACE FUNCTION syslog_append_only() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'DELETE' AND current_setting('warden.syslog_purge', true) = 'on' THEN
        RETURN OLD;
    END IF;
    -- Test suites empty every table between transactional tests (Django's flush uses TRUNCATE);
    -- tests/conftest.py sets this on its own connections. Nothing in the application sets it.
    IF TG_OP = 'TRUNCATE' AND current_setting('warden.syslog_allow_truncate', true) = 'on' THEN
        RETURN NULL;
    END IF;
    RAISE EXCEPTION 'System Log events are append-only: % refused on %', TG_OP, TG_TABLE_NAME;
END
$$ LANGUAGE plpgsql;
"""


def install(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return  # SQLite (the embedded default) has no triggers of this kind; the ORM refuses instead
    schema_editor.execute(FUNCTION, params=None)  # no placeholders: keep the % of RAISE as it is
    for table in TABLES:
        schema_editor.execute(
            f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
            "FOR EACH ROW EXECUTE FUNCTION syslog_append_only()"
        )
        schema_editor.execute(
            f"CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table} "
            "FOR EACH STATEMENT EXECUTE FUNCTION syslog_append_only()"
        )


def remove(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table in TABLES:
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_append_only ON {table}")
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_no_truncate ON {table}")
    schema_editor.execute("DROP FUNCTION IF EXISTS syslog_append_only()")


class Migration(migrations.Migration):
    dependencies = [("syslog", "0001_initial")]
    operations = [migrations.RunPython(install, remove)]
