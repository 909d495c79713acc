"""System zones (docs/decisions/12) and the demo zones."""

import io

import pytest
from django.core.management import call_command

from zones import matching
from zones.demo import load
from zones.models import NetworkZone
from zones.seed import seed_system_zones

pytestmark = pytest.mark.django_db


def test_system_zones_are_seeded_without_the_enhanced_dynamic_zone():
    system = {z.name: z for z in NetworkZone.objects.filter(system=True)}
    assert set(system) == {"LegacyIpZone", "BlockedIpZone"}
    assert (system["LegacyIpZone"].type, system["LegacyIpZone"].usage) == ("IP", "POLICY")
    assert (system["BlockedIpZone"].type, system["BlockedIpZone"].usage) == ("IP", "BLOCKLIST")
    body = system["BlockedIpZone"].to_okta()
    assert body["gateways"] is None and body["proxies"] is None and body["system"] is True


def test_the_enhanced_dynamic_zone_is_behind_a_setting(settings):
    settings.SEED_ENHANCED_DYNAMIC_ZONE = True
    created = seed_system_zones(NetworkZone)
    assert [z.name for z in created] == ["DefaultEnhancedDynamicZone"]
    body = NetworkZone.objects.get(name="DefaultEnhancedDynamicZone").to_okta()
    assert body["type"] == "DYNAMIC_V2" and body["usage"] == "BLOCKLIST" and body["system"] is True
    assert body["ipServiceCategories"] == {"include": ["ALL_ANONYMIZERS"], "exclude": []}
    assert seed_system_zones(NetworkZone) == []


def test_demo_zones_load_twice_and_never_block_loopback(client):
    call_command("load_demo", stdout=io.StringIO())
    count = NetworkZone.objects.count()
    load(io.StringIO())
    assert NetworkZone.objects.count() == count
    names = set(NetworkZone.objects.values_list("name", flat=True))
    assert {"Head office", "Known bad actors", "Embargoed regions"} <= names
    assert any(":" in e["value"] for e in NetworkZone.objects.get(name="Head office").gateways)
    assert not matching.is_blocklisted("127.0.0.1") and not matching.is_blocklisted("::1")
    assert matching.is_blocklisted("203.0.113.5")
    assert client.get("/signin").status_code == 200


def test_lookups_keep_working_when_the_cache_is_down(settings):
    office = NetworkZone.objects.create(name="Office", gateways=[{"type": "CIDR", "value": "10.0.0.0/8"}])
    assert matching.policy_zones_containing("10.1.1.1") == {office.id}
    settings.CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",
            "OPTIONS": {"SOCKET_CONNECT_TIMEOUT": 0.2, "SOCKET_TIMEOUT": 0.2},
        }
    }
    assert matching.policy_zones_containing("10.1.1.1") == {office.id}
    matching.zone_index.reset()
    assert matching.policy_zones_containing("10.1.1.1") == {office.id}  # rebuilt from the database
