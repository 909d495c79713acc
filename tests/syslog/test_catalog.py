"""The catalogue is collected from each app's event_types.py (docs/decisions/18): every installed app's
declarations are in it, and two apps declaring the same event type stop the start."""

from importlib import import_module

import pytest
from django.core.exceptions import ImproperlyConfigured

from syslog import catalog

APPS = ["accounts", "zones", "tokens", "ratelimits", "origins", "syslog"]


def test_every_apps_declarations_are_collected():
    for app in APPS:
        declared = import_module(f"{app}.event_types").EVENT_TYPES
        assert declared.items() <= catalog.EVENT_TYPES.items(), app
    assert catalog.EVENT_TYPES["system.api_token.revoke"] == ("Revoke API token", "api.token.revoke", "INFO")


def test_an_event_type_declared_twice_is_refused(monkeypatch):
    tokens_types = import_module("tokens.event_types")
    monkeypatch.setitem(tokens_types.EVENT_TYPES, "zone.create", ("Create network zone", None, "INFO"))
    with pytest.raises(ImproperlyConfigured, match="zone.create"):
        catalog.collect()
    monkeypatch.undo()
    catalog.collect()
    assert "zone.create" in catalog.EVENT_TYPES
