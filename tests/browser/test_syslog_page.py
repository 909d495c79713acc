"""Reports › System Log in Chromium at 1280 and 390 px: filter by display name and by expression, expand
an event, narrow the range from a bar, page older and newer, download the CSV of a search and compare it
with the API's answer to the same query."""

import csv
import io
from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone

from accounts.roles import RoleType
from logs.export import row
from syslog.events import Party, record
from tests.accounts.factories import PASSWORD, UserFactory
from tests.browser.conftest import screenshot, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
ZED = Party("00uZed00000000000000", "User", "zed@example.com", "Zed")
ZONE = Party("nzoBrowser0000000000", "NetworkZone", "Office", "Office")


def open_filters(page) -> None:
    """On a phone the shortcuts sit behind "Filters", so that the events come first."""
    panel = page.locator("[data-log-filters]")
    if panel.get_attribute("open") is None:
        panel.locator("summary").click()


def submit(page, button: str = "Search") -> None:
    with page.expect_navigation():
        page.get_by_role("button", name=button).click()


def test_filter_by_display_name_and_by_expression_then_expand_an_event(page, live_server):
    UserFactory(login="rita@example.com", roles=[RoleType.READ_ONLY_ADMIN])
    record("zone.update", actor=ZED, targets=[ZONE.with_changes(name=("Old office", "Office"))])
    sign_in(page, live_server, "rita@example.com", PASSWORD)  # also records a user.session.start
    page.goto(f"{live_server.url}/reports/syslog/")
    rows = page.locator(".log-event")
    assert rows.count() == 2
    assert page.locator("[data-log-total]").inner_text() == "2 events"
    screenshot(page, "syslog-list")

    open_filters(page)
    page.get_by_label("Event type").select_option(label="Update network zone")
    submit(page, "Apply")
    assert rows.count() == 1 and "Update network zone" in rows.first.inner_text()
    assert "event_type=zone.update" in page.url  # the whole search is in the URL

    page.goto(f"{live_server.url}/reports/syslog/")
    page.get_by_label("Filter expression").fill('eventType eq "user.session.start"')
    submit(page)
    assert rows.count() == 1 and "User login" in rows.first.inner_text()
    page.get_by_label("Filter expression").fill("eventType eq")
    submit(page)
    assert "Invalid filter" in page.get_by_role("alert").inner_text()

    page.goto(f"{live_server.url}/reports/syslog/?event_type=zone.update")
    rows.first.locator("summary").click()
    body = rows.first.locator(".log-event-body")
    body.get_by_role("heading", name="Raw JSON", exact=True).wait_for()  # the body is fetched when the row opens
    for heading in ("Actor", "Event", "Targets", "Client", "Request and Transaction", "Debug context", "Raw JSON"):
        assert body.get_by_role("heading", name=heading, exact=True).is_visible()
    assert "Old office → Office" in body.locator(".log-change").inner_text()
    raw = body.locator("pre.json")
    raw.focus()  # keyboard-scrollable: it takes focus
    assert page.evaluate("document.activeElement.tagName") == "PRE"
    # It scrolls inside its own box (it once spilled over the rows and the pager below it), by keyboard too.
    assert raw.evaluate("p => p.scrollHeight > p.clientHeight + 20")
    page.keyboard.press("End")
    page.wait_for_function("() => document.activeElement.scrollTop > 0", timeout=5_000)
    assert '"eventType": "zone.update"' in raw.inner_text()
    screenshot(page, "syslog-event")


def test_narrow_the_range_from_a_bar_and_page_older_and_newer(page, live_server):
    UserFactory(login="ann@example.com", roles=[RoleType.SUPER_ADMIN])
    now = timezone.now()
    for minutes in range(70):  # 70 events over the last 70 minutes, plus older ones three hours back
        record("zone.update", actor=ZED, targets=[ZONE], published=now - timedelta(minutes=minutes, seconds=20))
    # The five older ones sit in the middle of one clock hour three hours back, so that they fill one bar
    # whatever minute the test starts at (now - 3 h - 0..4 min straddles an hour in the first minutes of one).
    older = (now - timedelta(hours=3)).replace(minute=30, second=0, microsecond=0)
    for minutes in range(5):
        record("zone.create", actor=ZED, targets=[ZONE], published=older - timedelta(minutes=minutes))
    sign_in(page, live_server, "ann@example.com", PASSWORD)
    page.goto(f"{live_server.url}/reports/syslog/?event_type=zone.create")
    bars = page.locator("[data-bar]")
    busy = [i for i in range(bars.count()) if "0 events" not in (bars.nth(i).get_attribute("aria-label") or "")]
    assert len(busy) == 1
    with page.expect_navigation():
        bars.nth(busy[0]).locator(".log-bar-hit").click()
    assert "since=" in page.url and "until=" in page.url
    assert page.locator("[data-log-total]").inner_text() == "5 events"
    assert page.locator(".log-event").count() == 5

    page.goto(f"{live_server.url}/reports/syslog/?event_type=zone.update")
    assert page.locator(".log-event").count() == 50
    first = page.locator(".log-event").first.inner_text()
    with page.expect_navigation():
        page.get_by_role("link", name="Older events").click()
    assert page.locator(".log-event").count() == 20
    with page.expect_navigation():
        page.get_by_role("link", name="Newer events").click()
    assert page.locator(".log-event").count() == 50
    assert page.locator(".log-event").first.inner_text() == first
    screenshot(page, "syslog-chart")


def test_downloaded_csv_equals_the_apis_answer(page, live_server):
    UserFactory(login="ann@example.com", roles=[RoleType.SUPER_ADMIN])
    now = timezone.now()
    for minutes in range(12):
        kind = "zone.update" if minutes % 3 else "zone.create"
        record(kind, actor=ZED, targets=[ZONE], published=now - timedelta(minutes=minutes))
    sign_in(page, live_server, "ann@example.com", PASSWORD)
    page.goto(f"{live_server.url}/reports/syslog/?filter=eventType+sw+%22zone.%22&range=1h")
    with page.expect_download() as download:
        page.get_by_role("link", name="Download CSV").click()
    rows = list(csv.reader(io.StringIO(Path(download.value.path()).read_text(encoding="utf-8"))))
    since = (now - timedelta(hours=1, minutes=1)).isoformat()
    api = page.request.get(
        f"{live_server.url}/api/v1/logs",
        params={"filter": 'eventType sw "zone."', "since": since, "sortOrder": "DESCENDING", "limit": "1000"},
    ).json()
    assert len(rows) == 13
    assert rows[1:] == [row(event) for event in api]
