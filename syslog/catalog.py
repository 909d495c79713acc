"""The Okta event types Warden records (docs/okta-contract.md §5.5 and Okta's event catalog):
event type -> (displayMessage, legacyEventType, severity).

Each app declares the events it records in its own `event_types.py` (a dict `EVENT_TYPES` of the
same shape). `collect()` gathers them from Django's app registry when the System Log app is ready,
like the admin's autodiscover, so the store never imports the apps above it that write to it
(docs/decisions/18-enforced-layers.md). `EVENT_TYPES` is one dict filled in place: modules that
imported it earlier see the full catalogue."""

from importlib import import_module

from django.apps import apps
from django.core.exceptions import ImproperlyConfigured
from django.utils.module_loading import module_has_submodule

EVENT_TYPES: dict[str, tuple[str, str | None, str]] = {}


def collect() -> None:
    catalogue: dict[str, tuple[str, str | None, str]] = {}
    for app in apps.get_app_configs():
        if not module_has_submodule(app.module, "event_types"):
            continue
        declared = import_module(f"{app.name}.event_types").EVENT_TYPES
        twice = sorted(catalogue.keys() & declared.keys())
        if twice:
            raise ImproperlyConfigured(f"{app.name} declares event types another app already declares: {twice}")
        catalogue.update(declared)
    EVENT_TYPES.clear()
    EVENT_TYPES.update(catalogue)
