from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from tokens import services
from tokens.models import ApiToken


class Command(BaseCommand):
    help = (
        "Rotate an API token (docs/decisions/30): print its new value once on stdout; the previous value keeps "
        "working for the grace period (recorded in the System Log as the system actor)."
    )

    def add_arguments(self, parser):
        parser.add_argument("token_id")
        parser.add_argument("--grace", choices=list(services.GRACE_PERIODS), default="24h")

    def handle(self, token_id, grace, **options):
        token = ApiToken.objects.select_related("owner", "agent").filter(pk=token_id).first()
        if token is None:
            raise CommandError(f"No token {token_id!r}.")
        try:
            token, value = services.token_rotate(token=token, grace=grace)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        until = f"until {token.previous_valid_until:%Y-%m-%d %H:%M} UTC" if token.previous_valid_until else "no longer"
        self.stderr.write(
            f"Rotated {token.id} ({token.name}); the previous value works {until}. New value, shown only now:"
        )
        self.stdout.write(value)
