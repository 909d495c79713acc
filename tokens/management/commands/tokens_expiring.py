from datetime import timedelta

from django.core.management.base import BaseCommand
from django.utils import timezone

from tokens.models import ApiToken


class Command(BaseCommand):
    help = "List active tokens that expire within N days (default 7)."

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=7)

    def handle(self, days, **options):
        horizon = timezone.now() + timedelta(days=days)
        tokens = (
            ApiToken.objects.active().filter(expires_at__lte=horizon).select_related("owner").order_by("expires_at")
        )
        for token in tokens:
            self.stdout.write(f"{token.id}  {token.expires_at:%Y-%m-%d %H:%M} UTC  {token.owner.login}  {token.name}")
        self.stderr.write(f"{len(tokens)} token(s) expire within {days} day(s).")
