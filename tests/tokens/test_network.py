"""Network restrictions (docs/decisions/03) against the client IP of the zones issue."""

import pytest
from django.core.exceptions import ValidationError

from syslog.models import LogEvent
from tests.tokens.factories import issue_token, ssws
from tokens import services
from zones.models import NetworkZone, ZoneStatus, ZoneUsage

pytestmark = pytest.mark.django_db
OFFICE_IP, HOME_IP = "198.51.100.7", "203.0.113.9"


@pytest.fixture
def office():
    return NetworkZone.objects.create(name="Office", gateways=[{"type": "CIDR", "value": "198.51.100.0/24"}])


@pytest.fixture
def lab():
    return NetworkZone.objects.create(name="Lab", gateways=[{"type": "CIDR", "value": "192.0.2.0/24"}])


def call(client, value, ip):
    return client.get("/api/v1/org", REMOTE_ADDR=ip, **ssws(value)).status_code


@pytest.mark.parametrize(
    ("network", "office_status", "home_status"),
    [
        ({"connection": "ANYWHERE"}, 200, 200),
        ({"connection": "ZONE", "include": ["ALL_ZONES"]}, 200, 403),
        ({"connection": "ZONE", "include": ["OFFICE"]}, 200, 403),
        ({"connection": "ZONE", "exclude": ["ALL_ZONES"]}, 403, 200),
        ({"connection": "ZONE", "exclude": ["OFFICE"]}, 403, 200),
        ({"connection": "ZONE", "include": ["LAB"]}, 403, 403),
    ],
)
def test_each_option_of_decision_3(client, office, lab, network, office_status, home_status):
    for key in ("include", "exclude"):
        if key in network:
            network[key] = [{"OFFICE": office.id, "LAB": lab.id}.get(z, z) for z in network[key]]
    _, value = issue_token(network=network)
    assert call(client, value, OFFICE_IP) == office_status
    assert call(client, value, HOME_IP) == home_status


def test_refusal_is_403_and_logged_once_a_minute(client, office):
    token, value = issue_token(network={"connection": "ZONE", "include": [office.id]})
    remaining = []
    for _ in range(3):
        response = client.get("/api/v1/org", REMOTE_ADDR=HOME_IP, **ssws(value))
        assert response.status_code == 403 and response.json()["errorCode"] == "E0000006"
        remaining.append(int(response["X-Rate-Limit-Remaining"]))  # counted like any API request
    assert remaining[0] - remaining[2] == 2
    events = LogEvent.objects.filter(event_type="system.api_token.request_outside_allowed_range")
    assert events.count() == 1
    event = events.get()
    assert event.client_ip == HOME_IP
    assert event.data["target"][0]["id"] == token.id
    token.refresh_from_db()
    assert token.last_used is None  # docs/decisions/04: a refused request does not keep the token alive


def test_zone_edits_and_deactivation_apply_on_the_next_request(client, office):
    _, value = issue_token(network={"connection": "ZONE", "include": [office.id]})
    assert call(client, value, OFFICE_IP) == 200
    office.status = ZoneStatus.INACTIVE
    office.save()
    assert call(client, value, OFFICE_IP) == 403  # an inactive zone matches nothing
    office.status = ZoneStatus.ACTIVE
    office.gateways = [{"type": "CIDR", "value": "203.0.113.0/24"}]
    office.save()
    assert call(client, value, HOME_IP) == 200


@pytest.mark.parametrize(
    "bad",
    [
        {"connection": "SOMEWHERE"},
        {"connection": "ZONE"},
        {"connection": "ZONE", "include": ["nzoDoesNotExist00000"]},
        {"connection": "ZONE", "include": "ALL_ZONES"},
        {"connection": "ZONE", "include": ["BLOCK"]},
    ],
)
def test_bad_conditions_are_refused(office, bad):
    block = NetworkZone.objects.create(
        name="Block", usage=ZoneUsage.BLOCKLIST, gateways=[{"type": "CIDR", "value": "192.0.2.0/24"}]
    )
    if isinstance(bad.get("include"), list):
        bad["include"] = [block.id if z == "BLOCK" else z for z in bad["include"]]
    with pytest.raises(ValidationError):
        issue_token(network=bad)


def test_a_zone_used_by_a_token_stops_counting_once_the_token_is_revoked(office):
    token, _ = issue_token(network={"connection": "ZONE", "include": [office.id]})
    assert office.tokens_using()
    services.token_revoke(token=token)
    assert not office.tokens_using()
