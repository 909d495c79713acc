"""Give PostgreSQL's application role exactly what serving needs (docs/decisions/20).

Production runs with two roles: the owner, which owns every table, runs
`migrate` and `purge_system_log`, and runs this command after each `migrate`;
and the application role that gunicorn connects as, which owns nothing. Owning
a table is what allows ALTER TABLE ... DISABLE TRIGGER, so a role that owns
nothing cannot switch the System Log's trigger off; and it gets no UPDATE,
DELETE or TRUNCATE on the System Log tables, nor any write to Django's
migration record. Idempotent: it revokes what it does not grant."""

from django.core.management.base import BaseCommand, CommandError
from django.db import connection

SYSTEM_LOG_TABLES = ("syslog_logevent", "syslog_logeventtarget")
READ_ONLY_TABLES = ("django_migrations",)
COUNT_TABLES = ("syslog_hourlycount",)  # record() adds one with an upsert: INSERT and UPDATE, never DELETE


def grant_statements(role: str, database: str) -> list[str]:
    """The statements, in order, with quoted identifiers (README "Two PostgreSQL roles" lists them)."""
    quote = connection.ops.quote_name
    role, database = quote(role), quote(database)
    return [
        f"GRANT CONNECT ON DATABASE {database} TO {role}",
        f"GRANT USAGE ON SCHEMA public TO {role}",
        f"REVOKE ALL ON ALL TABLES IN SCHEMA public FROM {role}",
        f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {role}",
        f"REVOKE INSERT, UPDATE, DELETE ON {', '.join(SYSTEM_LOG_TABLES + READ_ONLY_TABLES)} FROM {role}",
        f"GRANT INSERT ON {', '.join(SYSTEM_LOG_TABLES)} TO {role}",
        f"REVOKE DELETE ON {', '.join(COUNT_TABLES)} FROM {role}",  # counts only grow (docs/decisions/22)
        f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {role}",
    ]


class Command(BaseCommand):
    help = "Grant the application role (gunicorn's) what serving needs, and no more; run as the owner after migrate."

    def add_arguments(self, parser):
        parser.add_argument("role", help="the application role, e.g. warden_app")

    def handle(self, *args, role: str, **options):
        if connection.vendor != "postgresql":
            raise CommandError("Roles are PostgreSQL's; SQLite (the embedded default) has none.")
        with connection.cursor() as cursor:
            cursor.execute("SELECT rolsuper OR rolcreaterole OR rolcreatedb FROM pg_roles WHERE rolname = %s", [role])
            row = cursor.fetchone()
            if row is None:
                raise CommandError(f"No role {role!r}: create it first (README, 'Two PostgreSQL roles').")
            if row[0]:
                raise CommandError(
                    f"{role!r} may create roles or databases or is a superuser: not an application role."
                )
            cursor.execute(
                "SELECT count(*) FROM pg_class WHERE relowner = (SELECT oid FROM pg_roles WHERE rolname = %s)", [role]
            )
            if cursor.fetchone()[0]:
                raise CommandError(f"{role!r} owns tables or sequences: the owner role is another one.")
            for statement in grant_statements(role, connection.settings_dict["NAME"]):
                cursor.execute(statement)
        self.stdout.write(f"Granted {role} what serving needs on {connection.settings_dict['NAME']}.")
