import time
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from accounts.roles import RoleType
from tests.accounts.factories import PASSWORD, UserFactory
from tests.browser.conftest import screenshot, sign_in
from tests.tokens.factories import issue_token, ssws

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _start_in_a_fresh_window(window: int, needed: float = 20) -> None:
    """Use is counted in epoch-aligned windows: begin where the calls and the page view fit in one window,
    or a new window between them shows 0 used (a flake once the browser checks made the test a little slower)."""
    left = window - time.time() % window
    if left < needed:
        time.sleep(left + 0.2)


def test_org_admin_sees_use_and_requests_an_exception_a_super_admin_approves(page, live_server, settings):
    settings.RATE_LIMITS = {"logs": 6, "default": 10}
    _start_in_a_fresh_window(settings.RATE_LIMIT_WINDOW_SECONDS)
    requester = UserFactory(login="olga@example.com", roles=[RoleType.ORG_ADMIN])
    UserFactory(login="sam@example.com", roles=[RoleType.SUPER_ADMIN])
    _, value = issue_token(owner=requester, name="nightly-sync", rate_limit_percent=100)
    api = Client()
    for _ in range(12):
        api.get("/api/v1/api-tokens", **ssws(value))
    sign_in(page, live_server, "olga@example.com", PASSWORD)
    page.goto(f"{live_server.url}/security/rate-limits/")
    assert "nightly-sync: 12" in page.locator("#group-default").inner_text()
    assert "Rate limit violation" in page.locator("#warning-list").inner_text()
    page.get_by_label("Org name").fill("Warden")
    page.get_by_label("Endpoints").select_option("default")
    page.get_by_label("Rate (requests per minute)").fill("20000")
    start = timezone.now() + timedelta(days=30)  # within the year ahead an exception may be planned for
    page.get_by_label("Start (UTC)").fill(f"{start:%Y-%m-%dT09:00}")
    page.get_by_label("End (UTC)").fill(f"{start + timedelta(days=2):%Y-%m-%dT09:00}")
    page.get_by_label("Business justification").fill("Initial import")
    page.get_by_role("button", name="Request exception").click()
    page.get_by_text("Exception requested.").wait_for()
    screenshot(page, "ratelimits-page")
    assert page.get_by_role("button", name="Approve").count() == 0  # org admins cannot approve
    page.get_by_role("button", name="Sign out").click()
    sign_in(page, live_server, "sam@example.com", PASSWORD)
    page.goto(f"{live_server.url}/security/rate-limits/")
    page.get_by_role("button", name="Approve").click()
    page.get_by_text("Exception approved.").wait_for()
    assert "Approved" in page.locator("#exception-table").inner_text()
