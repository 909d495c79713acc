"""Zone membership for every request, from a per-process index.

An API request in steady state makes no database query and ONE Redis round
trip, and the rate limiter owns that round trip (docs/architecture.md, pipeline step 5).
So zone lookups may not touch the database, nor the cache on every request:

- Each process keeps an index built from the zones table: per IP version,
  sorted integer intervals searched with `bisect` (O(log n) per lookup, a few
  microseconds for thousands of entries; see bench/zones_bench.py).
- The index is a `VersionedValue` (process_caches): a zone change reaches
  every process, on every host, within `settings.ZONE_INDEX_CHECK_SECONDS`
  (default 1.0 s; 0 = on every call, which the tests use), for one cache GET
  per process per interval; an index older than INDEX_MAX_AGE is rebuilt
  regardless; with the cache down the index we have keeps answering.

IPv4-mapped IPv6 addresses count as IPv4 (zones.entries.to_key)."""

import ipaddress
from bisect import bisect_right
from dataclasses import dataclass, field

from django.conf import settings

from process_caches import VersionedValue
from zones.choices import ZoneUsage
from zones.entries import PROXY_MAX_ADDRESSES, Interval, IPAddress, parse_many, settings_proxy_intervals, to_key

VERSION_KEY = "zones:index-version"
INDEX_MAX_AGE = 60.0


@dataclass
class Spans:
    """Disjoint merged intervals of one IP version: `x` is inside iff
    `starts[i] <= x <= ends[i]` for i = bisect_right(starts, x) - 1."""

    starts: list[int] = field(default_factory=list)
    ends: list[int] = field(default_factory=list)

    @classmethod
    def build(cls, intervals: list[tuple[int, int]]) -> "Spans":
        spans = cls()
        for lo, hi in sorted(intervals):
            if spans.ends and lo <= spans.ends[-1] + 1:
                spans.ends[-1] = max(spans.ends[-1], hi)
            else:
                spans.starts.append(lo)
                spans.ends.append(hi)
        return spans

    def __contains__(self, number: int) -> bool:
        i = bisect_right(self.starts, number) - 1
        return i >= 0 and number <= self.ends[i]


@dataclass
class Segments:
    """Elementary segments of one IP version, each labelled with the zone ids
    that cover it: `bounds[i] <= x < bounds[i+1]` is covered by `cover[i]`."""

    bounds: list[int] = field(default_factory=list)
    cover: list[frozenset[str]] = field(default_factory=list)

    @classmethod
    def build(cls, labelled: list[tuple[int, int, str]]) -> "Segments":
        events: dict[int, list[tuple[int, str]]] = {}
        for lo, hi, label in labelled:
            events.setdefault(lo, []).append((1, label))
            events.setdefault(hi + 1, []).append((-1, label))
        segments = cls()
        active: dict[str, int] = {}
        for point in sorted(events):
            for delta, label in events[point]:
                count = active.get(label, 0) + delta
                if count:
                    active[label] = count
                else:
                    active.pop(label, None)
            covered = frozenset(active)
            if segments.cover and segments.cover[-1] == covered:
                continue  # same label set as the segment before: extend it
            segments.bounds.append(point)
            segments.cover.append(covered)
        return segments

    def lookup(self, number: int) -> frozenset[str]:
        i = bisect_right(self.bounds, number) - 1
        return self.cover[i] if i >= 0 else frozenset()


@dataclass
class ZoneIndex:
    policy: dict[int, Segments]
    blocklist: dict[int, Spans]
    proxies: dict[int, Spans]
    names: dict[str, str]


def build_index(zones, trusted_proxies=()) -> ZoneIndex:
    """The index of active IP zones (`zones`: objects with id, name, usage, gateways, proxies)."""
    policy: dict[int, list] = {4: [], 6: []}
    blocklist: dict[int, list] = {4: [], 6: []}
    proxies: dict[int, list] = {4: [], 6: []}
    names: dict[str, str] = {}
    for interval in settings_proxy_intervals(trusted_proxies):
        proxies[interval.version].append((interval.lo, interval.hi))
    for zone in zones:
        names[zone.id] = zone.name
        for interval in parse_many(zone.gateways):
            if zone.usage == ZoneUsage.BLOCKLIST:
                blocklist[interval.version].append((interval.lo, interval.hi))
            else:
                policy[interval.version].append((interval.lo, interval.hi, zone.id))
        if zone.usage != ZoneUsage.BLOCKLIST:  # blocklist zones cannot have proxies (docs/okta-contract.md §3.2)
            for interval in _proxy_intervals(zone.proxies):
                proxies[interval.version].append((interval.lo, interval.hi))
    return ZoneIndex(
        policy={v: Segments.build(policy[v]) for v in (4, 6)},
        blocklist={v: Spans.build(blocklist[v]) for v in (4, 6)},
        proxies={v: Spans.build(proxies[v]) for v in (4, 6)},
        names=names,
    )


def _proxy_intervals(entries) -> list[Interval]:
    # Stored entries passed the width cap when saved; re-checked so that no path
    # (a data migration, a manual edit) can make a huge range a trusted proxy.
    return [i for i in parse_many(entries) if i.size <= PROXY_MAX_ADDRESSES[i.version]]


# --- the per-process index ---------------------------------------------------------


def _load_index() -> ZoneIndex:
    from zones.models import NetworkZone, ZoneStatus  # the models announce changes through this module

    zones = list(
        NetworkZone.objects.with_addresses()
        .filter(status=ZoneStatus.ACTIVE)
        .only("id", "name", "usage", "gateways", "proxies")
    )
    return build_index(zones, settings.TRUSTED_PROXIES)


zone_index = VersionedValue(
    "zone index",
    load=_load_index,
    version_key=VERSION_KEY,
    check_every=lambda: float(getattr(settings, "ZONE_INDEX_CHECK_SECONDS", 1.0)),
    max_age=INDEX_MAX_AGE,
    depends_on=lambda: tuple(settings.TRUSTED_PROXIES),  # trusted proxies are part of the index
)


def current_index() -> ZoneIndex:
    return zone_index.get()


def zones_changed() -> None:
    """Call on every zone change (NetworkZone.save/delete do)."""
    zone_index.changed()


# --- lookups ------------------------------------------------------------------------


def _key(ip) -> tuple[int, int] | None:
    if isinstance(ip, ipaddress.IPv4Address | ipaddress.IPv6Address):
        return to_key(ip)
    try:
        return to_key(ipaddress.ip_address(str(ip).strip()))
    except ValueError:
        return None


def policy_zones_containing(ip: str) -> frozenset[str]:
    """Ids of ACTIVE IP zones with POLICY usage whose gateways contain `ip`."""
    key = _key(ip)
    if key is None:
        return frozenset()
    version, number = key
    return current_index().policy[version].lookup(number)


def is_blocklisted(ip: str) -> bool:
    """`ip` is inside an ACTIVE BLOCKLIST zone's gateways."""
    key = _key(ip)
    if key is None:
        return False
    version, number = key
    return number in current_index().blocklist[version]


def zone_name_for(ip: str) -> str | None:
    """Name of a policy zone containing `ip` (the first by name), for System Log `client.zone`."""
    ids = policy_zones_containing(ip)
    if not ids:
        return None
    names = current_index().names
    return min(names.get(i, i) for i in ids)


def is_trusted_proxy(ip: IPAddress | str) -> bool:
    """`ip` is a trusted proxy: settings.TRUSTED_PROXIES plus ACTIVE IP zones' proxies (docs/decisions/13)."""
    key = _key(ip)
    if key is None:
        return False
    version, number = key
    return number in current_index().proxies[version]
