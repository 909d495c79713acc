"""Load the demo organisation (idempotent). Each app that has a `demo` module
contributes its part through `load(out)`, in the layer order of WARDEN_APPS."""

import importlib
import importlib.util

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction


class Command(BaseCommand):
    help = "Create or refresh the demo organisation: admins of every role, and whatever each app adds."

    def handle(self, *args, **options):
        for app in settings.WARDEN_APPS:
            if importlib.util.find_spec(f"{app}.demo") is None:
                continue
            module = importlib.import_module(f"{app}.demo")
            with transaction.atomic():
                module.load(self.stdout)
        self.stdout.write(self.style.SUCCESS("Demo organisation ready."))
