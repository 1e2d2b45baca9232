"""Helpers for the classroom-screen tests: a page in a context of its own (viewport, pixel
ratio, touch, colour scheme), where things are on screen, and the regions of the page."""

from __future__ import annotations

from contextlib import contextmanager
from pathlib import Path

from playwright.sync_api import Page

from tests.e2e.playground import watch

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screens"

# The page's main regions: none may overlap another (the drawer only when open).
REGIONS = [".topbar", ".controls", ".data-column", ".network-column", ".output-column"]

# Busy enough to need room: validation rows, five classes, a deep network.
BUSY = (
    "#problem=multiclass&mcDataset=spiral&numClasses=5&networkShape=8,8,8,8,8,8&percTrainData=70"
    "&percValData=10&xSquared=true&ySquared=true&sinX=true&sinY=true&seed=screens"
)


@contextmanager
def screen_page(browser, live_server, problems, **options):
    """A page of its own context (Playwright `new_context` options); console errors, page
    errors and failed requests go to `problems`, which the test's fixture checks."""
    context = browser.new_context(**options)
    page = context.new_page()
    watch(page, problems, live_server.url)
    try:
        yield page
    finally:
        context.close()


def save_screenshot(page: Page, name: str) -> Path:
    """A screenshot of the window for a person to look at, in test-artifacts/screens/."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path))
    return path


def viewport_box(page: Page, selector: str) -> dict | None:
    """The element's box in the window (CSS px), or None when it is not rendered."""
    return page.evaluate(
        """(selector) => {
            const el = document.querySelector(selector);
            if (!el || !el.getClientRects().length) return null;
            return el.getBoundingClientRect().toJSON();
        }""",
        selector,
    )


def page_boxes(page: Page, selectors: list[str]) -> dict[str, dict]:
    """Boxes in page coordinates (the scroll added back) of the rendered elements."""
    return page.evaluate(
        """(selectors) => Object.fromEntries(selectors.flatMap((selector) => {
            const el = document.querySelector(selector);
            if (!el || !el.getClientRects().length) return [];
            const r = el.getBoundingClientRect();
            return [[selector, {x: r.x + scrollX, y: r.y + scrollY, width: r.width,
                                height: r.height}]];
        }))""",
        selectors,
    )


def overlap(a: dict, b: dict) -> float:
    """Area (CSS px²) two boxes share."""
    width = min(a["x"] + a["width"], b["x"] + b["width"]) - max(a["x"], b["x"])
    height = min(a["y"] + a["height"], b["y"] + b["height"]) - max(a["y"], b["y"])
    return max(0.0, width) * max(0.0, height)


def in_window(box: dict | None, width: int, height: int, slack: float = 0.5) -> bool:
    """The box has a size and lies wholly inside the window."""
    return (
        box is not None
        and box["width"] > 0
        and box["height"] > 0
        and box["x"] >= -slack
        and box["y"] >= -slack
        and box["x"] + box["width"] <= width + slack
        and box["y"] + box["height"] <= height + slack
    )


def scroll_into_view(page: Page, selector: str) -> dict | None:
    """Scroll the page (and any scrolling column) until the element shows; its box then."""
    page.locator(selector).scroll_into_view_if_needed()
    return viewport_box(page, selector)
