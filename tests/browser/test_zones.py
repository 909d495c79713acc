import pytest

from accounts.roles import RoleType
from tests.accounts.factories import PASSWORD, UserFactory
from tests.browser.conftest import confirm, screenshot, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_admin_creates_a_zone_tests_an_ip_and_cannot_delete_it_while_active(page, live_server):
    UserFactory(login="ada@example.com", roles=[RoleType.SUPER_ADMIN])
    sign_in(page, live_server, "ada@example.com", PASSWORD)
    page.goto(f"{live_server.url}/security/networks/")
    page.get_by_role("link", name="Add zone").click()
    page.get_by_label("Name").fill("Browser office")
    page.get_by_label("Gateways").fill("198.51.100.0/24\n2001:db8:42::/48\n300.1.1.1")
    page.get_by_role("button", name="Save").click()
    # inline validation names the offending entry; nothing is saved
    assert "'300.1.1.1' is not an IPv4 or IPv6 address" in page.locator(".field-error").first.inner_text()
    screenshot(page, "zone-form-error")
    page.get_by_label("Gateways").fill("198.51.100.0/24\n2001:db8:42::/48")
    page.get_by_role("button", name="Save").click()
    page.wait_for_url(f"{live_server.url}/security/networks/")
    row = page.locator("tr", has_text="Browser office")
    assert "2 gateways" in row.text_content() and "Active" in row.inner_text()  # entries: hidden on a phone

    page.get_by_label("IP address to test").fill("2001:db8:42::7")
    page.get_by_role("button", name="Test").click()
    result = page.locator("#test-ip-result")
    result.locator("[data-test-ip-matches]").wait_for()
    assert "Browser office" in result.inner_text()
    assert result.locator("[data-client-ip]").inner_text() == "127.0.0.1"
    screenshot(page, "zone-test-ip")

    # Delete is disabled, with the reason, while the zone is active.
    delete = page.get_by_role("button", name="Delete Browser office")
    assert delete.get_attribute("aria-disabled") == "true"
    assert page.locator(f"#{delete.get_attribute('aria-describedby')}").inner_text() == (
        "Deactivate the zone before deleting it."
    )
    delete.dispatch_event("click")  # nothing happens
    assert page.locator("#confirm-dialog").is_hidden()

    # Deactivating asks first, in a modal that says what changes; then Delete asks too.
    page.get_by_role("button", name="Deactivate Browser office").click()
    said = confirm(page, "Deactivate")
    assert "No API token uses this zone" in said
    page.wait_for_url(f"{live_server.url}/security/networks/")
    assert "Inactive" in page.locator("tr", has_text="Browser office").inner_text()
    page.get_by_role("button", name="Delete Browser office").click()
    screenshot(page, "zone-delete-confirm")
    assert "removed for good" in confirm(page, "Delete")
    page.wait_for_url(f"{live_server.url}/security/networks/")
    assert page.locator("tr", has_text="Browser office").count() == 0
