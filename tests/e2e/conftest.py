"""Browser tests: Playwright driving Debian's Chromium (never a downloaded browser) against a
live server. Without /usr/bin/chromium they are skipped with a message, unless
EVNE_REQUIRE_BROWSER=1 (as in CI), which makes a missing browser a failure."""

import os
from pathlib import Path

import pytest

from tests.conftest import PASSWORD

CHROMIUM = Path("/usr/bin/chromium")
# Chromium must not reach for the network: this machine has none, and Evne needs none.
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]
PHONE = {"width": 360, "height": 740}
DESKTOP = {"width": 1280, "height": 900}

# Playwright's sync API runs an event loop in the test thread; the ORM calls in the tests
# themselves are ordinary synchronous ones.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def pytest_collection_modifyitems(config, items):
    if CHROMIUM.exists():
        return
    reason = f"{CHROMIUM} is missing: `apt-get install chromium` to run the browser tests"
    if os.environ.get("EVNE_REQUIRE_BROWSER") == "1":
        raise pytest.UsageError(f"EVNE_REQUIRE_BROWSER=1 but {reason}")
    for item in items:
        if "e2e" in item.nodeid:
            item.add_marker(pytest.mark.skip(reason=reason))


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_FLAGS
        )
        yield browser
        browser.close()


@pytest.fixture
def open_browser(browser, live_server):
    """A fresh browser context (own cookies) on the live server, at a given screen width."""
    contexts = []

    def open_page(viewport=DESKTOP):
        context = browser.new_context(base_url=live_server.url, viewport=viewport)
        context.set_default_timeout(15_000)
        contexts.append(context)
        return context.new_page()

    yield open_page
    for context in contexts:
        context.close()


def sign_in(page, username, password=PASSWORD):
    page.goto("/login/")
    page.locator("input[name=username]").fill(username)
    page.locator("input[name=password]").fill(password)
    page.locator("form.form-stack button[type=submit]").click()
    page.wait_for_url("**/")
