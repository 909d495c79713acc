"""Gateway and proxy entries: `{"type": "CIDR"|"RANGE", "value": "..."}` (docs/okta-contract.md §3.2).

Pure functions, no database: parsing an entry into an integer interval, and
the list rules of docs/decisions/12 and 13. Entries are stored and echoed as sent,
except that a RANGE holding one address becomes `a-a` as real Okta does.
IPv4-mapped IPv6 addresses (`::ffff:a.b.c.d`) count as the IPv4 address they
carry, in entries and in lookups alike, so a v4 client seen through a
dual-stack socket matches v4 entries."""

import ipaddress
from dataclasses import dataclass

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

ENTRY_TYPES = ("CIDR", "RANGE")
MAPPED_V4_BASE = int(ipaddress.IPv6Address("::ffff:0.0.0.0"))
MAPPED_V4_LAST = MAPPED_V4_BASE + 2**32 - 1

# docs/decisions/13: a proxy entry may not be wider than a /16 (IPv4) or a /48 (IPv6).
PROXY_MAX_ADDRESSES = {4: 2 ** (32 - 16), 6: 2 ** (128 - 48)}
PROXY_MAX_PREFIX_TEXT = {4: "/16", 6: "/48"}

# docs/okta-contract.md §3.2: 150 entries in an admin-made zone, 1,000 gateways in a
# blocklist zone, 5,000 in the default system IP zone.
MAX_POLICY_ENTRIES = 150
MAX_BLOCKLIST_ENTRIES = 1000
MAX_SYSTEM_POLICY_ENTRIES = 5000


class EntryError(ValueError):
    """An entry that cannot be used; the message names the entry as sent."""


@dataclass(frozen=True, order=True)
class Interval:
    """Inclusive integer interval of addresses of one IP version."""

    version: int
    lo: int
    hi: int

    @property
    def size(self) -> int:
        return self.hi - self.lo + 1

    def overlaps(self, other: "Interval") -> bool:
        return self.version == other.version and self.lo <= other.hi and other.lo <= self.hi


def unmapped(address: IPAddress) -> IPAddress:
    """The IPv4 address an IPv4-mapped IPv6 address (`::ffff:a.b.c.d`) carries; any other address as is."""
    if address.version == 6 and address.ipv4_mapped is not None:
        return address.ipv4_mapped
    return address


def to_key(address: IPAddress) -> tuple[int, int]:
    """(version, integer) with IPv4-mapped IPv6 counted as IPv4."""
    address = unmapped(address)
    return address.version, int(address)


def parse_address(value: str) -> IPAddress:
    try:
        return ipaddress.ip_address(value.strip())
    except ValueError as exc:
        raise EntryError(f"{value!r} is not an IPv4 or IPv6 address") from exc


def _interval(version: int, lo: int, hi: int) -> Interval:
    """Fold an IPv6 interval that lies inside ::ffff:0:0/96 into IPv4."""
    if version == 6 and lo >= MAPPED_V4_BASE and hi <= MAPPED_V4_LAST:
        return Interval(4, lo - MAPPED_V4_BASE, hi - MAPPED_V4_BASE)
    return Interval(version, lo, hi)


def normalise(entry) -> dict:
    """Check an entry's shape and return it as it will be stored (RANGE `a` -> `a-a`)."""
    if not isinstance(entry, dict):
        raise EntryError(f"{entry!r} is not an object with type and value")
    kind, value = entry.get("type"), entry.get("value")
    if kind not in ENTRY_TYPES:
        raise EntryError(f"{value!r}: type must be CIDR or RANGE, not {kind!r}")
    if not isinstance(value, str) or not value.strip():
        raise EntryError(f"{value!r}: value must be a non-empty string")
    value = value.strip()
    if "%" in value:  # ipaddress accepts zone-scoped IPv6 (fe80::1%eth0); a scope means nothing to a zone
        raise EntryError(f"{value!r}: zone-scoped IPv6 addresses (with %) are not allowed")
    if kind == "RANGE" and "-" not in value:
        value = f"{value}-{value}"
    normalised = {"type": kind, "value": value}
    parse(normalised)  # raises EntryError with the offending value
    return normalised


def parse(entry: dict) -> Interval:
    kind, value = entry["type"], entry["value"].strip()
    if kind == "CIDR":
        try:
            # Host bits set are accepted (docs/decisions/12): 10.1.2.3/8 means 10.0.0.0/8.
            network = ipaddress.ip_network(value, strict=False)
        except ValueError as exc:
            raise EntryError(f"{value!r} is not a CIDR block such as 192.0.2.0/24 or 2001:db8::/48") from exc
        return _interval(network.version, int(network.network_address), int(network.broadcast_address))
    first, sep, last = value.partition("-")
    if not sep:
        first = last = value
    try:
        start, end = parse_address(first), parse_address(last)
    except EntryError:
        if first == last:  # one address (a RANGE of one is stored as "a-a"): the error names it
            raise
        # Name the whole line, not the half before the dash ("not-an-ip" is not a range of "not" and "an-ip").
        raise EntryError(f"{value!r} is not an IPv4 or IPv6 address, nor a range such as 192.0.2.1-192.0.2.9") from None
    if start.version != end.version:
        raise EntryError(f"{value!r} mixes IPv4 and IPv6")
    if int(end) < int(start):
        raise EntryError(f"{value!r}: the range ends before it starts")
    return _interval(start.version, int(start), int(end))


def parse_many(entries) -> list[Interval]:
    """Intervals of stored entries; unusable ones (never stored by our forms) are skipped."""
    intervals = []
    for entry in entries or ():
        try:
            intervals.append(parse(entry))
        except (EntryError, KeyError, TypeError, AttributeError):
            continue
    return intervals


@dataclass
class CheckedEntries:
    entries: list[dict]
    intervals: list[Interval]
    errors: list[str]
    warnings: list[str]


def check_list(raw, *, label: str, max_entries: int, proxy: bool = False) -> CheckedEntries:
    """Validate a gateways or proxies list: one error per offending entry, each naming it
    (callers prefix the field name). Overlap warnings carry the `label`."""
    result = CheckedEntries([], [], [], [])
    if raw is None:
        return result
    if not isinstance(raw, list):
        result.errors.append("must be a list of {type, value} entries")
        return result
    if len(raw) > max_entries:
        result.errors.append(f"at most {max_entries} entries in this zone, not {len(raw)}")
    seen: dict[Interval, str] = {}
    for entry in raw:
        try:
            normalised = normalise(entry)
        except EntryError as error:
            result.errors.append(str(error))
            continue
        interval = parse(normalised)
        value = normalised["value"]
        if interval in seen:
            result.errors.append(f"{value!r} duplicates {seen[interval]!r}")
            continue
        if proxy and interval.size > PROXY_MAX_ADDRESSES[interval.version]:
            widest = PROXY_MAX_PREFIX_TEXT[interval.version]
            result.errors.append(f"{value!r} is wider than {widest}; a trusted proxy may be at most that wide")
            continue
        seen[interval] = value
        result.entries.append(normalised)
        result.intervals.append(interval)
    result.warnings = _overlaps(seen, label)
    return result


def _overlaps(values: dict[Interval, str], label: str) -> list[str]:
    """One warning per entry that overlaps an earlier-sorted one: a sort and a sweep, not n² pairs."""
    position = {interval: i for i, interval in enumerate(values)}
    found: list[tuple[int, str]] = []
    widest: Interval | None = None  # of the intervals so far, the one reaching furthest
    for interval in sorted(values):
        if widest is not None and widest.overlaps(interval):
            later, earlier = sorted((interval, widest), key=position.__getitem__, reverse=True)
            found.append((position[later], f"{label}: {values[later]!r} overlaps {values[earlier]!r}"))
        if widest is None or widest.version != interval.version or interval.hi > widest.hi:
            widest = interval
    return [message for _, message in sorted(found)]  # in the order the entries were sent


def proxy_too_wide(value: str) -> bool:
    """For settings.TRUSTED_PROXIES (plain CIDR or address strings)."""
    network = ipaddress.ip_network(value.strip(), strict=False)
    interval = _interval(network.version, int(network.network_address), int(network.broadcast_address))
    return interval.size > PROXY_MAX_ADDRESSES[interval.version]


def settings_proxy_intervals(values) -> list[Interval]:
    """TRUSTED_PROXIES as intervals; entries too wide or unparsable are left out (the system check reports them)."""
    intervals = []
    for value in values or ():
        try:
            network = ipaddress.ip_network(value.strip(), strict=False)
        except ValueError:
            continue
        interval = _interval(network.version, int(network.network_address), int(network.broadcast_address))
        if interval.size <= PROXY_MAX_ADDRESSES[interval.version]:
            intervals.append(interval)
    return intervals


def contains(intervals, address: IPAddress) -> bool:
    version, number = to_key(address)
    return any(i.version == version and i.lo <= number <= i.hi for i in intervals)
