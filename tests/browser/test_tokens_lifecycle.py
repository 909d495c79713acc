"""Token lifecycle in Chromium (docs/decisions/30-33): rotate from the detail page with one confirmation and
copy the new value; the pending deadline; a leaked-value notice; the "Needs attention" list. Every state is
checked by axe-core and for sideways scrolling (tests/browser/conftest.py)."""

import pytest

from accounts.roles import RoleType
from tests.accounts.factories import PASSWORD, UserFactory
from tests.browser.conftest import confirm, screenshot, sign_in
from tests.browser.test_tokens_tab import api_status
from tokens import services, values
from tokens.models import ApiToken

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_rotate_copy_the_new_value_and_see_the_old_ones_deadline(page, context, live_server):
    admin = UserFactory(login="ada@example.com", first_name="Ada", last_name="Admin", roles=[RoleType.SUPER_ADMIN])
    token, old = services.token_create(owner=admin, name="Deploy token")
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server.url)
    sign_in(page, live_server, "ada@example.com", PASSWORD)
    page.goto(f"{live_server.url}/security/api/tokens/{token.id}/")
    page.locator("#rotate-title ~ details summary").click()
    page.get_by_label("1 hour").check()
    screenshot(page, "token-rotate-form")
    page.get_by_role("button", name="Rotate token").click()
    assert "Deploy token" in confirm(page, "Rotate token")
    page.get_by_role("heading", name="Token rotated").wait_for()
    assert "keeps working until" in page.locator("#previous-deadline").inner_text()
    screenshot(page, "token-rotated")
    page.get_by_role("button", name="Copy to clipboard").click()
    new = page.evaluate("navigator.clipboard.readText()")
    assert values.digest(new) == ApiToken.objects.get(pk=token.pk).digest
    assert api_status(live_server, new) == 200 and api_status(live_server, old) == 200
    page.get_by_role("link", name="Done").click()
    page.locator("#pending-previous").wait_for()
    assert new not in page.content()


def test_a_leaked_notice_and_the_needs_attention_list(page, live_server):
    admin = UserFactory(login="ada@example.com", roles=[RoleType.SUPER_ADMIN])
    _, leaked = services.token_create(owner=admin, name="Pasted token")
    services.token_create(owner=admin, name="Kept token")
    services.tokens_report_leaked(candidates=[leaked])
    sign_in(page, live_server, "ada@example.com", PASSWORD)
    page.goto(f"{live_server.url}/security/api/tokens/")
    notices = page.get_by_role("region", name="Notices about your tokens")
    assert "Pasted token" in notices.inner_text()
    page.get_by_role("link", name="Needs attention 1").click()
    row = page.locator("#token-table tbody tr").first
    row.get_by_text("Usable from any IP address").wait_for()
    screenshot(page, "tokens-needing-attention")
    notices.get_by_role("button", name="Dismiss this notice").click()
    page.get_by_text("Notice dismissed.").wait_for()
    assert page.get_by_role("region", name="Notices about your tokens").count() == 0
