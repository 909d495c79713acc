"""Entry rules (docs/decisions/12 and 13), without the database."""

import pytest

from tests.zones.factories import cidr, rng
from zones.entries import EntryError, check_list, normalise, parse, proxy_too_wide


def test_a_single_address_range_becomes_a_dash_a_and_others_are_echoed():
    assert normalise(rng("192.0.2.1")) == rng("192.0.2.1-192.0.2.1")
    assert normalise(cidr("10.1.2.3/8")) == cidr("10.1.2.3/8")  # host bits accepted, echoed as sent
    assert normalise(rng(" 2001:db8::1-2001:db8::ff ")) == rng("2001:db8::1-2001:db8::ff")
    assert parse(cidr("10.1.2.3/8")) == parse(rng("10.0.0.0-10.255.255.255"))


@pytest.mark.parametrize(
    ("entry", "words"),
    [
        (cidr("10.0.0.0/33"), "not a CIDR block"),
        (rng("10.0.0.9-10.0.0.1"), "ends before it starts"),
        (rng("10.0.0.1-2001:db8::1"), "mixes IPv4 and IPv6"),
        (rng("10.0.0.1-"), "not an IPv4 or IPv6 address"),
        ({"type": "HOST", "value": "10.0.0.1"}, "type must be CIDR or RANGE"),
        ({"type": "CIDR", "value": 7}, "non-empty string"),
        ("10.0.0.1", "not an object"),
    ],
)
def test_bad_entries_are_named_in_the_error(entry, words):
    with pytest.raises(EntryError) as caught:
        normalise(entry)
    assert words in str(caught.value)


def test_duplicates_are_refused_on_the_normalised_form_and_overlaps_warned():
    checked = check_list(
        [
            cidr("10.0.0.0/8"),
            rng("10.0.0.0-10.255.255.255"),
            rng("10.1.0.0-10.1.0.9"),
            cidr("::ffff:10.0.0.0/104"),
            cidr("2001:db8::/32"),
            cidr("2001:db8::/48"),
        ],
        label="gateways",
        max_entries=150,
    )
    assert checked.errors == [
        "'10.0.0.0-10.255.255.255' duplicates '10.0.0.0/8'",
        "'::ffff:10.0.0.0/104' duplicates '10.0.0.0/8'",  # an IPv4-mapped block is the IPv4 block
    ]
    assert checked.warnings == [
        "gateways: '10.1.0.0-10.1.0.9' overlaps '10.0.0.0/8'",
        "gateways: '2001:db8::/48' overlaps '2001:db8::/32'",
    ]
    assert [e["value"] for e in checked.entries] == [
        "10.0.0.0/8",
        "10.1.0.0-10.1.0.9",
        "2001:db8::/32",
        "2001:db8::/48",
    ]


def test_proxy_width_cap_is_a_16_or_a_48():
    checked = check_list(
        [
            cidr("10.0.0.0/16"),
            cidr("10.2.0.0/15"),
            rng("10.4.0.0-10.5.0.0"),
            cidr("2001:db8::/48"),
            cidr("2001:db9::/47"),
        ],
        label="proxies",
        max_entries=150,
        proxy=True,
    )
    assert len(checked.errors) == 3
    assert all("wider than" in e for e in checked.errors)
    assert proxy_too_wide("0.0.0.0/0") and proxy_too_wide("::/0") and not proxy_too_wide("192.0.2.1")


def test_caps_and_shapes():
    assert check_list(None, label="g", max_entries=1).errors == []
    assert check_list("10.0.0.0/8", label="g", max_entries=1).errors == ["must be a list of {type, value} entries"]
    too_many = check_list([cidr("10.0.0.0/8"), cidr("11.0.0.0/8")], label="g", max_entries=1)
    assert too_many.errors == ["at most 1 entries in this zone, not 2"]
