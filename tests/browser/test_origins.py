"""Trusted origins from a real browser: a page on another site calls the API
through CORS, and sign-out redirects to a REDIRECT origin only.

Warden runs on http://127.0.0.1:<port> (live_server) and the "other site" is a
static page served by Python's http.server at http://localhost:<free port>.
Chromium treats localhost and 127.0.0.1 as different sites, and the session
cookie is SameSite=Lax (HTTPS is off in tests; SameSite=None needs Secure), so
a cross-site fetch() never carries the admin's session. The test therefore
does not pretend to read data with the session: it checks what CORS itself
decides. While the origin is an ACTIVE CORS origin the page's fetch() gets a
response it may read: the 401 E0000011 JSON body (the request came without a
session). After deactivation the same fetch() rejects with a TypeError: the
browser hides the response from the page because the CORS headers are gone.
That difference, readable body versus opaque failure, is exactly what the
trusted origin controls."""

import functools
import http.server
import socket
import threading

import pytest

from accounts.roles import RoleType
from syslog.models import LogEvent
from tests.accounts.factories import PASSWORD, UserFactory
from tests.browser.conftest import WIDE, confirm, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

FETCH = """async (url) => {
  try {
    const response = await fetch(url, {credentials: "include"});
    const body = await response.json();
    return {status: response.status, errorCode: body.errorCode || null};
  } catch (error) {
    return {failed: error.name};
  }
}"""


@pytest.fixture
def other_site(tmp_path):
    """A static site on http://localhost:<free port> (bound to 127.0.0.1 only)."""
    (tmp_path / "index.html").write_text("<!doctype html><title>Other site</title><h1>Other site</h1>")
    (tmp_path / "bye.html").write_text("<!doctype html><title>Signed out</title><h1>Come back soon</h1>")
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(tmp_path))
    handler.log_message = lambda *args: None
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://localhost:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def _unused_origin() -> str:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return f"http://localhost:{sock.getsockname()[1]}"


def _sign_in(page, warden):
    page.goto(f"{warden}/signin")
    page.get_by_label("Username").fill("ada@example.com")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(lambda url: "/signin" not in url)


def _sign_out_to(page, target):
    page.evaluate(
        """(target) => {
      const form = document.querySelector('form[action$="/signout"]');
      const input = Object.assign(document.createElement("input"), {type: "hidden", name: "next", value: target});
      form.appendChild(input);
      form.submit();
    }""",
        target,
    )


def test_cors_origin_fetch_succeeds_then_fails_after_deactivation_and_sign_out_redirects(
    browser, live_server, other_site
):
    UserFactory(login="ada@example.com", roles=[RoleType.SUPER_ADMIN])
    warden = live_server.url.replace("localhost", "127.0.0.1")
    context = browser.new_context(viewport=WIDE)
    try:
        console, site = context.new_page(), context.new_page()
        console.set_default_timeout(10_000)
        site.set_default_timeout(10_000)
        _sign_in(console, warden)

        # Register the other site through the console: CORS and Redirect.
        console.goto(f"{warden}/security/api/origins/")
        console.get_by_role("link", name="Add origin").click()
        console.get_by_label("Name").fill("Other site")
        console.get_by_label("Origin URL").fill(f"{other_site}/")
        console.get_by_role("button", name="Save").click()
        assert "remove the trailing '/'" in console.locator(".field-error").first.inner_text()
        screenshot(console, "origins-form-error")
        console.get_by_label("Origin URL").fill(other_site)
        console.get_by_label("CORS").check()
        console.get_by_label("Redirect").check()
        console.get_by_role("button", name="Save").click()
        console.wait_for_url(f"{warden}/security/api/origins/")
        row = console.locator("tr", has_text="Other site")
        assert "Active" in row.inner_text() and "CORS" in row.inner_text()
        screenshot(console, "origins-list")

        # The other site's fetch() gets a response it may read.
        site.goto(f"{other_site}/index.html")
        api = f"{warden}/api/v1/trustedOrigins"
        assert site.evaluate(FETCH, api) == {"status": 401, "errorCode": "E0000011"}

        # Deactivate (htmx swaps the row); the same fetch() now fails opaquely.
        console.get_by_role("button", name="Deactivate Other site", exact=True).click()
        assert "CORS and Redirect trust for" in confirm(console, "Deactivate")
        console.get_by_role("button", name="Activate Other site", exact=True).wait_for()
        assert console.locator("#toasts").inner_text().startswith("Trusted origin Other site was deactivated.")
        console.wait_for_function("() => document.activeElement.textContent === 'Activate'")  # focus stays on the row
        assert "Inactive" in row.inner_text()
        assert site.evaluate(FETCH, api) == {"failed": "TypeError"}

        # Reactivate; sign-out to an unknown origin is refused (console sign-in page) and recorded ...
        console.get_by_role("button", name="Activate Other site", exact=True).click()
        console.get_by_role("button", name="Deactivate Other site", exact=True).wait_for()
        assert site.evaluate(FETCH, api)["status"] == 401
        unknown = _unused_origin()
        _sign_out_to(console, f"{unknown}/bye.html")
        console.wait_for_url(f"{warden}/signin")
        event = LogEvent.objects.get(event_type="security.trusted_origin.redirect_refused")
        assert event.data["debugContext"]["debugData"]["redirectUri"] == f"{unknown}/bye.html"

        # ... and to the REDIRECT origin it is honoured.
        _sign_in(console, warden)
        _sign_out_to(console, f"{other_site}/bye.html")
        console.wait_for_url(f"{other_site}/bye.html")
        assert console.locator("h1").inner_text() == "Come back soon"
    finally:
        context.close()
