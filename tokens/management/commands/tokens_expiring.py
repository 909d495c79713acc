from datetime import timedelta

from django.core.management.base import BaseCommand
from django.utils import timezone

from tokens import services
from tokens.models import ApiToken


class Command(BaseCommand):
    help = (
        "Send the expiry notices that are due (tokens unused for 23, 27 or 29 days: e-mail to the owner and the "
        "super admins, a console notice, a System Log event; once per threshold and idle period), then list "
        "active tokens that expire within N days (default 7). Run it from a scheduler, e.g. hourly "
        "(docs/decisions/32). --list-only sends nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=7)
        parser.add_argument("--list-only", action="store_true", help="list, send no notice")

    def handle(self, days, list_only, **options):
        if not list_only:
            sent = services.tokens_notify_expiring()
            self.stderr.write(f"{sent} expiry notice(s) sent.")
        horizon = timezone.now() + timedelta(days=days)
        tokens = (
            ApiToken.objects.active().filter(expires_at__lte=horizon).select_related("owner").order_by("expires_at")
        )
        for token in tokens:
            self.stdout.write(f"{token.id}  {token.expires_at:%Y-%m-%d %H:%M} UTC  {token.owner.login}  {token.name}")
        self.stderr.write(f"{len(tokens)} token(s) expire within {days} day(s).")
