"""`manage.py oauth_signing_keys`: create the authorization server's signing key if there is none; with
`--rotate`, make a new one active, keep the previous one verifying for the life of a token, and delete keys
retired longer ago than that (docs/oauth.md)."""

from django.core.management.base import BaseCommand

from oauth import signing


class Command(BaseCommand):
    help = "Create (or with --rotate, rotate) the OAuth authorization server's signing key."

    def add_arguments(self, parser):
        parser.add_argument("--rotate", action="store_true")

    def handle(self, *args, rotate=False, **options):
        if rotate:
            key, gone = signing.rotate()
            self.stdout.write(f"active signing key {key.kid}; deleted {len(gone)} retired key(s)")
        else:
            self.stdout.write(f"active signing key {signing.active_key().kid}")
