"""Security › Networks in the console: the list, forms, lifecycle, delete and the "test an IP" box."""

import pytest
from django.contrib.messages import get_messages

from syslog.models import LogEvent
from tests.zones.factories import BlocklistZoneFactory, ZoneFactory, cidr, rng
from zones.models import NetworkZone, ZoneStatus

pytestmark = pytest.mark.django_db
LIST = "/security/networks/"


def test_list_shows_type_usage_status_entries_and_token_use(super_client, django_assert_max_num_queries):
    ZoneFactory(name="Office", gateways=[cidr("10.0.0.0/8"), rng("10.1.0.1-10.1.0.9")], proxies=[cidr("10.9.0.0/16")])
    BlocklistZoneFactory(name="Bad", status=ZoneStatus.INACTIVE)
    with django_assert_max_num_queries(8):  # index rebuild, session, user, roles, zones, session save
        html = super_client.get(LIST).content.decode()
    assert "Office" in html and "2 gateways, 1 proxy" in html
    assert "Blocklist" in html and "Inactive" in html and "LegacyIpZone" in html
    assert "Tokens using it" in html


def test_create_from_text_lines_and_warn_about_overlaps(super_client):
    response = super_client.post(
        "/security/networks/new",
        {
            "name": "Office",
            "type": "IP",
            "usage": "POLICY",
            "gateways": "10.0.0.0/8\n10.1.2.3\n2001:db8::/48\n10.5.0.0-10.5.0.9",
            "proxies": "",
        },
    )
    assert response.status_code == 302
    zone = NetworkZone.objects.get(name="Office")
    assert zone.gateways == [
        cidr("10.0.0.0/8"),
        rng("10.1.2.3-10.1.2.3"),
        cidr("2001:db8::/48"),
        rng("10.5.0.0-10.5.0.9"),
    ]
    assert zone.status == ZoneStatus.ACTIVE and zone.proxies is None
    texts = [str(m) for m in get_messages(response.wsgi_request)]
    assert any("overlaps" in t and "'10.1.2.3-10.1.2.3'" in t for t in texts)
    assert LogEvent.objects.filter(event_type="zone.create").count() == 1


def test_inline_errors_name_the_offending_entry_and_nothing_changes(super_client):
    response = super_client.post(
        "/security/networks/new",
        {
            "name": "Office",
            "type": "IP",
            "usage": "POLICY",
            "gateways": "10.0.0.0/8\n10.0.0.0-10.255.255.255\n300.1.1.1",
            "proxies": "0.0.0.0/1",
        },
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "&#x27;10.0.0.0-10.255.255.255&#x27; duplicates &#x27;10.0.0.0/8&#x27;" in html
    assert "&#x27;300.1.1.1&#x27; is not an IPv4 or IPv6 address" in html
    assert "&#x27;0.0.0.0/1&#x27; is wider than /16" in html
    assert not NetworkZone.objects.filter(name="Office").exists()
    assert not LogEvent.objects.exists()


def test_edit_keeps_type_and_status(super_client):
    zone = ZoneFactory(name="Office", status=ZoneStatus.INACTIVE)
    form = super_client.get(f"/security/networks/{zone.id}/edit").content.decode()
    assert "198.51.100.0/24" in form
    response = super_client.post(
        f"/security/networks/{zone.id}/edit", {"name": "Office 2", "usage": "POLICY", "gateways": "198.51.100.0/25"}
    )
    assert response.status_code == 302
    zone.refresh_from_db()
    assert (zone.name, zone.type, zone.status) == ("Office 2", "IP", ZoneStatus.INACTIVE)
    assert zone.gateways == [cidr("198.51.100.0/25")]


def test_activate_deactivate_and_delete_with_reasons(super_client):
    zone = ZoneFactory(name="Office")
    response = super_client.post(f"/security/networks/{zone.id}/delete", follow=True)
    assert "Office: It is active; deactivate it first." in response.content.decode()
    assert NetworkZone.objects.filter(pk=zone.id).exists()
    super_client.post(f"/security/networks/{zone.id}/deactivate")
    zone.refresh_from_db()
    assert zone.status == ZoneStatus.INACTIVE
    super_client.post(f"/security/networks/{zone.id}/activate")
    zone.refresh_from_db()
    assert zone.status == ZoneStatus.ACTIVE
    super_client.post(f"/security/networks/{zone.id}/deactivate")
    assert super_client.post(f"/security/networks/{zone.id}/delete").status_code == 302
    assert not NetworkZone.objects.filter(pk=zone.id).exists()
    types = list(LogEvent.objects.order_by("id").values_list("event_type", flat=True))
    assert types == ["zone.deactivate", "zone.activate", "zone.deactivate", "zone.delete"]


def test_system_zones_cannot_be_deleted(super_client):
    legacy = NetworkZone.objects.get(name="LegacyIpZone")
    super_client.post(f"/security/networks/{legacy.id}/deactivate")
    response = super_client.post(f"/security/networks/{legacy.id}/delete", follow=True)
    assert "system zones cannot be deleted" in response.content.decode()
    assert NetworkZone.objects.filter(pk=legacy.id).exists()


def test_activating_a_blocklist_holding_my_own_ip_is_refused(super_client):
    zone = BlocklistZoneFactory(gateways=[cidr("127.0.0.0/8")], status=ZoneStatus.INACTIVE)
    response = super_client.post(f"/security/networks/{zone.id}/activate", follow=True)
    assert "contains your own IP address 127.0.0.1" in response.content.decode()
    zone.refresh_from_db()
    assert zone.status == ZoneStatus.INACTIVE


def test_saving_a_blocklist_holding_my_own_ip_is_refused(super_client):
    response = super_client.post(
        "/security/networks/new",
        {"name": "Oops", "type": "IP", "usage": "BLOCKLIST", "gateways": "203.0.113.0/24\n::ffff:127.0.0.1"},
    )
    assert response.status_code == 200
    assert "contains your own IP address 127.0.0.1" in response.content.decode()
    assert not NetworkZone.objects.filter(name="Oops").exists()


def test_test_an_ip_box_shows_zones_and_my_resolved_ip(super_client):
    ZoneFactory(name="Office", gateways=[cidr("10.0.0.0/8")])
    ZoneFactory(name="Old office", gateways=[cidr("10.1.0.0/16")], status=ZoneStatus.INACTIVE)
    BlocklistZoneFactory(name="Bad", gateways=[cidr("10.1.2.0/24")])
    partial = super_client.get(LIST, {"ip": "10.1.2.3"}, HTTP_HX_REQUEST="true")
    html = partial.content.decode()
    assert html.lstrip().startswith('<div id="test-ip-result"')
    assert "Office" in html and "Old office" in html and "Bad" in html and "3 zones" in html
    assert "Requests from it are refused" in html
    assert "data-client-ip>127.0.0.1<" in html
    assert "is in no zone" in super_client.get(LIST, {"ip": "192.0.2.1"}, HTTP_HX_REQUEST="true").content.decode()
    assert "is not an IPv4 or IPv6 address" in super_client.get(LIST, {"ip": "nope"}).content.decode()


def test_dynamic_zone_from_the_console(super_client):
    response = super_client.post(
        "/security/networks/new",
        {
            "name": "Geo",
            "type": "DYNAMIC",
            "usage": "POLICY",
            "locations": "US\nUA-26",
            "asns": "2232, 13335",
            "proxyType": "TorAnonymizer",
        },
    )
    assert response.status_code == 302
    zone = NetworkZone.objects.get(name="Geo")
    assert zone.locations == [{"country": "US", "region": None}, {"country": "UA", "region": "UA-26"}]
    assert zone.asns == ["2232", "13335"] and zone.proxy_type == "TorAnonymizer" and zone.gateways is None
