"""GET /api/v1/logs: every parameter, both orders, polling vs bounded links."""

import re
from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
from django.utils import timezone

from syslog.events import Party, record
from syslog.models import LogEvent
from tests.openapi_conformance import assert_conforms

pytestmark = pytest.mark.django_db
ALICE = Party("00uAlice000000000000", "User", "alice@example.com", "Alice")
BOB = Party("00uBob00000000000000", "User", "bob@example.com", "Bob")
TOKEN = Party("00TToken000000000000", "Token", "unknown", "ci token")


def links(response) -> dict[str, str]:
    return {rel: url for url, rel in (re.fullmatch(r'<(.+)>; rel="(\w+)"', h).groups() for h in response.link_headers)}


@pytest.fixture
def events():
    now = timezone.now()
    made = []
    for minutes in range(10, 0, -1):  # ten events, a minute apart, the newest a minute ago
        actor = ALICE if minutes % 2 else BOB
        kind = "system.api_token.create" if minutes % 3 else "system.api_token.revoke"
        made.append(record(kind, actor=actor, targets=[TOKEN], published=now - timedelta(minutes=minutes)))
    return made


def get(client, **params):
    return client.get("/api/v1/logs", params)


def test_default_is_polling_ascending_with_a_next_link(super_client, events):
    response = get(super_client)
    assert response.status_code == 200
    body = response.json()
    assert [e["uuid"] for e in body] == [str(e.uuid) for e in events]
    assert "next" in links(response)
    assert_conforms(response, "GET", "/api/v1/logs")


def test_polling_walks_pages_then_keeps_an_empty_page_with_next(super_client, events):
    seen, url = [], "/api/v1/logs?limit=4&filter=" + 'eventType sw "system"'
    for _ in range(5):
        response = super_client.get(url)
        seen += [e["uuid"] for e in response.json()]
        nxt = links(response)["next"]
        assert parse_qs(urlsplit(nxt).query)["filter"] == ['eventType sw "system"']
        assert parse_qs(urlsplit(nxt).query)["limit"] == ["4"]
        url = nxt.replace("http://testserver", "")
    assert seen == [str(e.uuid) for e in events]


def test_polling_leaves_out_events_inside_the_settle_margin(super_client, events):
    record("system.api_token.create", actor=ALICE, targets=[TOKEN])  # published just now
    assert len(get(super_client).json()) == 10


def test_bounded_descending_has_no_next_on_the_last_page(super_client, events):
    now = timezone.now()
    params = {
        "since": (now - timedelta(hours=1)).isoformat(),
        "until": now.isoformat(),
        "limit": "6",
        "sortOrder": "DESCENDING",
    }
    first = get(super_client, **params)
    assert [e["uuid"] for e in first.json()] == [str(e.uuid) for e in reversed(events)][:6]
    nxt = links(first)["next"]
    query = parse_qs(urlsplit(nxt).query)
    assert {k: v[0] for k, v in query.items() if k != "after"} == params  # every parameter repeats
    assert nxt.startswith("http://testserver/api/v1/logs?")
    second = super_client.get(nxt.replace("http://testserver", ""))
    assert len(second.json()) == 4
    assert "next" not in links(second)


@pytest.mark.parametrize(
    ("expression", "count"),
    [
        ('eventType eq "system.api_token.revoke"', 3),
        ('eventType ne "system.api_token.revoke"', 7),
        (f'actor.id eq "{BOB.id}"', 5),
        ('actor.alternateId co "alice"', 5),
        (f'target.id eq "{TOKEN.id}"', 10),
        ('outcome.result eq "SUCCESS" and not (actor.alternateId sw "bob")', 5),
        ('eventType ew "revoke" or actor.id eq "nobody"', 3),
        ("transaction.detail.requestApiTokenId pr", 0),
    ],
)
def test_filters(super_client, events, expression, count):
    response = get(super_client, filter=expression)
    assert response.status_code == 200, response.content
    assert len(response.json()) == count


@pytest.mark.parametrize(
    ("expression", "code"),
    [
        ('eventType eqq "x"', "E0000053"),
        ('eventType eq "x" and', "E0000053"),
        ('(eventType eq "x"', "E0000053"),
        ('published gt "2020-01-01"', "E0000031"),
        ('severity co "IN"', "E0000031"),
    ],
)
def test_bad_filters(super_client, expression, code):
    response = get(super_client, filter=expression)
    assert response.status_code == 400
    assert response.json()["errorCode"] == code


def test_keywords_must_all_match_and_are_limited(super_client, events):
    assert len(get(super_client, q="alice revoke").json()) == 2
    assert get(super_client, q=" ".join(["w"] * 11)).json()["errorCode"] == "E0000001"
    assert get(super_client, q="x" * 41).status_code == 400


def test_dates_window_and_limits(super_client, events):
    response = get(super_client, until="not a date")
    assert response.status_code == 400 and len(response.json()["errorCauses"]) == 2
    old = (timezone.now() - timedelta(days=181)).isoformat()
    assert get(super_client, since=old).json()["errorCode"] == "E0000053"
    assert get(super_client, sortOrder="SIDEWAYS").status_code == 400
    assert len(get(super_client, limit="3").json()) == 3
    assert get(super_client, limit="5000").status_code == 200  # clamped to 1,000
    assert get(super_client, after="garbage").json()["errorCode"] == "E0000029"


def test_events_past_retention_are_not_returned(super_client):
    record("system.api_token.create", actor=ALICE, published=timezone.now() - timedelta(days=91))
    now = timezone.now()
    response = get(super_client, since=(now - timedelta(days=100)).isoformat(), until=now.isoformat())
    assert response.json() == []
    assert LogEvent.objects.count() == 1


def test_after_replaces_since(super_client, events):
    first = get(super_client, limit="5", since=(timezone.now() - timedelta(hours=1)).isoformat())
    nxt = links(first)["next"].replace("http://testserver", "")
    assert "since=" in nxt  # repeated, but ignored because `after` is present
    assert [e["uuid"] for e in super_client.get(nxt).json()] == [str(e.uuid) for e in events[5:]]


def test_events_are_okta_log_events(super_client, events):
    from okta.models.log_event import LogEvent as OktaLogEvent

    for body in get(super_client).json():
        parsed = OktaLogEvent.from_dict(body)
        assert parsed.version == "0" and parsed.event_type.startswith("system.api_token.")


@pytest.mark.parametrize("order", ["ASCENDING", "DESCENDING"])
def test_a_bounded_query_paged_small_returns_exactly_one_large_page(super_client, settings, order):
    """Issue 14: the cursor kept milliseconds while `published` keeps microseconds, so every later event of
    the same millisecond came back on the next page. 520 events, about 27 per millisecond."""
    settings.RATE_LIMITS = {"logs": 100_000, "default": 100_000}  # 105 pages in a minute
    start = timezone.now() - timedelta(hours=1)
    for i in range(520):
        published = start + timedelta(microseconds=37 * i)
        record("system.api_token.create", actor=ALICE, targets=[TOKEN], published=published)
    window = {
        "since": (start - timedelta(seconds=1)).isoformat(),
        "until": (start + timedelta(seconds=1)).isoformat(),
        "sortOrder": order,
    }
    whole = [e["uuid"] for e in get(super_client, limit=1000, **window).json()]
    assert len(whole) == 520
    paged, url, pages = [], None, 0
    response = get(super_client, limit=5, **window)
    while True:
        pages += 1
        paged += [e["uuid"] for e in response.json()]
        url = links(response).get("next")
        if url is None or pages > 200:
            break
        response = super_client.get(url.replace("http://testserver", ""))
    assert paged == whole and pages == 104
