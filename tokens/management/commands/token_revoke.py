from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from tokens import services
from tokens.models import ApiToken


class Command(BaseCommand):
    help = "Revoke an API token by id (recorded in the System Log as the system actor)."

    def add_arguments(self, parser):
        parser.add_argument("token_id")

    def handle(self, token_id, **options):
        token = ApiToken.objects.select_related("owner", "agent").filter(pk=token_id).first()
        if token is None:
            raise CommandError(f"No token {token_id!r}.")
        try:
            services.token_revoke(token=token)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        self.stdout.write(f"Revoked {token.id} ({token.name}).")
