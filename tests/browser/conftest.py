"""Playwright on Debian's Chromium (Playwright's own browser download cannot
work here). On a laptop without Chromium the browser tests skip loudly; with
WARDEN_REQUIRE_BROWSER=1 (set by .ci/run) a missing browser is a failure.

Every page a test opens is checked as it goes (issue 17): a pinned axe-core
(tests/browser/vendor/, MPL-2.0) runs after each load, each htmx swap and each
dialog that opens, and the page must not scroll sideways at either width except
inside a table wrapper that shows its "scroll sideways" hint. What they find is
collected and fails the test when it ends."""

import os
import shutil
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
REQUIRED = os.environ.get("WARDEN_REQUIRE_BROWSER") == "1"
ARTIFACTS = Path(__file__).resolve().parents[2] / "artifacts" / "screenshots"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]
AXE = Path(__file__).resolve().parent / "vendor" / "axe-4.14.1.min.js"
# Runs in every page: axe after each settled state, plus the sideways-scroll rule, reported to Python.
CHECKER = """
(() => {
  let queued = false, last = Promise.resolve();
  function overflow() {
    const found = [];
    const root = document.documentElement;
    if (root.scrollWidth > window.innerWidth + 1) found.push("the page is " + root.scrollWidth + " px wide");
    document.querySelectorAll("body *").forEach((el) => {
      if (el.scrollWidth <= el.clientWidth + 1) return;
      const style = getComputedStyle(el);
      if (!["auto", "scroll"].includes(style.overflowX) || el.closest("dialog:not([open])")) return;
      if (el.matches(".table-wrap[data-overflowing]") && el.querySelector(".scroll-hint").offsetParent) return;
      if (el.tagName === "TEXTAREA" || el.tagName === "SELECT") return;
      found.push((el.id ? "#" + el.id : el.className || el.tagName) + " scrolls sideways without a hint");
    });
    return found;
  }
  function signature() {  // the state, less what changes on every render (CSRF tokens)
    const html = document.documentElement.outerHTML
      .replace(/csrfmiddlewaretoken" value="[^"]*"/g, "")
      .replace(/X-CSRFToken&quot;: &quot;[^&]*&quot;|X-CSRFToken": "[^"]*"/g, "");
    let hash = 5381;
    for (let i = 0; i < html.length; i++) hash = ((hash * 33) ^ html.charCodeAt(i)) >>> 0;
    return window.innerWidth + " " + location.pathname + " " + html.length + " " + hash;
  }
  async function run() {
    try {
      if (await window.__wardenSeen(signature())) return;  // this very state was checked already
      const result = await axe.run(document, { resultTypes: ["violations"] });
      const problems = result.violations.map((v) => v.id + ": " + v.nodes.map((n) => n.target.join(" ")).join(", "));
      await window.__wardenReport(location.pathname + location.search, problems.concat(overflow()));
    } catch (e) { /* the page went away mid-run */ }
  }
  // One run at a time (axe refuses overlapping runs); the promise settles when this state was checked.
  function check() {
    last = last.then(run, run);
    return last;
  }
  function soon() {
    if (queued) return;
    queued = true;
    setTimeout(() => { queued = false; check(); }, 50);
  }
  window.__wardenCheck = check;
  window.addEventListener("load", soon);
  document.addEventListener("htmx:afterSettle", soon);
  new MutationObserver((records) => {
    if (records.some((r) => r.target.tagName === "DIALOG")) soon();
  }).observe(document, { subtree: true, attributes: true, attributeFilter: ["open"] });
})();
"""
WIDE = {"width": 1280, "height": 900}
NARROW = {"width": 390, "height": 844}


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        message = f"BROWSER TESTS NOT RUN: no Chromium at {CHROMIUM} (apt-get install chromium)"
        if REQUIRED:
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()


@pytest.fixture(params=[WIDE, NARROW], ids=["1280px", "390px"])
def viewport(request):
    return request.param


@pytest.fixture
def context(browser, viewport):
    context = browser.new_context(viewport=viewport)
    yield context
    context.close()


# States already checked in this session (the sign-in page, say, is the same in every test): checked once.
CHECKED: set[str] = set()


def _seen(signature: str) -> bool:
    if signature in CHECKED:
        return True
    CHECKED.add(signature)
    return False


@pytest.fixture
def page(context):
    problems: list[str] = []

    def report(where: str, found: list[str]) -> None:
        problems.extend(f"{where}: {problem}" for problem in found)

    page = context.new_page()
    page.set_default_timeout(10_000)
    page.expose_function("__wardenReport", report)
    page.expose_function("__wardenSeen", _seen)
    page.add_init_script(path=str(AXE))
    page.add_init_script(script=CHECKER)
    page.problems = problems
    yield page
    if not page.is_closed():
        check_now(page)
    assert not problems, "accessibility or layout problems:\n" + "\n".join(dict.fromkeys(problems))


def check_now(page) -> None:
    """Run axe and the sideways-scroll check on the page as it is now, and wait for them. A navigation
    that starts meanwhile (a dialog that reloads the page on close) ends the run; check the new page then."""
    from playwright.sync_api import Error

    for _attempt in range(3):
        page.wait_for_load_state()
        try:
            page.evaluate("window.__wardenCheck ? window.__wardenCheck() : null")
            return
        except Error as error:
            if "context was destroyed" not in str(error) and "navigat" not in str(error):
                raise


def screenshot(page, name: str) -> Path:
    """Save the page as it is (artifacts/screenshots/) and check this state too."""
    check_now(page)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    width = page.viewport_size["width"]
    path = ARTIFACTS / f"{name}-{width}px.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def sign_in(page, live_server, login: str, password: str) -> None:
    page.goto(f"{live_server.url}/signin")
    page.get_by_label("Username").fill(login)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(lambda url: "/signin" not in url)


def open_navigation(page) -> None:
    """On a narrow screen the navigation sits behind the Menu button."""
    toggle = page.locator("[data-nav-toggle]")
    if toggle.is_visible() and toggle.get_attribute("aria-expanded") == "false":
        toggle.click()


def confirm(page, label: str) -> str:
    """Accept the console's confirmation dialog with its `label` button; returns what the dialog said."""
    dialog = page.locator("#confirm-dialog")
    dialog.wait_for()
    said = dialog.inner_text()
    dialog.get_by_role("button", name=label, exact=True).click()
    return said
