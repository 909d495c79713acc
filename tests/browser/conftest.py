"""Playwright on Debian's Chromium (Playwright's own browser download cannot
work here). On a laptop without Chromium the browser tests skip loudly; with
WARDEN_REQUIRE_BROWSER=1 (set by .ci/run) a missing browser is a failure."""

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


@pytest.fixture
def page(context):
    page = context.new_page()
    page.set_default_timeout(10_000)
    return page


def screenshot(page, name: str) -> Path:
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
