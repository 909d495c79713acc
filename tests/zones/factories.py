import factory
from factory.django import DjangoModelFactory

from zones.models import NetworkZone, ZoneStatus, ZoneType, ZoneUsage


def cidr(value: str) -> dict:
    return {"type": "CIDR", "value": value}


def rng(value: str) -> dict:
    return {"type": "RANGE", "value": value}


class ZoneFactory(DjangoModelFactory):
    """An active IP POLICY zone; pass gateways=[cidr("...")] etc."""

    class Meta:
        model = NetworkZone

    name = factory.Sequence(lambda n: f"zone-{n}")
    type = ZoneType.IP
    usage = ZoneUsage.POLICY
    status = ZoneStatus.ACTIVE
    gateways = factory.LazyFunction(lambda: [cidr("198.51.100.0/24")])
    proxies = None


class BlocklistZoneFactory(ZoneFactory):
    usage = ZoneUsage.BLOCKLIST
    gateways = factory.LazyFunction(lambda: [cidr("203.0.113.0/24")])


class DynamicZoneFactory(ZoneFactory):
    type = ZoneType.DYNAMIC
    gateways = None
    locations = factory.LazyFunction(lambda: [{"country": "US", "region": None}])
    proxy_type = "Any"
