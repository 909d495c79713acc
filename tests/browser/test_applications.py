"""The Applications pages in Chromium (axe and the sideways-scroll rule run on every state, conftest.py):
create an API Services app, generate a key (shown once), grant a scope, assign a role, deactivate through the
confirmation dialog."""

import pytest

from accounts.roles import RoleType
from oauth.models import ServiceApp
from tests.accounts.factories import PASSWORD, UserFactory
from tests.browser.conftest import confirm, screenshot, sign_in

pytestmark = pytest.mark.browser


def test_a_super_admin_sets_up_a_service_app(page, live_server):
    UserFactory(login="ada@example.com", roles=[RoleType.SUPER_ADMIN])
    sign_in(page, live_server, "ada@example.com", PASSWORD)
    page.goto(f"{live_server.url}/applications/")
    page.get_by_role("link", name="Create API Services app").click()
    page.get_by_label("Name").fill("Nightly zone sync")
    page.get_by_role("button", name="Create").click()
    assert page.locator("h1").inner_text().startswith("Nightly zone sync")
    page.get_by_role("button", name="Generate new key").click()
    assert "BEGIN PRIVATE KEY" in page.get_by_label("Private key (PEM)").input_value()
    screenshot(page, "applications-generated-key")
    page.get_by_role("link", name="Okta API Scopes").click()
    page.get_by_role("button", name="Grant okta.logs.read").click()
    assert page.get_by_role("button", name="Revoke okta.logs.read").is_visible()
    page.get_by_role("link", name="Admin roles").click()
    page.get_by_role("button", name="Assign Read-only Administrator").click()
    assert page.get_by_role("button", name="Remove Read-only Administrator").is_visible()
    page.get_by_role("link", name="General").click()
    page.get_by_role("button", name="Deactivate", exact=True).click()
    assert "stops working" in confirm(page, "Deactivate")
    page.wait_for_url("**/applications/*/")
    assert ServiceApp.objects.get().status == "INACTIVE"
    page.goto(f"{live_server.url}/applications/guide")
    assert page.locator("h1").first.inner_text() == "OAuth 2.0 for Warden's API"
