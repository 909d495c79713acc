"""Delete System Log events past retention (90 days): the one deliberate
bypass of the append-only rule (docs/decisions/11). It records that it ran."""

from datetime import timedelta

from django.core.management.base import BaseCommand
from django.db import connection, transaction
from django.utils import timezone

from syslog.events import record
from syslog.models import LogEvent, LogEventTarget

RETENTION = timedelta(days=90)


class Command(BaseCommand):
    help = "Delete System Log events older than 90 days, and record a system.log.purge event."

    def handle(self, *args, **options):
        cutoff = timezone.now() - RETENTION
        with transaction.atomic():
            if connection.vendor == "postgresql":
                with connection.cursor() as cursor:
                    cursor.execute("SET LOCAL warden.syslog_purge = 'on'")  # the trigger's documented bypass
            old = LogEvent.objects.filter(published__lt=cutoff)
            # QuerySet.delete() is disabled on these models; _raw_delete is the purge's own path.
            LogEventTarget.objects.filter(event_id__in=old.values("id"))._raw_delete(LogEventTarget.objects.db)
            deleted = old._raw_delete(LogEvent.objects.db)
            record("system.log.purge", debug={"deletedEvents": deleted, "olderThan": cutoff.isoformat()})
        self.stdout.write(f"Deleted {deleted} System Log event(s) published before {cutoff:%Y-%m-%d %H:%M} UTC.")
