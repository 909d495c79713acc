"""The Tokens tab in Chromium: create with one-time copy, use, reload, revoke, filter."""

import json
import urllib.error
import urllib.request

import pytest

from accounts.roles import RoleType
from tests.accounts.factories import PASSWORD, UserFactory
from tests.browser.conftest import confirm, screenshot, sign_in
from tokens import services
from tokens.models import Agent, AgentType, ApiToken

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def api_status(live_server, value: str) -> int:
    headers = {"Authorization": f"SSWS {value}"}
    request = urllib.request.Request(f"{live_server.url}/api/v1/users/me", headers=headers)  # noqa: S310
    try:
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310 - our own live server
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def test_create_copy_use_reload_revoke(page, context, live_server):
    admin = UserFactory(login="ada@example.com", first_name="Ada", last_name="Admin", roles=[RoleType.SUPER_ADMIN])
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server.url)
    sign_in(page, live_server, "ada@example.com", PASSWORD)
    page.goto(f"{live_server.url}/security/api/tokens/")
    page.get_by_role("link", name="Create token").click()
    dialog = page.locator("#create-dialog")
    dialog.get_by_label("What do you want your token to be named?").fill("Browser token")
    dialog.get_by_label("API calls made with this token must originate from").select_option("ANYWHERE")
    dialog.get_by_role("button", name="Create token").click()
    dialog.get_by_text("Token created successfully!").wait_for()
    screenshot(page, "token-created-dialog")
    dialog.get_by_role("button", name="Copy to clipboard").click()
    value = page.evaluate("navigator.clipboard.readText()")
    assert len(value) == 42 and value.startswith("00")
    assert api_status(live_server, value) == 200

    page.reload()
    assert value not in page.content()
    assert value not in page.evaluate("JSON.stringify(localStorage) + JSON.stringify(sessionStorage)")
    page.go_back()
    assert value not in page.content()

    page.goto(f"{live_server.url}/security/api/tokens/")
    screenshot(page, "token-list")
    token = ApiToken.objects.get(name="Browser token", owner=admin)
    page.get_by_role("button", name="Revoke token Browser token").click()
    assert "fail at once" in confirm(page, "Revoke token")
    page.locator(f"#token-{token.id}").wait_for(state="detached")
    assert page.locator("#toasts").inner_text().startswith("Token Browser token was revoked.")
    assert page.locator('[data-count-key="api"]').inner_text() == "0"  # the type count followed
    page.wait_for_function("() => document.activeElement.tagName !== 'BODY'")  # focus did not drop to <body>
    assert api_status(live_server, value) == 401


def test_detail_edits_zones_and_slider_and_filters_suspicious(page, live_server):
    from zones.models import NetworkZone

    admin = UserFactory(login="ada@example.com", roles=[RoleType.SUPER_ADMIN])
    NetworkZone.objects.create(name="Office", gateways=[{"type": "CIDR", "value": "198.51.100.0/24"}])
    token, _ = services.token_create(owner=admin, name="Detail token")
    agent = Agent.objects.create(type=AgentType.LDAP, name="Stray LDAP", host="ldap.test")
    services.agent_activate(agent=agent, by=admin)
    services.agent_unregister(agent=agent)
    sign_in(page, live_server, "ada@example.com", PASSWORD)

    page.goto(f"{live_server.url}/security/api/tokens/{token.id}/")
    page.locator("#security-title ~ details summary").click()
    page.get_by_label("API calls made with this token must originate from").select_option("IN_ZONES")
    page.get_by_placeholder("Start typing a zone name").fill("off")
    page.get_by_role("option", name="Office").click()
    assert page.get_by_role("button", name="Remove Office").is_visible()  # a chip
    page.locator("#security-title ~ details").get_by_role("button", name="Save").click()
    page.get_by_text("Network restriction saved.").wait_for()
    token.refresh_from_db()
    assert token.network["include"] == [NetworkZone.objects.get(name="Office").id]

    page.locator("#limits-title ~ details summary").click()
    slider = page.locator("#share")
    slider.fill("20")
    assert page.locator("#share-value").inner_text() == "20"
    assert "2,000" in page.locator("[data-share-preview]").inner_text()  # 20 % of 10,000 per minute
    screenshot(page, "token-detail")
    page.locator("#limits-title ~ details").get_by_role("button", name="Save").click()
    page.get_by_text("Token rate limits saved.").wait_for()
    token.refresh_from_db()
    assert token.rate_limit_percent == 20

    page.goto(f"{live_server.url}/security/api/tokens/")
    page.get_by_role("link", name="Suspicious 1").click()
    rows = page.locator("#token-table tbody tr")
    assert rows.count() == 1
    assert "Stray LDAP token" in rows.first.inner_text()
    assert "Suspicious" in rows.first.inner_text()
    page.get_by_role("link", name="Suspicious 1").focus()  # keyboard reachable
    assert json.dumps(page.evaluate("document.activeElement.textContent")).find("Suspicious") > 0


def test_keyboard_only_create_copy_escape_and_revoke(page, context, live_server):
    UserFactory(login="ada@example.com", roles=[RoleType.SUPER_ADMIN])
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server.url)
    sign_in(page, live_server, "ada@example.com", PASSWORD)
    page.goto(f"{live_server.url}/security/api/tokens/")
    page.get_by_role("link", name="Create token").focus()
    page.keyboard.press("Enter")
    name = page.get_by_label("What do you want your token to be named?")
    name.wait_for()
    assert page.evaluate("document.activeElement.name") == "name"  # focus moved into the dialog
    page.keyboard.type("Keyboard token")
    page.keyboard.press("Enter")  # submits the form
    page.get_by_text("Token created successfully!").wait_for()
    assert page.evaluate("document.activeElement.id") == "token-value"
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Copy to clipboard"
    page.keyboard.press("Enter")
    value = page.evaluate("navigator.clipboard.readText()")
    assert api_status(live_server, value) == 200
    page.keyboard.press("Escape")  # closes the dialog; the page reloads without the value
    page.wait_for_load_state()
    page.get_by_role("button", name="Revoke token Keyboard token").wait_for()
    assert value not in page.content()
    page.get_by_role("button", name="Revoke token Keyboard token").focus()
    page.keyboard.press("Enter")
    page.locator("#confirm-dialog").wait_for()
    assert page.evaluate("document.activeElement.textContent") == "Cancel"  # the safe choice has focus
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Enter")
    page.get_by_role("button", name="Revoke token Keyboard token").wait_for(state="detached")
    assert api_status(live_server, value) == 401
