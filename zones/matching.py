"""Zone membership for every request, from a per-process index.

The per-request budget is ONE database query and ONE Redis round trip, and
the rate limiter owns that Redis round trip (DESIGN.md, pipeline step 5).
So zone lookups may not touch the database, nor the cache on every request:

- Each process keeps an index built from the zones table: per IP version,
  sorted integer intervals searched with `bisect` (O(log n) per lookup, a few
  microseconds for thousands of entries; see bench/zones_bench.py).
- A zones *version* lives in the shared cache. Every zone change replaces it
  with a fresh random value when its transaction commits (a rolled-back change
  bumps nothing). A process compares its index's version with the cached one
  at most once per `settings.ZONE_INDEX_CHECK_SECONDS` (default 1.0 s; 0 =
  on every call, which the tests use) and rebuilds on a difference. So a zone
  change reaches every process, on every host, within that interval, and the
  steady state costs one cache GET per process per second, not per request.
- The version is read *before* the zones are, so a change that commits while
  a process rebuilds leaves that process with an old version and a rebuild on
  the next check: never a new version with old data.
- A change made in this process also drops this process's index at once
  (tests never commit, and the admin who saved a zone expects to see it).
- An index older than INDEX_MAX_AGE seconds is rebuilt regardless, which
  bounds any staleness the version cannot see (a cache flush racing a change,
  a rolled-back change this process had already indexed, a manual SQL edit).
- Cache down: keep answering from the index we have (rebuilding at most once
  per INDEX_MAX_AGE), never fail a request over it.

IPv4-mapped IPv6 addresses count as IPv4 (zones.entries.to_key)."""

import ipaddress
import logging
import threading
import time
import uuid
from bisect import bisect_right
from dataclasses import dataclass, field

from django.conf import settings
from django.core.cache import cache
from django.db import transaction

from zones.choices import ZoneUsage
from zones.entries import PROXY_MAX_ADDRESSES, Interval, IPAddress, parse_many, settings_proxy_intervals, to_key

log = logging.getLogger("warden.zones")

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
    policy_ids: frozenset[str]
    names: dict[str, str]
    version: str | None = None
    built_at: float = 0.0
    settings_proxies: tuple = ()  # settings.TRUSTED_PROXIES it was built with (tests override it)

    @classmethod
    def empty(cls) -> "ZoneIndex":
        return cls({4: Segments(), 6: Segments()}, {4: Spans(), 6: Spans()}, {4: Spans(), 6: Spans()}, frozenset(), {})


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
        if zone.usage != ZoneUsage.BLOCKLIST:  # blocklist zones cannot have proxies (CONTRACT.md §3.2)
            for interval in _proxy_intervals(zone.proxies):
                proxies[interval.version].append((interval.lo, interval.hi))
    return ZoneIndex(
        policy={v: Segments.build(policy[v]) for v in (4, 6)},
        blocklist={v: Spans.build(blocklist[v]) for v in (4, 6)},
        proxies={v: Spans.build(proxies[v]) for v in (4, 6)},
        policy_ids=frozenset(z.id for z in zones if z.usage != ZoneUsage.BLOCKLIST),
        names=names,
    )


def _proxy_intervals(entries) -> list[Interval]:
    # Stored entries passed the width cap when saved; re-checked so that no path
    # (a data migration, a manual edit) can make a huge range a trusted proxy.
    return [i for i in parse_many(entries) if i.size <= PROXY_MAX_ADDRESSES[i.version]]


# --- the per-process index and its freshness ----------------------------------

_lock = threading.Lock()
_index: ZoneIndex | None = None
_checked_at = 0.0


def _load_index(version: str | None) -> ZoneIndex:
    from zones.models import NetworkZone, ZoneStatus, ZoneType

    zones = list(
        NetworkZone.objects.filter(type=ZoneType.IP, status=ZoneStatus.ACTIVE).only(
            "id", "name", "usage", "gateways", "proxies"
        )
    )
    index = build_index(zones, settings.TRUSTED_PROXIES)
    index.version = version
    index.settings_proxies = tuple(settings.TRUSTED_PROXIES)
    index.built_at = time.monotonic()
    return index


def _shared_version() -> str | None:
    """The cached version, created when missing (a new cache, a flush): an unknown
    state is a fresh random version, which differs from every process's index."""
    version = cache.get(VERSION_KEY)
    if version is None:
        cache.add(VERSION_KEY, uuid.uuid4().hex, timeout=None)
        version = cache.get(VERSION_KEY)
    return version


def current_index() -> ZoneIndex:
    global _index, _checked_at
    now = time.monotonic()
    index = _index
    interval = float(getattr(settings, "ZONE_INDEX_CHECK_SECONDS", 1.0))
    if index is not None and now - _checked_at < interval and now - index.built_at < INDEX_MAX_AGE:
        return index
    with _lock:
        index = _index
        _checked_at = now
        try:
            version = _shared_version()
        except Exception:  # cache down: the index we have, refreshed at most once per INDEX_MAX_AGE
            log.warning("zones: cache unavailable, zone index version not checked", exc_info=True)
            version = index.version if index is not None else None
            if index is not None and now - index.built_at < INDEX_MAX_AGE:
                return index
        if (
            index is None
            or version != index.version
            or now - index.built_at >= INDEX_MAX_AGE
            or index.settings_proxies != tuple(settings.TRUSTED_PROXIES)
        ):
            index = _load_index(version)
            _index = index
        return index


def zones_changed() -> None:
    """Call on every zone change (NetworkZone.save/delete do): drop this
    process's index now, and tell every other process when the change commits."""
    invalidate_local()
    transaction.on_commit(_bump_shared_version, robust=True)


def _bump_shared_version() -> None:
    invalidate_local()  # a lookup inside the transaction may have indexed it half-way
    try:
        cache.set(VERSION_KEY, uuid.uuid4().hex, timeout=None)
    except Exception:
        log.warning("zones: cache unavailable, other processes see this zone change within %ss", INDEX_MAX_AGE)


def invalidate_local() -> None:
    global _index
    _index = None


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


def active_policy_zone_ids() -> frozenset[str]:
    """Ids of every ACTIVE IP POLICY zone: what `ALL_ZONES` means (decision 3)."""
    return current_index().policy_ids


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
    """`ip` is a trusted proxy: settings.TRUSTED_PROXIES plus ACTIVE IP zones' proxies (decision 13)."""
    key = _key(ip)
    if key is None:
        return False
    version, number = key
    return number in current_index().proxies[version]
