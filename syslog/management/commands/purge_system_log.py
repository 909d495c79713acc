"""Delete System Log events past retention (90 days): the one deliberate
bypass of the append-only rule (docs/decisions/11, 20). It records that it ran.

On PostgreSQL it runs as the owner role (the application role has no DELETE on
these tables), and the trigger checks each row's age itself, so the switch this
command sets cannot delete a younger event. The cutoff is read from the
database's clock, the one the trigger uses, so the two never disagree."""

from datetime import timedelta

from django.core.management.base import BaseCommand
from django.db import connection, transaction
from django.utils import timezone

from syslog.counts import hour_of
from syslog.events import record
from syslog.models import HourlyCount, LogEvent, LogEventTarget

RETENTION = timedelta(days=90)  # the trigger's too: syslog/migrations/0004_trigger_checks_age.py


def database_now():
    if connection.vendor != "postgresql":
        return timezone.now()
    with connection.cursor() as cursor:
        cursor.execute("SELECT now()")  # the transaction's start, as the trigger sees it
        return cursor.fetchone()[0]


class Command(BaseCommand):
    help = "Delete System Log events older than 90 days, and record a system.log.purge event."

    def handle(self, *args, **options):
        with transaction.atomic():
            cutoff = database_now() - RETENTION
            if connection.vendor == "postgresql":
                with connection.cursor() as cursor:
                    cursor.execute("SET LOCAL warden.syslog_purge = 'on'")  # the trigger still checks each age
            old = LogEvent.objects.filter(published__lt=cutoff)
            # QuerySet.delete() is disabled on these models; _raw_delete is the purge's own path.
            LogEventTarget.objects.filter(event_id__in=old.values("id"))._raw_delete(LogEventTarget.objects.db)
            deleted = old._raw_delete(LogEvent.objects.db)
            HourlyCount.objects.filter(hour__lt=hour_of(cutoff))._raw_delete(HourlyCount.objects.db)  # whole hours
            record("system.log.purge", debug={"deletedEvents": deleted, "olderThan": cutoff.isoformat()})
        self.stdout.write(f"Deleted {deleted} System Log event(s) published before {cutoff:%Y-%m-%d %H:%M} UTC.")
