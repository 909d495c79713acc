"""Demo zones: office networks (one with IPv6 and a proxy), a VPN range, an
inactive zone, a blocklist that does NOT contain loopback (the demo must stay
reachable from 127.0.0.1 / ::1), and a dynamic zone. Safe to run again.

Each is an Okta JSON body, validated and created exactly as POST /api/v1/zones
would, so the demo cannot hold a zone the API would refuse."""

from zones import services
from zones.forms import values_from_body
from zones.models import NetworkZone, ZoneStatus
from zones.seed import seed_system_zones


def _cidr(value: str) -> dict:
    return {"type": "CIDR", "value": value}


def _range(value: str) -> dict:
    return {"type": "RANGE", "value": value}


DEMO_ZONES = [
    {
        "name": "Head office",
        "type": "IP",
        "usage": "POLICY",
        "gateways": [_cidr("198.51.100.0/24"), _cidr("2001:db8:100::/48")],
        "proxies": [_cidr("198.51.100.250/32")],
    },
    {
        "name": "Build servers",
        "type": "IP",
        "usage": "POLICY",
        "gateways": [_range("192.0.2.10-192.0.2.40"), _range("192.0.2.77-192.0.2.77")],
        "proxies": None,
    },
    {
        "name": "Partner VPN",
        "type": "IP",
        "usage": "POLICY",
        "gateways": [_cidr("100.64.12.0/22")],
        "proxies": None,
        "status": "INACTIVE",
    },
    {
        "name": "Known bad actors",
        "type": "IP",
        "usage": "BLOCKLIST",
        "gateways": [_cidr("203.0.113.0/24"), _range("2001:db8:dead::1-2001:db8:dead::ff")],
        "proxies": None,
    },
    {
        "name": "Embargoed regions",
        "type": "DYNAMIC",
        "usage": "POLICY",
        "locations": [{"country": "KP", "region": None}, {"country": "IR", "region": None}],
        "proxyType": "TorAnonymizer",
        "asns": None,
    },
]


def load(out) -> None:
    seed_system_zones(NetworkZone)
    for spec in DEMO_ZONES:
        if NetworkZone.objects.filter(name=spec["name"]).exists():
            continue
        zone = services.zone_create(values=values_from_body(spec))
        if spec.get("status") == ZoneStatus.INACTIVE:  # created ACTIVE, as through the API
            services.zone_deactivate(zone=zone)
    out.write(f"Zones: {NetworkZone.objects.count()} network zones (blocklist: 203.0.113.0/24, never loopback)")
