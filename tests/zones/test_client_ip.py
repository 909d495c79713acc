"""The client IP nobody can spoof, and the blocklist that refuses it everywhere."""

import json

import pytest
from django.core.management import call_command
from django.test import Client

from syslog.models import LogEvent
from tests.zones.factories import BlocklistZoneFactory, ZoneFactory, cidr
from zones.client_ip import UnparsableForwardedFor, parse_ip, resolve_client_ip
from zones.models import ZoneStatus

pytestmark = pytest.mark.django_db


def trusted(*networks):
    import ipaddress

    nets = [ipaddress.ip_network(n) for n in networks]
    return lambda ip: any(ip.version == n.version and ip in n for n in nets)


def test_untrusted_peer_cannot_choose_its_ip():
    assert resolve_client_ip("198.51.100.7", "1.2.3.4", trusted("10.0.0.0/16")) == "198.51.100.7"


def test_walks_right_to_left_through_trusted_proxies_only():
    is_proxy = trusted("10.0.0.0/16", "192.0.2.0/24")
    # client 203.0.113.9 -> proxy 192.0.2.5 -> load balancer 10.0.0.2 (the peer); a spoofed first hop is ignored
    assert resolve_client_ip("10.0.0.2", "6.6.6.6, 203.0.113.9, 192.0.2.5", is_proxy) == "203.0.113.9"
    # a chain that reaches an untrusted hop stops there, even if more hops follow to its left
    assert resolve_client_ip("10.0.0.2", "6.6.6.6, 203.0.113.9", is_proxy) == "203.0.113.9"
    # garbage from a trusted proxy is refused (test_an_unparsable_hop_from_a_trusted_proxy_is_refused)
    # every hop trusted: the leftmost one
    assert resolve_client_ip("10.0.0.2", "192.0.2.1, 10.0.0.9", is_proxy) == "192.0.2.1"


def test_ipv6_and_ipv4_mapped_addresses():
    assert resolve_client_ip("::ffff:198.51.100.7", None, trusted()) == "198.51.100.7"
    assert resolve_client_ip("2001:db8::1", "2001:db8:9::5", trusted("2001:db8::/48")) == "2001:db8:9::5"
    assert resolve_client_ip("::ffff:10.0.0.2", "[2001:db8::7]:443", trusted("10.0.0.0/16")) == "2001:db8::7"
    assert str(parse_ip("198.51.100.7:8080")) == "198.51.100.7"


@pytest.mark.parametrize("hop", ["not-an-ip", "203.000.113.005", "unknown", "1.2.3.4.5", "%eth0"])
def test_an_unparsable_hop_from_a_trusted_proxy_is_refused(hop):
    """Issue 16.5: stopping at the proxy would make the proxy itself the client (its zone, its buckets)."""
    with pytest.raises(UnparsableForwardedFor):
        resolve_client_ip("10.0.0.2", f"198.51.100.7, {hop}", trusted("10.0.0.0/16"))
    # an untrusted peer's header is never read, so its garbage is nobody's business
    assert resolve_client_ip("198.51.100.9", hop, trusted("10.0.0.0/16")) == "198.51.100.9"


def test_scoped_ipv6_hops_lose_their_scope_and_lengths_are_bounded():
    is_proxy = trusted("10.0.0.0/16")
    assert resolve_client_ip("10.0.0.2", "2001:db8::5%" + "e" * 100, is_proxy) == "2001:db8::5"
    assert resolve_client_ip("10.0.0.2", "[fe80::1%eth0]:443", is_proxy) == "fe80::1"
    with pytest.raises(UnparsableForwardedFor):
        resolve_client_ip("10.0.0.2", "1" * 5000, is_proxy)


@pytest.mark.parametrize("hop", ["203.000.113.005", "unknown"])
def test_api_and_console_answer_400_to_an_unparsable_hop(super_client, settings, hop):
    settings.TRUSTED_PROXIES = ["10.0.0.0/16"]
    api = super_client.get("/api/v1/zones", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR=hop)
    assert api.status_code == 400
    assert api.json()["errorCode"] == "E0000001" and "X-Forwarded-For" in api.json()["errorSummary"]
    page = super_client.get("/security/networks/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR=hop)
    assert page.status_code == 400 and page["Content-Type"].startswith("text/html")
    assert not LogEvent.objects.filter(client_ip="10.0.0.2").exists()


def test_a_scoped_hop_from_a_trusted_proxy_is_served_and_recorded(super_client, settings):
    settings.TRUSTED_PROXIES = ["10.0.0.0/16"]
    body = {"type": "IP", "name": "new", "gateways": [cidr("192.0.2.0/24")]}
    response = super_client.post(
        "/api/v1/zones",
        data=json.dumps(body),
        content_type="application/json",
        REMOTE_ADDR="10.0.0.2",
        HTTP_X_FORWARDED_FOR="2001:db8::5%" + "x" * 100,
    )
    assert response.status_code == 200
    assert LogEvent.objects.get(event_type="zone.create").client_ip == "2001:db8::5"


def _whoami(client: Client, **headers):
    """The resolved client IP, as the console's "test an IP" box shows it."""
    response = client.get("/security/networks/", **headers)
    text = response.content.decode()
    return text.split("data-client-ip>", 1)[1].split("<", 1)[0]


def test_spoofed_forwarded_for_from_an_untrusted_client_is_ignored(super_client):
    assert _whoami(super_client, REMOTE_ADDR="198.51.100.7", HTTP_X_FORWARDED_FOR="10.0.0.1") == "198.51.100.7"


def test_chain_through_settings_and_zone_proxies(super_client, settings):
    settings.TRUSTED_PROXIES = ["10.0.0.0/16"]
    ZoneFactory(gateways=None, proxies=[cidr("192.0.2.0/24")])
    seen = _whoami(super_client, REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.9, 192.0.2.5")
    assert seen == "203.0.113.9"


def test_width_cap_keeps_a_huge_trusted_proxy_from_counting(super_client, settings):
    settings.TRUSTED_PROXIES = ["0.0.0.0/0", "::/0"]
    assert _whoami(super_client, REMOTE_ADDR="198.51.100.7", HTTP_X_FORWARDED_FOR="10.0.0.1") == "198.51.100.7"
    assert _whoami(super_client, REMOTE_ADDR="2001:db8::1", HTTP_X_FORWARDED_FOR="10.0.0.1") == "2001:db8::1"


def test_trusted_proxies_system_check(settings):
    from zones.checks import trusted_proxies_check

    settings.TRUSTED_PROXIES = ["10.0.0.0/16", "2001:db8::/48", "10.0.0.0/15", "2001:db8::/47", "x"]
    assert [e.id for e in trusted_proxies_check()] == ["zones.E002", "zones.E002", "zones.E001"]


def test_the_event_carries_the_resolved_ip_and_zone_name(super_client, settings):
    settings.TRUSTED_PROXIES = ["10.0.0.0/16"]
    ZoneFactory(name="Office", gateways=[cidr("203.0.113.0/24")])
    body = {"type": "IP", "name": "new", "gateways": [cidr("192.0.2.0/24")]}
    response = super_client.post(
        "/api/v1/zones",
        data=json.dumps(body),
        content_type="application/json",
        REMOTE_ADDR="10.0.0.2",
        HTTP_X_FORWARDED_FOR="1.1.1.1, 203.0.113.9",
    )
    assert response.status_code == 200
    client = LogEvent.objects.get(event_type="zone.create").data["client"]
    assert client["ipAddress"] == "203.0.113.9" and client["zone"] == "Office"


def test_blocklist_refuses_api_console_and_sign_in(client, super_client):
    BlocklistZoneFactory(gateways=[cidr("203.0.113.0/24"), cidr("2001:db8:bad::/48")])
    api = super_client.get("/api/v1/zones", REMOTE_ADDR="203.0.113.9")
    assert api.status_code == 403 and api.json()["errorCode"] == "E0000006"
    page = super_client.get("/security/networks/", REMOTE_ADDR="203.0.113.9")
    assert page.status_code == 403 and b"Access refused" in page.content
    signin = client.post("/signin", {"username": "a@example.com", "password": "x"}, REMOTE_ADDR="::ffff:203.0.113.1")
    assert signin.status_code == 403
    assert client.get("/signin", REMOTE_ADDR="2001:db8:bad::1").status_code == 403
    assert client.get("/healthz", REMOTE_ADDR="203.0.113.9").status_code == 200  # docs/decisions/17
    assert super_client.get("/api/v1/zones", REMOTE_ADDR="198.51.100.1").status_code == 200


def test_blocked_requests_are_recorded_once_per_ip_per_minute(client):
    BlocklistZoneFactory(gateways=[cidr("203.0.113.0/24")])
    for _ in range(3):
        client.get("/signin", REMOTE_ADDR="203.0.113.9")
    client.get("/signin", REMOTE_ADDR="203.0.113.10")
    blocked = LogEvent.objects.filter(event_type="security.request.blocked")
    assert sorted(blocked.values_list("client_ip", flat=True)) == ["203.0.113.10", "203.0.113.9"]
    assert {e.outcome_result for e in blocked} == {"DENY"}


def test_an_inactive_blocklist_blocks_nothing(client):
    BlocklistZoneFactory(gateways=[cidr("203.0.113.0/24")], status=ZoneStatus.INACTIVE)
    assert client.get("/signin", REMOTE_ADDR="203.0.113.9").status_code == 200


def test_a_blocklist_seen_through_a_trusted_proxy(client, settings):
    settings.TRUSTED_PROXIES = ["10.0.0.0/16"]
    BlocklistZoneFactory(gateways=[cidr("203.0.113.0/24")])
    assert client.get("/signin", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="203.0.113.9").status_code == 403
    # the blocked address cannot hide behind a forwarded header from an untrusted peer, nor use one to frame others
    assert client.get("/signin", REMOTE_ADDR="198.51.100.7", HTTP_X_FORWARDED_FOR="203.0.113.9").status_code == 200


def test_zone_deactivate_command_undoes_a_lockout(client):
    zone = BlocklistZoneFactory(name="Lockout", gateways=[cidr("127.0.0.0/8")])
    assert client.get("/signin").status_code == 403
    call_command("zone_deactivate", "Lockout")
    assert client.get("/signin").status_code == 200
    zone.refresh_from_db()
    assert zone.status == ZoneStatus.INACTIVE
    event = LogEvent.objects.get(event_type="zone.deactivate").data
    assert event["actor"]["type"] == "SystemPrincipal" and event["transaction"]["type"] == "JOB"


def test_zone_deactivate_command_by_id_and_unknown(capsys):
    from django.core.management.base import CommandError

    zone = ZoneFactory()
    call_command("zone_deactivate", zone.id)
    zone.refresh_from_db()
    assert zone.status == ZoneStatus.INACTIVE
    with pytest.raises(CommandError):
        call_command("zone_deactivate", "no such zone")


def test_client_ip_and_blocklist_cost_no_query_once_the_index_is_built(rf, django_assert_num_queries, settings):
    from django.http import HttpResponse

    from zones import matching
    from zones.middleware import Blocklist, ClientIP

    settings.ZONE_INDEX_CHECK_SECONDS = 1.0
    ZoneFactory(name="Office", gateways=[cidr("198.51.100.0/24")])
    BlocklistZoneFactory(gateways=[cidr("203.0.113.0/24")])
    matching.current_index()
    pipeline = ClientIP(Blocklist(lambda request: HttpResponse("ok")))
    with django_assert_num_queries(0):
        for _ in range(50):
            request = rf.get("/security/networks/", REMOTE_ADDR="198.51.100.7")
            assert pipeline(request).status_code == 200
            assert request.client_ip == "198.51.100.7" and request.client_zone_name == "Office"
