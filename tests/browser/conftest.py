"""Browser tests: Playwright driving Debian's Chromium against the live test server.

They skip when /usr/bin/chromium is missing, unless REQUIRE_BROWSER=1 (as in CI), where a
missing browser fails them. With SCREENSHOTS=1 they also save screenshots under
tests/screenshots/ (not committed).
"""

import os
from pathlib import Path

import pytest

# Playwright's sync API runs an event loop in the test thread; the database calls the tests
# make around it are ordinary synchronous ones.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-gpu",
]
SCREENSHOT_DIR = Path(__file__).resolve().parent.parent / "screenshots"
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 375, "height": 812}


@pytest.fixture(scope="session")
def browser():
    """Return a headless Chromium (the system's; never a downloaded one)."""
    if not Path(CHROMIUM).exists():
        if os.environ.get("REQUIRE_BROWSER") == "1":
            pytest.fail(f"{CHROMIUM} is missing and REQUIRE_BROWSER=1 requires the browser tests")
        pytest.skip(f"{CHROMIUM} is not installed; browser tests skipped")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser):
    """Return a fresh desktop-sized page that accepts downloads."""
    context = browser.new_context(viewport=DESKTOP, accept_downloads=True)
    context.set_default_timeout(10_000)
    yield context.new_page()
    context.close()


@pytest.fixture
def screenshot(browser):
    """Return save(url, name): screenshots at desktop and phone widths when SCREENSHOTS=1."""
    enabled = os.environ.get("SCREENSHOTS") == "1"

    def save(url, name):
        if not enabled:
            return []
        SCREENSHOT_DIR.mkdir(exist_ok=True)
        paths = []
        for label, viewport in (("desktop", DESKTOP), ("phone", PHONE)):
            context = browser.new_context(viewport=viewport)
            shot = context.new_page()
            shot.goto(url)
            path = SCREENSHOT_DIR / f"{name}-{label}.png"
            shot.screenshot(path=str(path), full_page=True)
            context.close()
            paths.append(path)
        return paths

    save.enabled = enabled
    return save
