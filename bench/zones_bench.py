"""Zone matching: one address against 1,000 blocklist entries plus ten
150-entry policy zones (2,500 entries, IPv4 and IPv6 mixed), the way every
request is checked (zones/matching.py: sorted integer intervals + bisect),
against a linear `ipaddress` scan of the same entries, in the same run.

Both answer the same two questions per address: is it blocklisted, and which
policy zones contain it; the run asserts they agree on every address. Pure
CPU, no database or cache (the index's freshness check is one cache GET per
process per second, not per request). Last line: one JSON object."""

import argparse
import ipaddress
import json
import random
import sys
import time
from pathlib import Path
from types import SimpleNamespace

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from zones.entries import parse  # noqa: E402
from zones.matching import build_index, to_key  # noqa: E402

BLOCKLIST_ENTRIES = 1000
POLICY_ZONES = 10
POLICY_ENTRIES = 150


def _v4(rng: random.Random) -> dict:
    prefix = rng.choice([16, 20, 24, 24, 28, 32])
    net = ipaddress.IPv4Network((rng.getrandbits(32), prefix), strict=False)
    if rng.random() < 0.25:  # some RANGE entries
        first = int(net.network_address)
        return {"type": "RANGE", "value": f"{ipaddress.IPv4Address(first)}-{ipaddress.IPv4Address(first + 99)}"}
    return {"type": "CIDR", "value": str(net)}


def _v6(rng: random.Random) -> dict:
    prefix = rng.choice([32, 48, 56, 64])
    return {"type": "CIDR", "value": str(ipaddress.IPv6Network((rng.getrandbits(128), prefix), strict=False))}


def make_zones(rng: random.Random) -> list:
    def entries(n):
        return [_v6(rng) if rng.random() < 0.2 else _v4(rng) for _ in range(n)]

    zones = [
        SimpleNamespace(
            id="nzoBLOCK", name="block", usage="BLOCKLIST", gateways=entries(BLOCKLIST_ENTRIES), proxies=None
        )
    ]
    for i in range(POLICY_ZONES):
        zones.append(
            SimpleNamespace(
                id=f"nzoPOLICY{i}", name=f"policy-{i}", usage="POLICY", gateways=entries(POLICY_ENTRIES), proxies=None
            )
        )
    return zones


def make_addresses(rng: random.Random, zones, count: int) -> list[str]:
    """Half random, half inside some entry (so both answers are exercised)."""
    entries = [e for z in zones for e in z.gateways]
    addresses = []
    for i in range(count):
        if i % 2:
            interval = parse(rng.choice(entries))
            number = rng.randint(interval.lo, interval.hi)
            make = ipaddress.IPv4Address if interval.version == 4 else ipaddress.IPv6Address
            addresses.append(str(make(number)))
        elif rng.random() < 0.2:
            addresses.append(str(ipaddress.IPv6Address(rng.getrandbits(128))))
        else:
            addresses.append(str(ipaddress.IPv4Address(rng.getrandbits(32))))
    return addresses


class LinearScan:
    """What a straightforward implementation does: parse every entry once, then test each in turn."""

    def __init__(self, zones):
        self.block = [self._net(e) for e in zones[0].gateways]
        self.policy = [(z.id, [self._net(e) for e in z.gateways]) for z in zones[1:]]

    @staticmethod
    def _net(entry):
        if entry["type"] == "CIDR":
            return ipaddress.ip_network(entry["value"], strict=False)
        first, last = entry["value"].split("-")
        return (ipaddress.ip_address(first), ipaddress.ip_address(last))

    @staticmethod
    def _inside(address, entry) -> bool:
        if isinstance(entry, tuple):
            return entry[0].version == address.version and entry[0] <= address <= entry[1]
        return entry.version == address.version and address in entry

    def lookup(self, ip: str):
        address = ipaddress.ip_address(ip)
        blocked = any(self._inside(address, e) for e in self.block)
        zones = frozenset(zid for zid, entries in self.policy if any(self._inside(address, e) for e in entries))
        return blocked, zones


def interval_lookup(index, ip: str):
    """The work of is_blocklisted + policy_zones_containing, minus the freshness check."""
    version, number = to_key(ipaddress.ip_address(ip))
    return number in index.blocklist[version], index.policy[version].lookup(number)


def timed(fn, addresses, repeat: int) -> float:
    """Best-of-`repeat` microseconds per lookup."""
    runs = []
    for _ in range(repeat):
        started = time.perf_counter()
        for ip in addresses:
            fn(ip)
        runs.append((time.perf_counter() - started) / len(addresses) * 1e6)
    return min(runs)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args()
    rng = random.Random(20261122)
    zones = make_zones(rng)
    started = time.perf_counter()
    index = build_index(zones)
    build_ms = (time.perf_counter() - started) * 1000
    linear = LinearScan(zones)
    addresses = make_addresses(rng, zones, 2000 if args.quick else 10000)

    checked = addresses[:2000]  # the linear scan is slow: agreement is checked on a sample
    mismatches = sum(interval_lookup(index, ip) != linear.lookup(ip) for ip in checked)
    if mismatches:
        raise SystemExit(f"interval search and linear scan disagree on {mismatches} addresses")
    hits = sum(bool(interval_lookup(index, ip)[0] or interval_lookup(index, ip)[1]) for ip in addresses)

    interval_us = timed(lambda ip: interval_lookup(index, ip), addresses, 5)
    linear_sample = addresses[: 300 if args.quick else 1000]
    linear_us = timed(linear.lookup, linear_sample, 3)
    parse_us = timed(ipaddress.ip_address, addresses, 5)
    result = {
        "zones_entries": BLOCKLIST_ENTRIES + POLICY_ZONES * POLICY_ENTRIES,
        "zones_addresses": len(addresses),
        "zones_agreement_checked": len(checked),
        "zones_addresses_in_some_zone": hits,
        "zones_index_build_ms": round(build_ms, 2),
        "zones_interval_us_per_lookup": round(interval_us, 2),
        "zones_linear_us_per_lookup": round(linear_us, 1),
        "zones_parse_only_us": round(parse_us, 2),
        "zones_speedup": round(linear_us / interval_us, 1),
        "zones_target": "speed-up >= 100x and < 20 us per lookup",
        "zones_target_met": linear_us / interval_us >= 100 and interval_us < 20,
    }
    print(json.dumps(result, sort_keys=True))


if __name__ == "__main__":
    main()
