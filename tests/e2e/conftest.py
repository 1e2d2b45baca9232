"""Browser-test harness: the app under uvicorn, Debian's chromium driven by Playwright.

Any console error or failed request fails the test; every test leaves a screenshot under
test-artifacts/screenshots/.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from playwright.sync_api import expect, sync_playwright

from tests.e2e.playground import watch
from tests.live_server import LiveServer

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"
# How long a wait may last before it fails: generous, so that a machine whose cores are busy
# with something else only makes the suite slower, never red (no test reads the clock).
WAIT_MS = 30_000
expect.set_options(timeout=WAIT_MS)


@pytest.fixture
def live_server():
    server = LiveServer().start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: `make test` installs Debian's chromium")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


class PageProblems:
    """Console errors, page errors and failed requests seen during a test."""

    def __init__(self) -> None:
        self.items: list[str] = []
        self.allowed: list[str] = []  # substrings a test expects (e.g. a killed server)

    def add(self, text: str) -> None:
        if not any(fragment in text for fragment in self.allowed):
            self.items.append(text)


@pytest.fixture
def problems() -> PageProblems:
    return PageProblems()


@pytest.fixture
def page(browser, live_server, problems, request):
    context = browser.new_context(viewport={"width": 1366, "height": 768})
    context.set_default_timeout(WAIT_MS)
    page = context.new_page()
    watch(page, problems, live_server.url)
    yield page
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    try:
        page.screenshot(path=str(SCREENSHOTS / f"{request.node.name}.png"))
    finally:
        context.close()
    assert not problems.items, "the page reported problems:\n" + "\n".join(problems.items)
