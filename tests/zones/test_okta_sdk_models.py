"""Our zone bodies deserialize with okta-python 3.4.4's own models (docs/okta-contract.md §3.6):
IP zones (with null gateways too) and DYNAMIC zones without asns/locations arrays."""

import json

import pytest
from okta.models import NetworkZone as SdkNetworkZone

from tests.zones.factories import DynamicZoneFactory, ZoneFactory, cidr, rng

pytestmark = pytest.mark.django_db


def test_every_zone_in_the_default_list_parses(super_client):
    ZoneFactory(gateways=[cidr("10.0.0.0/8"), rng("192.0.2.1-192.0.2.1")], proxies=[cidr("2001:db8::/48")])
    DynamicZoneFactory(locations=None, asns=None, proxy_type="NotTorAnonymizer")
    body = super_client.get("/api/v1/zones").json()
    assert len(body) == 4
    for item in body:
        zone = SdkNetworkZone.from_json(json.dumps(item))
        assert zone is not None
        parsed = zone.actual_instance if hasattr(zone, "actual_instance") else zone
        assert parsed.id == item["id"] and parsed.name == item["name"]
        if item["type"] == "IP" and item["gateways"]:
            assert [g.value for g in parsed.gateways] == ["10.0.0.0/8", "192.0.2.1-192.0.2.1"]
