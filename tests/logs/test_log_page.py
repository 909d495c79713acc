"""Reports › System Log: the search in the URL, counts over time, readable events, paging both ways,
and query parameters that can never cause a server error."""

import csv
import io
from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
from django.test import override_settings
from django.utils import timezone
from django.utils.html import escape

from logs import chart, event_groups, search
from logs.export import COLUMNS, MAX_ROWS
from syslog.catalog import EVENT_TYPES
from syslog.counts import Bucket
from syslog.events import Party, record
from syslog.models import LogEvent
from tests.zones.factories import ZoneFactory

pytestmark = pytest.mark.django_db
URL = "/reports/syslog/"
ZED = Party("00uZed00000000000000", "User", "zed@example.com", "Zed")
GONE = Party("nzoGone0000000000000", "NetworkZone", "Gone", "Gone zone")


def page(client, **params):
    response = client.get(URL, params)
    assert response.status_code == 200, response.content[:500]
    return response


def uuids(response) -> list[str]:
    return [str(row.event.uuid) for row in response.context["rows"]]


@pytest.fixture
def spread():
    """Sixty events, one a minute over the last hour: zone.create on even minutes, zone.update on odd ones."""
    now = timezone.now()
    return [
        record(
            "zone.create" if m % 2 == 0 else "zone.update",
            actor=ZED,
            targets=[GONE],
            published=now - timedelta(minutes=m, seconds=30),
        )
        for m in range(60)
    ]


def test_page_shows_newest_first_with_count_and_chart(super_client, spread):
    response = page(super_client)
    assert uuids(response)[:3] == [str(e.uuid) for e in spread[:3]]
    assert response.context["total"] == "60 events"
    assert len(response.context["bars"]) in (24, 25)  # last 24 hours: hourly bars, the ends cut at the range
    assert sum(int(b.label.split(": ")[1].split()[0]) for b in response.context["bars"]) == 60


def test_event_type_shortcut_and_expression_select_the_same_events(super_client, spread):
    by_shortcut = page(super_client, event_type="zone.create")
    by_expression = page(super_client, filter='eventType eq "zone.create"')
    assert uuids(by_shortcut) == uuids(by_expression) == [str(e.uuid) for e in spread if e.event_type == "zone.create"]
    assert by_shortcut.context["total"] == by_expression.context["total"] == "30 events"


def test_a_wrong_expression_shows_the_apis_own_message(super_client, spread):
    api = super_client.get("/api/v1/logs", {"filter": "eventType eq"}).json()
    response = page(super_client, filter="eventType eq")
    assert response.context["error"] == " ".join(
        [api["errorSummary"], *(c["errorSummary"] for c in api["errorCauses"])]
    )
    assert escape(api["errorSummary"]) in response.content.decode()


@pytest.mark.parametrize(
    "params",
    [
        {"since": "yesterday"},
        {"since": "2026-13-45T99:00"},
        {"until": "0001-01-01T00:00", "tz": "Pacific/Kiritimati"},
        {"since": "9999-12-31T23:59", "tz": "Etc/GMT+12"},
        {"since": "9999-12-31T23:59:59+14:00"},
        {"tz": "Mars/Olympus"},
        {"tz": "../../etc/passwd"},
        {"range": "5y"},
        {"after": "not-a-cursor"},
        {"before": "99999999999999999999999_1"},
        {"event_type": "no.such.type"},
        {"outcome": "MAYBE"},
        {"q": " ".join(["word"] * 11)},
        {"since": "2026-01-02T00:00Z", "until": "2026-01-01T00:00Z"},
    ],
)
def test_bad_parameters_give_an_inline_error_never_a_server_error(super_client, spread, params):
    response = page(super_client, **params)
    assert response.context["error"]
    assert 'role="alert"' in response.content.decode()


@pytest.mark.parametrize("params", [{"filter": 'eventType eq "a\x00b"'}, {"actor": "\x00"}, {"until": "2026\x00"}])
def test_nul_bytes_are_refused_with_a_clear_400(super_client, params):
    response = super_client.get(URL, params)
    assert response.status_code == 400 and b"control character" in response.content


def test_ranges_are_clamped_to_retention_and_now(super_client, spread):
    now = timezone.now()
    response = page(
        super_client, since=(now - timedelta(days=400)).isoformat(), until=(now + timedelta(days=400)).isoformat()
    )
    query = response.context["query"]
    assert query.until <= timezone.now() and query.since >= now - timedelta(days=90, minutes=1)
    assert "keeps 90 days" in response.content.decode()


def test_local_dates_are_read_in_the_viewers_time_zone(super_client, spread):
    start = timezone.now().astimezone(search.ZoneInfo("Asia/Tokyo")) - timedelta(minutes=20)
    response = page(super_client, since=start.strftime("%Y-%m-%dT%H:%M"), tz="Asia/Tokyo")
    assert response.context["query"].since == start.replace(second=0, microsecond=0)
    assert "Asia/Tokyo" in response.content.decode()


def test_a_bar_narrows_the_range_to_its_bucket(super_client, spread):
    bars = page(super_client, range="1h").context["bars"]
    assert len(bars) in (30, 31)  # one hour: two-minute bars
    busiest = next(b for b in reversed(bars) if b.height)
    narrowed = page(super_client, **{k: v[0] for k, v in parse_qs(urlsplit(busiest.href).query).items()})
    query = narrowed.context["query"]
    assert query.preset is None and query.until - query.since <= timedelta(minutes=2)
    shown = narrowed.context["total"]
    assert shown == busiest.label.split(": ")[1].replace("event ", "events ").rstrip() or shown in busiest.label


def test_hourly_counts_and_direct_counts_agree(super_client, spread):
    """The 7-day chart (6-hour bars, from the hourly counts) and the same search made uncountable by
    the table (a keyword every event has) give the same bars."""
    counted = page(super_client, range="7d")
    assert counted.context["query"].by_type is not None
    direct = page(super_client, range="7d", q="zed")
    assert direct.context["query"].by_type is None
    assert [b.label for b in counted.context["bars"]] == [b.label for b in direct.context["bars"]]


def test_count_is_exact_up_to_ten_thousand():
    now = timezone.now()
    assert chart.total_label([Bucket(now, now, 10_000)]) == "10,000 events"
    assert chart.total_label([Bucket(now, now, 6_000), Bucket(now, now, 4_001)]) == "More than 10,000 events"
    assert chart.total_label([Bucket(now, now, 1)]) == "1 event"


def test_paging_older_then_newer_returns_to_the_same_events(super_client, spread):
    with override_settings():
        import logs.views

        size, logs.views.PAGE_SIZE = logs.views.PAGE_SIZE, 25
        try:
            first = page(super_client)
            assert first.context["newer"] is None
            second = page(super_client, **{k: v[0] for k, v in parse_qs(first.context["older"]).items()})
            third = page(super_client, **{k: v[0] for k, v in parse_qs(second.context["older"]).items()})
            assert third.context["older"] is None and len(uuids(third)) == 10
            back = page(super_client, **{k: v[0] for k, v in parse_qs(third.context["newer"]).items()})
            assert uuids(back) == uuids(second)
            top = page(super_client, **{k: v[0] for k, v in parse_qs(back.context["newer"]).items()})
            assert uuids(top) == uuids(first) and top.context["newer"] is None
            assert set(uuids(first)) | set(uuids(second)) | set(uuids(third)) == {str(e.uuid) for e in spread}
        finally:
            logs.views.PAGE_SIZE = size


def test_a_row_opens_onto_actor_event_targets_changes_and_raw_json(super_client):
    zone = ZoneFactory(name="Office")
    record("zone.update", actor=ZED, targets=[zone.as_log_party().with_changes(name=("Old office", "Office"))])
    record("zone.delete", actor=ZED, targets=[GONE])
    response = page(super_client, tz="Europe/Paris")
    html = response.content.decode()
    bodies = []
    for row in response.context["rows"]:
        # the row fetches its body when it opens; without JavaScript it links to the event's own page
        assert f'hx-get="{escape(row.body_url)}" hx-trigger="toggle once"' in html
        assert f'<a href="{row.detail_url}">' in html and row.detail_url == f"/reports/syslog/{row.event.uuid}/"
        body = super_client.get(row.body_url)
        assert body.status_code == 200
        bodies.append(body.content.decode())
    html = "".join(bodies)
    for heading in ("Actor", "Event", "Targets", "Client", "Request and Transaction", "Debug context", "Raw JSON"):
        assert f"<h2>{heading}</h2>" in html or f">{heading}</h2>" in html
    assert '<span class="log-from">Old office</span> → <span class="log-to">Office</span>' in html
    assert f'href="/security/networks/{zone.id}/edit"' in html  # the zone still exists: a link
    assert "/security/networks/nzoGone" not in html  # it is gone: plain text
    assert '<pre class="json" tabindex="0"' in html
    assert " CET</time>" in html or " CEST</time>" in html  # the list's time zone


def test_an_event_body_needs_a_known_event_and_time_zone(super_client):
    event = record("zone.delete", actor=ZED, targets=[GONE])
    assert super_client.get(f"/reports/syslog/{event.uuid}/body", {"tz": "Mars/Olympus"}).status_code == 400
    assert super_client.get("/reports/syslog/00000000-0000-0000-0000-000000000000/body").status_code == 404
    assert "<h2>Actor</h2>" in super_client.get(f"/reports/syslog/{event.uuid}/body").content.decode()  # UTC


def test_the_page_costs_the_same_queries_for_one_row_or_fifty(super_client, django_assert_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            page(super_client)
        return len(captured)

    token_party = Party("00tGone0000000000000", "Token", "gone", "Gone token")
    record("zone.update", actor=ZED, targets=[GONE, token_party])
    page(super_client)  # the first request of a session also fills per-process caches
    one = queries()
    for minute in range(60):
        record(
            "zone.update", actor=ZED, targets=[GONE, token_party], published=timezone.now() - timedelta(minutes=minute)
        )
    with django_assert_num_queries(one):
        response = page(super_client)
    assert len(response.context["rows"]) == 50


def test_every_event_type_has_a_named_group():
    grouped = dict(event_groups.grouped())
    assert event_groups.OTHER not in grouped
    assert sorted(t for types in grouped.values() for t, _ in types) == sorted(EVENT_TYPES)
    assert ("system.api_token.create", "Create API token") in grouped["API tokens"]
    assert {"API tokens", "Network zones", "Trusted origins", "Rate limits", "People", "Agents", "Sign-in"} <= set(
        grouped
    )


def test_token_detail_links_to_its_events(super_client, super_admin):
    from tokens.services import token_create

    token, _ = token_create(owner=super_admin, name="ci")
    html = super_client.get(f"/security/api/tokens/{token.id}/").content.decode()
    link = next(part for part in html.split('"') if part.startswith("/reports/syslog/?"))
    response = page(super_client, **{k: v[0] for k, v in parse_qs(urlsplit(link.replace("&amp;", "&")).query).items()})
    assert [row.event.event_type for row in response.context["rows"]] == ["system.api_token.create"]


def export(client, **params):
    response = client.get("/reports/syslog/export.csv", params)
    assert response.status_code == 200, response
    return list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))


def test_csv_download_has_the_apis_events_and_is_itself_recorded(super_client, spread):
    rows = export(super_client, event_type="zone.update", range="24h")
    assert rows[0] == COLUMNS
    api = super_client.get(
        "/api/v1/logs",
        {
            "filter": 'eventType eq "zone.update"',
            "sortOrder": "DESCENDING",
            "since": (timezone.now() - timedelta(hours=2)).isoformat(),
        },
    ).json()
    assert [r[1] for r in rows[1:]] == [e["uuid"] for e in api]
    recorded = LogEvent.objects.get(event_type="system.log.export")
    assert recorded.data["debugContext"]["debugData"]["filter"] == 'eventType eq "zone.update"'
    again = export(super_client)
    assert [r[2] for r in again[1:]].count("system.log.export") == 1  # the first download's, never its own


def test_csv_cells_cannot_run_as_formulas(super_client):
    record("zone.create", actor=Party("00uEvil0000000000000", "User", "evil@example.com", '=HYPERLINK("x")'))
    rows = export(super_client)
    assert rows[1][COLUMNS.index("actor.displayName")] == '\'=HYPERLINK("x")'


@override_settings(RATE_LIMITS={"logs": 4, "default": 10_000}, RATE_LIMIT_SESSION_PERCENT=50)
def test_csv_download_is_rate_limited_like_the_logs_group(super_client, spread):
    assert [super_client.get("/reports/syslog/export.csv").status_code for _ in range(3)] == [200, 200, 429]
    assert LogEvent.objects.filter(event_type="system.log.export").count() == 2
    assert LogEvent.objects.filter(event_type="system.org.rate_limit.violation").count() == 1


def test_csv_download_is_bounded():
    assert MAX_ROWS == chart.EXACT_UP_TO
