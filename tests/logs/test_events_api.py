"""GET /api/v1/events: Okta's deprecated v1 Events shape, its parameters, the polling feed's links,
its errors, and API token events with the seed help page's message and category."""

from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
import time_machine
from django.utils import timezone

from accounts.roles import RoleType
from syslog.events import Party, record
from syslog.models import LogEvent
from tests.accounts.factories import UserFactory
from tests.logs.test_logs_api import ALICE, BOB, TOKEN, links
from tests.openapi_conformance import assert_conforms
from tests.tokens.factories import issue_token, ssws

pytestmark = pytest.mark.django_db
URL = "/api/v1/events"
ZONE = Party("nzoZone0000000000000", "Zone", None, "office")


def get(client, **params):
    return client.get(URL, params)


def query(url: str) -> dict[str, list[str]]:
    return parse_qs(urlsplit(url).query)


@pytest.fixture
def events():
    """Ten API token events a minute apart (the newest a minute ago) and events without a legacy type."""
    now = timezone.now()
    made = []
    for minutes in range(10, 0, -1):
        actor = ALICE if minutes % 2 else BOB
        kind = "system.api_token.create" if minutes % 3 else "system.api_token.revoke"
        made.append(record(kind, actor=actor, targets=[TOKEN, ALICE], published=now - timedelta(minutes=minutes)))
        record("zone.update", actor=actor, targets=[ZONE], published=now - timedelta(minutes=minutes))
    return made


def uuids(response) -> list[str]:
    return [e["eventId"] for e in response.json()]


def test_an_api_token_revoked_through_the_api_is_one_v1_event(client, super_admin):
    token, _ = issue_token(owner=super_admin, name="ci token")
    _, value = issue_token(owner=super_admin, name="admin token")
    revoked = client.delete(f"/api/v1/api-tokens/{token.id}", HTTP_USER_AGENT="okta-sdk-python/3.4.6", **ssws(value))
    assert revoked.status_code == 204
    logged = LogEvent.objects.get(event_type="system.api_token.revoke")
    with time_machine.travel(timezone.now() + timedelta(seconds=3)):  # past the settle margin
        response = client.get(URL, {"filter": 'action.objectType eq "api.token.revoke"'}, **ssws(value))
    assert response.status_code == 200, response.content
    assert_conforms(response, "GET", URL)
    assert response.json() == [
        {
            "eventId": str(logged.uuid),  # the same id as in /api/v1/logs
            "published": logged.data["published"],
            "requestId": revoked["X-Okta-Request-Id"],
            "sessionId": None,
            "action": {
                "message": "API token revoked",
                "categories": ["Token lifecycle"],
                "objectType": "api.token.revoke",
                "requestUri": f"/api/v1/api-tokens/{token.id}",
            },
            "actors": [
                {
                    "id": super_admin.id,
                    "displayName": logged.data["actor"]["displayName"],
                    "objectType": "User",
                    "login": super_admin.login,
                },
                {
                    "id": "okta-sdk-python/3.4.6",
                    "displayName": "UNKNOWN",
                    "ipAddress": "127.0.0.1",
                    "objectType": "Client",
                },
            ],
            "targets": [
                {"id": token.id, "displayName": "ci token", "objectType": "Token"},
                {
                    "id": super_admin.id,
                    "displayName": logged.data["actor"]["displayName"],
                    "objectType": "User",
                    "login": super_admin.login,
                },
            ],
        }
    ]
    assert logged.data["displayMessage"] == "Revoke API token"  # the System Log v2 keeps Okta's catalogue wording


def test_token_creation_says_api_token_created_and_a_job_has_no_client(super_client, events):
    created = [e for e in get(super_client).json() if e["action"]["objectType"] == "api.token.create"]
    assert len(created) == 7
    assert {(e["action"]["message"], tuple(e["action"]["categories"])) for e in created} == {
        ("API token created", ("Token lifecycle",))
    }
    assert all([a["objectType"] for a in e["actors"]] == ["User"] for e in created)  # recorded without a request


def test_only_events_with_a_legacy_type_are_listed(super_client, events):
    response = get(super_client)
    assert uuids(response) == [str(e.uuid) for e in events]  # the zone events have no legacy type
    assert LogEvent.objects.count() == 20


@pytest.mark.parametrize(
    ("event_type", "message", "categories"),
    [
        ("user.session.start", "Sign-in successful", ["Sign-in Success"]),
        ("user.lifecycle.create", "Okta user created", ["User Creation"]),
        ("user.lifecycle.deactivate", "Deactivate Okta user", ["User Deactivation"]),
        ("user.lifecycle.reactivate", "Reactivate Okta user", ["User Activation"]),
        ("user.session.end", "User logout from Okta", []),
        ("user.account.privilege.grant", "Grant user privilege", []),
    ],
)
def test_user_events_message_and_categories(super_client, event_type, message, categories):
    record(event_type, actor=ALICE, targets=[BOB], published=timezone.now() - timedelta(minutes=1))
    (event,) = get(super_client).json()
    assert (event["action"]["message"], event["action"]["categories"]) == (message, categories)
    assert event["targets"] == [{"id": BOB.id, "displayName": "Bob", "objectType": "User", "login": BOB.alternate_id}]


def test_start_date_defaults_to_an_hour_ago_unless_a_filter_or_after_is_given(super_client, events):
    old = record("system.api_token.create", actor=ALICE, published=timezone.now() - timedelta(hours=2))
    assert str(old.uuid) not in uuids(get(super_client))
    earlier = (timezone.now() - timedelta(hours=3)).isoformat()
    assert uuids(get(super_client, startDate=earlier))[0] == str(old.uuid)
    assert uuids(get(super_client, filter=f'actor.id eq "{ALICE.id}"'))[0] == str(old.uuid)  # retention window
    later = (timezone.now() - timedelta(minutes=5, seconds=30)).isoformat()
    assert uuids(get(super_client, startDate=later)) == [str(e.uuid) for e in events[5:]]
    assert get(super_client, startDate="yesterday").json()["errorCode"] == "E0000001"


def test_filters(super_client, events):
    def count(expression):
        response = get(super_client, filter=expression)
        assert response.status_code == 200, response.content
        return len(response.json())

    third = events[3].data["published"]  # shown to the millisecond; stored to the microsecond
    assert count('action.objectType eq "api.token.revoke"') == 3
    assert count('action.objectType eq "zone.update"') == 0  # an event type, not a legacy type
    assert count(f'actor.id eq "{BOB.id}"') == 5
    assert count(f'target.id eq "{ALICE.id}"') == 10 and count(f'target.id eq "{ZONE.id}"') == 0
    assert count('target.objectType eq "Token"') == 10
    assert count(f'published gt "{third}"') == 6
    assert count(f'published lt "{third}"') == 3
    assert count(f'published eq "{third}"') == 1
    assert count(f'published gt "{third}" and action.objectType eq "api.token.create"') == 4
    assert count(f'actor.id eq "{BOB.id}" or action.objectType eq "api.token.revoke"') == 7
    assert count(f'not (actor.id eq "{BOB.id}")') == 5


@pytest.mark.parametrize(
    ("expression", "status", "code"),
    [
        ('eventType eq "system.api_token.create"', 400, "E0000031"),  # a System Log v2 attribute
        ('action.objectType co "token"', 400, "E0000031"),
        ('published ge "2026-01-01T00:00:00.000Z"', 400, "E0000053"),
        ('published gt "2026-01-01T00:00:00.000Z" and', 400, "E0000053"),
        ('(actor.id eq "x"', 400, "E0000053"),
        ('published gt "last week"', 400, "E0000001"),
    ],
)
def test_bad_filters_are_okta_errors(super_client, expression, status, code):
    response = get(super_client, filter=expression)
    assert (response.status_code, response.json()["errorCode"]) == (status, code)
    assert_conforms(response, "GET", URL)


def test_paging_with_after_repeats_nothing_and_next_is_always_there(super_client, events):
    start = (timezone.now() - timedelta(minutes=30)).isoformat()
    params = {"startDate": start, "filter": 'target.objectType eq "Token"', "limit": "3"}
    seen, response = [], get(super_client, **params)
    for _ in range(5):
        seen += uuids(response)
        nxt = links(response)["next"]
        assert {k: v[0] for k, v in query(nxt).items() if k != "after"} == params  # every parameter repeats
        assert nxt.startswith("http://testserver/api/v1/events?")
        response = super_client.get(nxt.replace("http://testserver", ""))
    assert seen == [str(e.uuid) for e in events]  # in order, each once; the last pages were empty
    assert response.json() == [] and query(links(response)["next"])["after"] == query(nxt)["after"]
    record("system.api_token.revoke", actor=ALICE, targets=[TOKEN], published=timezone.now() - timedelta(seconds=5))
    newer = super_client.get(links(response)["next"].replace("http://testserver", ""))
    assert len(newer.json()) == 1  # the feed picks up what was recorded since


def test_polling_leaves_out_events_inside_the_settle_margin(super_client, events):
    record("system.api_token.create", actor=ALICE, targets=[TOKEN])  # published just now
    assert len(get(super_client).json()) == 10


def test_limit_bounds(super_client, events):
    assert len(get(super_client, limit="4").json()) == 4
    empty = get(super_client, limit="0")
    assert empty.status_code == 200 and empty.json() == [] and "next" in links(empty)
    assert len(get(super_client, limit="1000").json()) == 10
    for bad in ("1001", "-1", "many"):
        response = get(super_client, limit=bad)
        assert (response.status_code, response.json()["errorCode"]) == (400, "E0000001"), bad
        assert_conforms(response, "GET", URL)
    assert get(super_client, after="garbage").json()["errorCode"] == "E0000029"


def test_the_default_limit_is_1000(super_client, settings):
    start = timezone.now() - timedelta(minutes=10)
    for i in range(1001):
        record("system.api_token.create", actor=ALICE, published=start + timedelta(milliseconds=i))
    response = get(super_client)
    assert len(response.json()) == 1000 and "after" in query(links(response)["next"])


@pytest.mark.parametrize(
    ("role", "status"),
    [
        (RoleType.READ_ONLY_ADMIN, 200),
        (RoleType.ORG_ADMIN, 200),
        (RoleType.USER_ADMIN, 403),
        (RoleType.HELP_DESK_ADMIN, 403),
    ],
)
def test_the_system_logs_readers_read_it(client, role, status):
    _, value = issue_token(owner=UserFactory(roles=[role]))
    response = client.get(URL, **ssws(value))
    assert response.status_code == status
    if status == 403:
        assert response.json()["errorCode"] == "E0000006"
    assert response["X-Rate-Limit-Limit"]  # counted in the logs group, refused or not
    assert client.get(URL).status_code in (401, 403)


def test_the_okta_error_body_for_an_anonymous_request(client):
    response = client.get(URL)
    assert response.json()["errorCode"] in ("E0000005", "E0000011", "E0000006")
