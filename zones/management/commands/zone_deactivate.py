"""docs/decisions/16: the way back in after a blocklist locked the admins out.
`manage.py zone_deactivate <id|name>` deactivates the zone and records
zone.deactivate with the system actor (a JOB transaction)."""

from django.core.management.base import BaseCommand, CommandError

from zones import services
from zones.models import NetworkZone


class Command(BaseCommand):
    help = "Deactivate a network zone by id or name (e.g. a blocklist that locked you out)."

    def add_arguments(self, parser):
        parser.add_argument("zone", help="zone id (nzo...) or exact name")

    def handle(self, *args, zone: str, **options):
        found = NetworkZone.objects.filter(pk=zone).first() or NetworkZone.objects.filter(name=zone).first()
        if found is None:
            raise CommandError(f"No zone with id or name {zone!r}.")
        if not found.is_active:
            self.stdout.write(f"Zone {found.name} ({found.id}) is already inactive.")
            return
        services.zone_deactivate(zone=found)
        self.stdout.write(self.style.SUCCESS(f"Zone {found.name} ({found.id}) deactivated."))
