"""The per-process zone index: equal to `ipaddress` membership, fresh after every change."""

import ipaddress

import pytest
from django.core.cache import cache
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.zones.factories import BlocklistZoneFactory, DynamicZoneFactory, ZoneFactory, cidr, rng
from zones import matching
from zones.entries import Interval
from zones.matching import Segments, Spans
from zones.models import NetworkZone, ZoneStatus, ZoneUsage

BITS = {4: 32, 6: 128}


def _networks(version):
    """Random networks; IPv6 ones outside ::ffff:0:0/96, whose addresses count as IPv4."""
    mapped = ipaddress.ip_network("::ffff:0:0/96")
    return (
        st.integers(0, 2 ** BITS[version] - 1)
        .flatmap(
            lambda addr: st.integers(max(0, BITS[version] - 40) if version == 6 else 0, BITS[version]).map(
                lambda prefix: ipaddress.ip_network((addr, prefix), strict=False)
            )
        )
        .filter(lambda net: net.version == 4 or not net.overlaps(mapped))
    )


def _probe(version, networks):
    """Random addresses, with a bias to the edges of the networks (where off-by-ones live)."""
    edges = []
    for net in networks:
        for n in (int(net.network_address), int(net.broadcast_address)):
            edges += [n - 1, n, n + 1]
    edges = [e for e in edges if 0 <= e < 2 ** BITS[version]]
    anywhere = st.integers(0, 2 ** BITS[version] - 1)
    return st.one_of(anywhere, st.sampled_from(edges)) if edges else anywhere


@pytest.mark.parametrize("version", [4, 6])
@settings(max_examples=60, deadline=None)
@given(data=st.data())
def test_segments_equal_ipaddress_membership(version, data):
    zones = data.draw(st.lists(st.lists(_networks(version), min_size=1, max_size=8), min_size=1, max_size=5))
    labelled = [
        (int(n.network_address), int(n.broadcast_address), f"z{i}") for i, nets in enumerate(zones) for n in nets
    ]
    segments = Segments.build(labelled)
    spans = Spans.build([(lo, hi) for lo, hi, _ in labelled])
    everything = [n for nets in zones for n in nets]
    for _ in range(20):
        number = data.draw(_probe(version, everything))
        address = ipaddress.ip_address(number) if version == 4 else ipaddress.IPv6Address(number)
        expected = frozenset(f"z{i}" for i, nets in enumerate(zones) if any(address in n for n in nets))
        assert segments.lookup(number) == expected
        assert (number in spans) == bool(expected)


@pytest.mark.django_db
@settings(max_examples=25, deadline=None)
@given(
    v4=st.lists(_networks(4), min_size=1, max_size=6),
    v6=st.lists(_networks(6), min_size=1, max_size=6),
    probes=st.lists(st.one_of(st.ip_addresses(v=4), st.ip_addresses(v=6)), min_size=1, max_size=30),
)
def test_lookups_equal_ipaddress_membership_on_stored_zones(v4, v6, probes):
    NetworkZone.objects.all().delete()
    nets = v4 + v6
    zone = ZoneFactory(gateways=[cidr(str(n)) for n in nets])
    BlocklistZoneFactory(gateways=[cidr(str(n)) for n in nets[:3]])
    for address in probes + [n.network_address for n in nets] + [n.broadcast_address for n in nets]:
        if address.version == 6 and address.ipv4_mapped is not None:
            address = address.ipv4_mapped  # counted as IPv4 (the oracle must agree)
        inside = any(address in n for n in nets)
        assert matching.policy_zones_containing(str(address)) == (frozenset({zone.id}) if inside else frozenset())
        assert matching.is_blocklisted(str(address)) == any(address in n for n in nets[:3])


@pytest.mark.django_db
def test_only_active_ip_policy_zones_count_for_policy():
    office = ZoneFactory(gateways=[cidr("10.0.0.0/8")])
    inactive = ZoneFactory(gateways=[cidr("10.0.0.0/8")], status=ZoneStatus.INACTIVE)
    legacy = NetworkZone.objects.get(name="LegacyIpZone")  # seeded system zone, active, no gateways
    BlocklistZoneFactory(gateways=[cidr("10.1.0.0/16")])
    DynamicZoneFactory()
    assert matching.policy_zones_containing("10.1.2.3") == {office.id}
    assert inactive.id not in matching.policy_zones_containing("10.1.2.3")
    assert legacy.id not in matching.policy_zones_containing("10.1.2.3")  # no gateways: matches nothing
    assert matching.is_blocklisted("10.1.2.3")
    assert not matching.is_blocklisted("10.2.0.1")
    assert matching.zone_name_for("10.9.9.9") == office.name
    assert matching.zone_name_for("192.0.2.1") is None


@pytest.mark.django_db
def test_a_change_is_seen_at_once_in_this_process():
    zone = ZoneFactory(gateways=[cidr("10.0.0.0/8")])
    assert matching.policy_zones_containing("10.0.0.1") == {zone.id}
    zone.status = ZoneStatus.INACTIVE
    zone.save()
    assert matching.policy_zones_containing("10.0.0.1") == frozenset()


@pytest.mark.django_db
def test_another_process_change_is_seen_through_the_cached_version(settings, django_assert_num_queries):
    zone = ZoneFactory(gateways=[cidr("10.0.0.0/8")])
    assert matching.policy_zones_containing("10.0.0.1") == {zone.id}
    # Another process changes the table and bumps the version; this process did not see the save.
    type(zone).objects.filter(pk=zone.pk).update(usage=ZoneUsage.BLOCKLIST)
    with django_assert_num_queries(0):
        assert matching.policy_zones_containing("10.0.0.1") == {zone.id}  # same version: no query
    cache.set(matching.VERSION_KEY, "another-process")
    with django_assert_num_queries(1):
        assert matching.is_blocklisted("10.0.0.1")
    with django_assert_num_queries(0):
        assert matching.policy_zones_containing("10.0.0.1") == frozenset()


@pytest.mark.django_db
def test_the_version_is_checked_at_most_once_per_interval(settings, django_assert_num_queries):
    settings.ZONE_INDEX_CHECK_SECONDS = 3600
    zone = ZoneFactory(gateways=[cidr("10.0.0.0/8")])
    assert matching.policy_zones_containing("10.0.0.1") == {zone.id}
    type(zone).objects.filter(pk=zone.pk).update(status=ZoneStatus.INACTIVE)
    cache.set(matching.VERSION_KEY, "another-process")
    with django_assert_num_queries(0):
        assert matching.policy_zones_containing("10.0.0.1") == {zone.id}  # within the interval: old answer
    settings.ZONE_INDEX_CHECK_SECONDS = 0
    assert matching.policy_zones_containing("10.0.0.1") == frozenset()


@pytest.mark.django_db(transaction=True)
def test_the_shared_version_moves_when_a_zone_change_commits():
    matching.current_index()  # creates the shared version
    before = cache.get(matching.VERSION_KEY)
    assert before is not None
    ZoneFactory()
    assert cache.get(matching.VERSION_KEY) != before


@pytest.mark.django_db
def test_ipv6_and_ipv4_mapped_addresses():
    v6 = ZoneFactory(gateways=[cidr("2001:db8::/32")])
    v4 = ZoneFactory(gateways=[rng("192.0.2.10-192.0.2.20")])
    mapped_entry = ZoneFactory(gateways=[cidr("::ffff:198.51.100.0/120")])
    assert matching.policy_zones_containing("2001:db8:1::1") == {v6.id}
    assert matching.policy_zones_containing("2001:db9::1") == frozenset()
    assert matching.policy_zones_containing("::ffff:192.0.2.15") == {v4.id}
    assert matching.policy_zones_containing("192.0.2.21") == frozenset()
    assert matching.policy_zones_containing("198.51.100.7") == {mapped_entry.id}
    assert matching.policy_zones_containing("not an ip") == frozenset()


@pytest.mark.django_db
def test_trusted_proxies_come_from_settings_and_active_policy_zones(settings):
    assert not matching.is_trusted_proxy("10.0.255.1")
    settings.TRUSTED_PROXIES = ["10.0.0.0/16", "0.0.0.0/0"]  # the second is too wide and ignored
    ZoneFactory(gateways=None, proxies=[cidr("192.0.2.0/24")])
    ZoneFactory(gateways=None, proxies=[cidr("198.51.100.0/24")], status=ZoneStatus.INACTIVE)
    assert matching.is_trusted_proxy("10.0.255.1")
    assert matching.is_trusted_proxy(ipaddress.ip_address("192.0.2.9"))
    assert not matching.is_trusted_proxy("198.51.100.1")
    assert not matching.is_trusted_proxy("8.8.8.8")


def test_interval_overlap():
    a, b = Interval(4, 10, 20), Interval(4, 20, 30)
    assert a.overlaps(b) and not a.overlaps(Interval(6, 10, 20))
