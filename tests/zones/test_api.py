"""/api/v1/zones exactly as docs/okta-contract.md §3: every operation, its errors and its events."""

import json

import pytest

from syslog.models import LogEvent
from tests.accounts.factories import UserFactory
from tests.api.test_conventions import assert_okta_error
from tests.conftest import client_for
from tests.zones.factories import BlocklistZoneFactory, DynamicZoneFactory, ZoneFactory, cidr, rng
from zones.models import NetworkZone, ZoneStatus, ZoneUsage

pytestmark = pytest.mark.django_db
URL = "/api/v1/zones"
KEY_ORDER = ["type", "id", "name", "status", "usage", "created", "lastUpdated", "system"]


def post(client, body, url=URL):
    return client.post(url, data=json.dumps(body), content_type="application/json")


def put(client, url, body):
    return client.put(url, data=json.dumps(body), content_type="application/json")


def events(*types):
    return list(LogEvent.objects.filter(event_type__in=types).order_by("id").values_list("event_type", flat=True))


def test_create_returns_200_active_zone_in_okta_shape_and_logs(super_client):
    body = {
        "type": "IP",
        "name": "office",
        "status": "INACTIVE",
        "gateways": [rng("2.3.4.5-2.3.4.15"), cidr("1.2.3.4/24"), rng("9.9.9.9")],
        "proxies": [cidr("2.2.3.4/24")],
    }
    response = post(super_client, body)
    assert response.status_code == 200, response.content
    zone = response.json()
    assert list(zone)[:8] == KEY_ORDER and list(zone)[-1] == "_links"
    assert zone["status"] == "ACTIVE"  # POST ignores status, as real Okta does
    assert zone["usage"] == "POLICY" and zone["system"] is False
    assert zone["id"].startswith("nzo") and len(zone["id"]) == 20
    assert zone["gateways"] == [rng("2.3.4.5-2.3.4.15"), cidr("1.2.3.4/24"), rng("9.9.9.9-9.9.9.9")]
    assert zone["proxies"] == [cidr("2.2.3.4/24")]
    assert zone["created"].endswith("Z") and len(zone["created"]) == 24
    assert set(zone["_links"]) == {"self", "deactivate"}
    assert zone["_links"]["self"]["href"] == f"http://testserver/api/v1/zones/{zone['id']}"
    assert zone["_links"]["self"]["hints"]["allow"] == ["GET", "PUT", "DELETE"]
    assert events("zone.create") == ["zone.create"]
    event = LogEvent.objects.get(event_type="zone.create").data
    assert event["target"][0]["id"] == zone["id"] and event["target"][0]["type"] == "NetworkZone"


def test_bad_entries_give_one_cause_each_and_change_nothing(super_client):
    before = NetworkZone.objects.count()
    body = {
        "type": "IP",
        "name": "bad",
        "gateways": [
            cidr("10.0.0.0/33"),
            rng("10.0.0.9-10.0.0.1"),
            cidr("10.1.0.0/16"),
            rng("10.1.0.0-10.1.255.255"),
            {"type": "HOST", "value": "1.1.1.1"},
        ],
        "proxies": [cidr("0.0.0.0/0")],
    }
    body_json = assert_okta_error(post(super_client, body), 400, "E0000001")
    causes = [c["errorSummary"] for c in body_json["errorCauses"]]
    assert len(causes) == 5, causes
    assert any("'10.0.0.0/33'" in c for c in causes)
    assert any("'10.0.0.9-10.0.0.1'" in c and "ends before it starts" in c for c in causes)
    assert any("duplicates" in c and "'10.1.0.0-10.1.255.255'" in c for c in causes)
    assert any("'HOST'" in c for c in causes)
    assert any(c.startswith("proxies:") and "wider than /16" in c for c in causes)
    assert NetworkZone.objects.count() == before
    assert not LogEvent.objects.exists()


def test_malformed_json_is_e0000003(super_client):
    response = super_client.post(URL, data="{not json", content_type="application/json")
    assert_okta_error(response, 400, "E0000003")


def test_missing_type_or_name_or_entries_is_e0000001(super_client):
    body = assert_okta_error(post(super_client, {"gateways": [cidr("10.0.0.0/8")]}), 400, "E0000001")
    assert {c["errorSummary"].split(":")[0] for c in body["errorCauses"]} == {"name", "type"}
    assert_okta_error(post(super_client, {"type": "IP", "name": "empty"}), 400, "E0000001")
    assert_okta_error(post(super_client, {"type": "NOPE", "name": "x", "gateways": []}), 400, "E0000001")
    as_text = assert_okta_error(
        post(super_client, {"type": "IP", "name": "t", "gateways": "10.0.0.0/8"}), 400, "E0000001"
    )
    assert as_text["errorCauses"][0]["errorSummary"] == "gateways: must be a list of {type, value} entries"


def test_entry_caps_150_policy_and_1000_blocklist(super_client):
    many = [cidr(f"10.{i // 256}.{i % 256}.0/24") for i in range(151)]
    body = assert_okta_error(post(super_client, {"type": "IP", "name": "big", "gateways": many}), 400, "E0000001")
    assert "at most 150" in body["errorCauses"][0]["errorSummary"]
    ok = post(super_client, {"type": "IP", "name": "big-block", "usage": "BLOCKLIST", "gateways": many})
    assert ok.status_code == 200
    too_many = [cidr(f"10.{i // 256}.{i % 256}.0/24") for i in range(1001)]
    assert_okta_error(
        post(super_client, {"type": "IP", "name": "huge", "usage": "BLOCKLIST", "gateways": too_many}), 400, "E0000001"
    )


def test_blocklist_zones_cannot_have_proxies(super_client):
    body = {
        "type": "IP",
        "name": "b",
        "usage": "BLOCKLIST",
        "gateways": [cidr("203.0.113.0/24")],
        "proxies": [cidr("198.51.100.1/32")],
    }
    causes = assert_okta_error(post(super_client, body), 400, "E0000001")["errorCauses"]
    assert causes == [{"errorSummary": "proxies: A blocklist zone cannot have proxies."}]


def test_creating_a_blocklist_logs_the_blacklist_events(super_client):
    body = {"type": "IP", "name": "bad actors", "usage": "BLOCKLIST", "gateways": [cidr("203.0.113.0/24")]}
    assert post(super_client, body).status_code == 200
    assert events("zone.create", "zone.make_blacklist", "security.zone.make_blacklist") == [
        "zone.create",
        "zone.make_blacklist",
        "security.zone.make_blacklist",
    ]
    added = LogEvent.objects.get(event_type="security.zone.make_blacklist").data["debugContext"]["debugData"]
    assert added["addedIps"] == ["203.0.113.0/24"]


def test_a_blocklist_holding_the_admins_own_ip_is_refused(super_client):
    body = {"type": "IP", "name": "oops", "usage": "BLOCKLIST", "gateways": [cidr("127.0.0.0/8")]}
    causes = assert_okta_error(post(super_client, body), 400, "E0000001")["errorCauses"]
    assert "your own IP address 127.0.0.1" in causes[0]["errorSummary"]
    assert not NetworkZone.objects.filter(name="oops").exists()


def test_get_and_404_form(super_client):
    zone = ZoneFactory()
    assert super_client.get(f"{URL}/{zone.id}").json()["id"] == zone.id
    body = assert_okta_error(super_client.get(f"{URL}/nzoMissing0000000000"), 404, "E0000007")
    assert body["errorSummary"] == "Not found: Resource not found: nzoMissing0000000000 (NetworkZone)"
    for method in ("put", "delete"):
        assert getattr(super_client, method)(f"{URL}/nzoMissing0000000000").status_code == 404
    assert post(super_client, {}, f"{URL}/nzoMissing0000000000/lifecycle/activate").status_code == 404


def test_list_pages_with_after_and_limit_default_20(super_client):
    for _ in range(23):
        ZoneFactory()
    first = super_client.get(URL)
    assert first.status_code == 200 and len(first.json()) == 20
    links = [v for k, v in first.items() if k == "Link"]
    assert links[0] == '<http://testserver/api/v1/zones?limit=20>; rel="self"'
    assert links[-1].endswith('rel="next"') and "limit=20" in links[-1] and "after=" in links[-1]
    next_url = links[-1][1 : links[-1].index(">")]
    rest = super_client.get(next_url).json()
    total = NetworkZone.objects.count()
    assert len(rest) == total - 20
    assert {z["id"] for z in first.json()}.isdisjoint({z["id"] for z in rest})
    assert len(super_client.get(URL, {"limit": 5}).json()) == 5


def test_limit_minus_one_is_oktas_everything_and_other_negatives_are_refused(super_client):
    for _ in range(23):
        ZoneFactory()
    everything = super_client.get(URL, {"limit": -1})
    assert everything.status_code == 200 and len(everything.json()) == NetworkZone.objects.count()
    assert not any(v.endswith('rel="next"') for k, v in everything.items() if k == "Link")
    for bad in (0, -2):
        refused = super_client.get(URL, {"limit": bad})
        assert refused.status_code == 400 and refused.json()["errorCode"] == "E0000001"


def test_list_filter_on_usage_system_and_id(super_client):
    a, b = ZoneFactory(), ZoneFactory()
    block = BlocklistZoneFactory()
    usage = super_client.get(URL, {"filter": 'usage eq "BLOCKLIST"'}).json()
    assert {z["name"] for z in usage} == {block.name, "BlockedIpZone"}
    system = super_client.get(URL, {"filter": "system eq true"}).json()
    assert {z["name"] for z in system} == {"LegacyIpZone", "BlockedIpZone"}
    ids = super_client.get(URL, {"filter": f'(id eq "{a.id}" or id eq "{b.id}")'}).json()
    assert {z["id"] for z in ids} == {a.id, b.id}
    both = super_client.get(URL, {"filter": 'usage eq "POLICY" and system eq false'}).json()
    assert {z["id"] for z in both} == {a.id, b.id}
    assert_okta_error(super_client.get(URL, {"filter": 'name eq "x"'}), 400, "E0000031")
    assert_okta_error(super_client.get(URL, {"filter": "usage eq"}), 400, "E0000031")


def test_put_is_a_full_replace_ignoring_read_only_fields(super_client):
    zone = ZoneFactory(gateways=[cidr("10.0.0.0/8")], proxies=[cidr("10.9.0.0/16")])
    current = super_client.get(f"{URL}/{zone.id}").json()
    sent = {
        **current,
        "name": "renamed",
        "gateways": [cidr("10.1.0.0/16")],
        "id": "nzoFORGED",
        "system": True,
        "created": "2001-01-01T00:00:00.000Z",
    }
    del sent["proxies"]
    response = put(super_client, f"{URL}/{zone.id}", sent)
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["id"] == zone.id and body["system"] is False and body["created"] == current["created"]
    assert body["name"] == "renamed" and body["gateways"] == [cidr("10.1.0.0/16")]
    assert body["proxies"] is None  # omitted -> null
    assert body["lastUpdated"] >= current["lastUpdated"]
    event = LogEvent.objects.get(event_type="zone.update").data
    changes = event["target"][0]["changeDetails"]
    assert (changes["from"]["name"], changes["to"]["name"]) == (zone.name, "renamed")


def test_put_applies_status_and_refuses_a_type_change(super_client):
    zone = ZoneFactory()
    body = {"type": "IP", "name": zone.name, "status": "INACTIVE", "gateways": zone.gateways}
    assert put(super_client, f"{URL}/{zone.id}", body).json()["status"] == "INACTIVE"
    assert events("zone.deactivate") == ["zone.deactivate"]
    wrong = assert_okta_error(put(super_client, f"{URL}/{zone.id}", {**body, "type": "DYNAMIC"}), 400, "E0000001")
    assert wrong["errorCauses"][0]["errorSummary"].startswith("type:")


def test_put_changing_usage_logs_make_and_remove_blacklist(super_client):
    zone = ZoneFactory(gateways=[cidr("203.0.113.0/24")])
    body = {"type": "IP", "name": zone.name, "usage": "BLOCKLIST", "gateways": zone.gateways}
    assert put(super_client, f"{URL}/{zone.id}", body).status_code == 200
    body["usage"] = "POLICY"
    assert put(super_client, f"{URL}/{zone.id}", body).status_code == 200
    assert events(
        "zone.make_blacklist", "zone.remove_blacklist", "security.zone.make_blacklist", "security.zone.remove_blacklist"
    ) == [
        "zone.make_blacklist",
        "security.zone.make_blacklist",
        "zone.remove_blacklist",
        "security.zone.remove_blacklist",
    ]


def test_lifecycle_activate_and_deactivate(super_client):
    zone = ZoneFactory()
    off = post(super_client, {}, f"{URL}/{zone.id}/lifecycle/deactivate")
    assert off.status_code == 200 and off.json()["status"] == "INACTIVE"
    assert set(off.json()["_links"]) == {"self", "activate"}
    on = post(super_client, {}, f"{URL}/{zone.id}/lifecycle/activate")
    assert on.status_code == 200 and on.json()["status"] == "ACTIVE"
    assert events("zone.activate", "zone.deactivate") == ["zone.deactivate", "zone.activate"]
    assert_okta_error(super_client.get(f"{URL}/{zone.id}/lifecycle/activate"), 405, "E0000022")


def test_delete_204_only_when_inactive_and_not_system(super_client):
    zone = ZoneFactory()
    refused = assert_okta_error(super_client.delete(f"{URL}/{zone.id}"), 400, "E0000001")
    assert "deactivate it first" in refused["errorCauses"][0]["errorSummary"]
    legacy = NetworkZone.objects.get(name="LegacyIpZone")
    causes = assert_okta_error(super_client.delete(f"{URL}/{legacy.id}"), 400, "E0000001")["errorCauses"]
    assert any("system zone" in c["errorSummary"] for c in causes)
    zone.status = ZoneStatus.INACTIVE
    zone.save()
    response = super_client.delete(f"{URL}/{zone.id}")
    assert response.status_code == 204 and response.content == b""
    assert not NetworkZone.objects.filter(pk=zone.id).exists()
    assert events("zone.delete") == ["zone.delete"]


def test_dynamic_zones_keep_okta_shapes(super_client):
    body = {
        "type": "DYNAMIC",
        "name": "geo",
        "locations": [{"country": "UA", "region": "UA-26"}, {"country": "US", "region": None}],
        "proxyType": "TorAnonymizer",
        "asns": ["2232"],
    }
    zone = post(super_client, body).json()
    assert zone["locations"] == body["locations"] and zone["asns"] == ["2232"]
    assert zone["proxyType"] == "TorAnonymizer" and "gateways" not in zone
    no_asns = post(super_client, {"type": "DYNAMIC", "name": "geo2", "locations": [{"country": "FR", "region": None}]})
    assert "asns" not in no_asns.json()
    bad = {"type": "DYNAMIC", "name": "geo3", "locations": [{"country": "usa"}], "asns": ["AS12"]}
    assert len(assert_okta_error(post(super_client, bad), 400, "E0000001")["errorCauses"]) == 2
    v2 = {"type": "DYNAMIC_V2", "name": "edz", "ipServiceCategories": {"include": ["ALL_IP_SERVICES"]}, "asns": {}}
    created = post(super_client, v2).json()
    assert created["ipServiceCategories"] == {"include": ["ALL_IP_SERVICES"], "exclude": []}
    assert created["asns"] == {"include": [], "exclude": []}
    assert created["locations"] == {"include": [], "exclude": []}


def test_dynamic_zones_never_count_for_token_policy():
    zone = DynamicZoneFactory()
    assert zone.id not in NetworkZone.objects.token_eligible().values_list("id", flat=True)


def test_read_only_admin_reads_but_cannot_write(db):
    client = client_for(UserFactory(roles=["READ_ONLY_ADMIN"]))
    zone = ZoneFactory()
    assert client.get(URL).status_code == 200
    assert_okta_error(post(client, {"type": "IP", "name": "x", "gateways": [cidr("10.0.0.0/8")]}), 403, "E0000006")
    assert_okta_error(client.delete(f"{URL}/{zone.id}"), 403, "E0000006")
    assert NetworkZone.objects.filter(pk=zone.id, usage=ZoneUsage.POLICY).exists()
