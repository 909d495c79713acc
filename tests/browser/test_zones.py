import pytest

from accounts.roles import RoleType
from tests.accounts.factories import PASSWORD, UserFactory
from tests.browser.conftest import screenshot, sign_in

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
    assert "2 gateways" in row.inner_text() and "Active" in row.inner_text()

    page.get_by_label("IP address to test").fill("2001:db8:42::7")
    page.get_by_role("button", name="Test").click()
    result = page.locator("#test-ip-result")
    result.locator("[data-test-ip-matches]").wait_for()
    assert "Browser office" in result.inner_text()
    assert result.locator("[data-client-ip]").inner_text() == "127.0.0.1"
    screenshot(page, "zone-test-ip")

    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Delete Browser office").click()
    page.wait_for_load_state()
    assert "It is active; deactivate it first." in page.locator(".messages").inner_text()
    assert page.locator("tr", has_text="Browser office").count() == 1
    screenshot(page, "zone-delete-refused")
