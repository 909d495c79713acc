import pytest

from accounts.roles import RoleType
from tests.accounts.factories import PASSWORD, UserFactory
from tests.browser.conftest import open_navigation, screenshot, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

EXPECTED_SUPER_NAV = ["API", "Networks", "Rate limits", "System Log", "People", "Agents", "Applications"]


def test_super_admin_signs_in_and_walks_the_navigation(page, live_server):
    UserFactory(login="ada@example.com", first_name="Ada", last_name="Admin", roles=[RoleType.SUPER_ADMIN])
    sign_in(page, live_server, "ada@example.com", PASSWORD)
    screenshot(page, "home")
    open_navigation(page)
    nav = page.get_by_role("navigation", name="Main")
    labels = [link.inner_text().strip() for link in nav.get_by_role("link").all()]
    assert labels == EXPECTED_SUPER_NAV
    for label in EXPECTED_SUPER_NAV:
        open_navigation(page)
        page.get_by_role("navigation", name="Main").get_by_role("link", name=label, exact=True).click()
        page.wait_for_load_state()
        assert page.locator("h1").first.is_visible()
        screenshot(page, "nav-" + label.lower().replace(" ", "-"))


def test_help_desk_admin_sees_only_people(page, live_server):
    UserFactory(login="hank@example.com", roles=[RoleType.HELP_DESK_ADMIN])
    sign_in(page, live_server, "hank@example.com", PASSWORD)
    open_navigation(page)
    nav = page.get_by_role("navigation", name="Main")
    assert [link.inner_text().strip() for link in nav.get_by_role("link").all()] == ["People"]
    assert page.locator("h1").inner_text() == "People"


def test_wrong_password_shows_an_error_and_stays_on_sign_in(page, live_server):
    UserFactory(login="ada@example.com", roles=[RoleType.SUPER_ADMIN])
    page.goto(f"{live_server.url}/signin")
    page.get_by_label("Username").fill("ada@example.com")
    page.get_by_label("Password").fill("not the password")
    page.get_by_role("button", name="Sign in").click()
    assert page.get_by_role("alert").inner_text().startswith("Sign-in failed")
    assert "/signin" in page.url
