from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from accounts.models import User
from accounts.permissions import Perm, has_perm
from tokens import services


class Command(BaseCommand):
    help = "Create an API token for a user and print its value once (it is stored only as a digest)."

    def add_arguments(self, parser):
        parser.add_argument("login", help="the owner's username")
        parser.add_argument("name", help="the token's name")

    def handle(self, login, name, **options):
        owner = User.objects.filter(login__iexact=login).first()
        if owner is None:
            raise CommandError(f"No user {login!r}.")
        if not has_perm(owner, Perm.TOKEN_CREATE):
            raise CommandError(f"{login} has no admin role that may own API tokens.")
        try:
            token, value = services.token_create(owner=owner, name=name)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        self.stderr.write(f"Created token {token.id} ({token.name}) for {owner.login}. Its value, shown only now:")
        self.stdout.write(value)
