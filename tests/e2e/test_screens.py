"""Every classroom screen, from a 1080p projector to a phone and a laptop at 150 % zoom: every
control and read-out is on screen or reachable by scrolling, Play and the losses never leave
the window, the page never scrolls sideways, and the main regions never overlap, with and
without "Under the hood". One screenshot per viewport goes to test-artifacts/screens/."""

import pytest
from playwright.sync_api import expect

from tests.e2e.playground import open_playground, pause_button, play_button, wait_epoch_above
from tests.e2e.screens import (
    BUSY,
    REGIONS,
    in_window,
    overlap,
    page_boxes,
    save_screenshot,
    screen_page,
    scroll_into_view,
    viewport_box,
)

# (name, width, height, device pixel ratio): 150 % zoom of a 1366×768 laptop is a window of
# 911×438 CSS px at 1.5 device pixels each.
VIEWPORTS = [
    ("1920x1080", 1920, 1080, 1),
    ("1366x768", 1366, 768, 1),
    ("1366x657", 1366, 657, 1),
    ("1280x720", 1280, 720, 1),
    ("1280x632", 1280, 632, 1),
    ("1024x768", 1024, 768, 1),
    ("768x1024", 768, 1024, 2),
    ("390x844", 390, 844, 2),
    ("1366x768-zoom150", 911, 438, 1.5),
]
REACHABLE = [
    "#play-button",
    "#epoch",
    "#train-loss",
    "#test-loss",
    "#validation-loss",
    "#speed",
    "#learning-rate",
    "#problem",
    "#lab-toggle",
    "#present-toggle",
    "#help-button",
    "#connection",
    "#regenerate",
    "#validation-split",
    '.node.output[data-neuron="4"]',
    "#add-layer",
    "#output-map",
    "#legend",
    "#show-test",
    "#discretize",
    "#file-menu-button",
]
ALWAYS_SHOWN = ["#play-button", "#epoch", "#train-loss", "#test-loss"]


def assert_regions_apart(page, selectors):
    page.evaluate("() => window.scrollTo(0, 0)")
    boxes = page_boxes(page, selectors)
    assert set(boxes) == set(selectors), f"not rendered: {set(selectors) - set(boxes)}"
    for selector, box in boxes.items():
        assert box["width"] > 0 and box["height"] > 0, selector
    for i, a in enumerate(selectors):
        for b in selectors[i + 1 :]:
            assert overlap(boxes[a], boxes[b]) < 1, f"{a} overlaps {b}"


def assert_within(page, inner, outer):
    """Every element of `inner` lies inside the box of `outer` (page coordinates)."""
    boxes = page_boxes(page, [outer, *inner])
    o = boxes[outer]
    for selector in inner:
        b = boxes[selector]
        for start, size in (("x", "width"), ("y", "height")):
            assert o[start] - 0.5 <= b[start], selector
            assert b[start] + b[size] <= o[start] + o[size] + 0.5, selector


# Each column's own tools stay in their column (a menu anchored to the window would not).
OWN = {".output-column": ["#file-menu-button", "#draw-toggle", "#output-map", "#legend"]}


def assert_reachable(page, selectors, width, height):
    for selector in selectors:
        assert in_window(scroll_into_view(page, selector), width, height), selector


def assert_always_shown(page, width, height):
    """At the top and at the bottom of the page, Play and the losses are in the window."""
    for where in ("0", "document.documentElement.scrollHeight"):
        page.evaluate(f"() => window.scrollTo(0, {where})")
        for selector in ALWAYS_SHOWN:
            assert in_window(viewport_box(page, selector), width, height), (where, selector)


@pytest.mark.parametrize("name,width,height,scale", VIEWPORTS, ids=[v[0] for v in VIEWPORTS])
def test_every_control_fits_the_screen(browser, live_server, problems, name, width, height, scale):
    viewport = {"width": width, "height": height}
    with screen_page(
        browser, live_server, problems, viewport=viewport, device_scale_factor=scale
    ) as page:
        open_playground(page, BUSY)
        expect(page.locator(".node.neuron")).to_have_count(48)
        scroll_into_view(page, "#play-button")
        play_button(page).click()
        wait_epoch_above(page, 0)
        pause_button(page).click()
        expect(page.locator("#app")).to_have_attribute("data-playing", "false")
        expect(page.locator("#validation-loss")).not_to_have_text("–")

        scroll = page.evaluate("() => document.documentElement.scrollWidth")
        assert scroll <= width, "the page scrolls sideways"
        assert_reachable(page, REACHABLE, width, height)
        assert_always_shown(page, width, height)
        assert_regions_apart(page, REGIONS)
        for outer, inner in OWN.items():
            assert_within(page, inner, outer)
        save_screenshot(page, name)

        scroll_into_view(page, "#lab-toggle")
        page.get_by_role("button", name="Under the hood").click()
        expect(page.locator("#lab")).to_be_visible()
        assert_reachable(
            page, ["#output-activation", "#loss", "#optimizer", "#phi-plot"], width, height
        )
        assert_reachable(
            page, ["#problem", '.node.output[data-neuron="4"]', "#discretize"], width, height
        )
        assert_always_shown(page, width, height)
        assert_regions_apart(page, [*REGIONS, "#lab"])
        for outer, inner in OWN.items():
            assert_within(page, inner, outer)
        assert page.evaluate("() => document.documentElement.scrollWidth") <= width
        page.evaluate("() => window.scrollTo(0, 0)")
        save_screenshot(page, f"{name}-under-the-hood")


def test_a_big_screen_grows_the_map_the_chart_and_the_diagram(browser, live_server, problems):
    with screen_page(
        browser, live_server, problems, viewport={"width": 1920, "height": 1080}
    ) as page:
        open_playground(page)
        sizes = page.evaluate(
            """() => ({
                map: document.getElementById('output-map').getBoundingClientRect().width,
                chart: document.getElementById('loss-chart').getBoundingClientRect().height,
                column: document.querySelector('.output-column').getBoundingClientRect().height,
                node: document.querySelector('.node.neuron').getBoundingClientRect().width,
            })"""
        )
        # On a 1366×768 laptop the map is about 300 px, the chart 56 px, a neuron 46 px.
        assert sizes["map"] >= 360
        assert sizes["chart"] >= sizes["column"] / 3
        assert sizes["node"] > 50
