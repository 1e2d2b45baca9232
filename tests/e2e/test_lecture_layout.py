"""The lecture's panels fit a projector (1280×720) and a laptop (1366×768): the drawer takes
its own column, nothing overflows the window or overlaps the output, menus stay reachable."""

import pytest
from playwright.sync_api import expect

from tests.e2e.lecture import open_lab
from tests.e2e.playground import inside, link_middle, open_playground, unnamed_controls

BUSY = (
    "#problem=multiclass&mcDataset=spiral&numClasses=5&networkShape=8,8,8,8,8,8&percTrainData=70"
    "&percValData=10&xSquared=true&ySquared=true&sinX=true&sinY=true&seed=layout"
)
MUST_FIT = [
    "#lessons-button",
    "#lab-toggle",
    "#num-classes",
    "#validation-split",
    "#x-scale",
    "#standardize",
    "#regenerate",
    "#output-map",
    "#legend",
    "#discretize",
    "#test-accuracy",
    "#validation-loss",
    "#output-activation",
    "#loss",
    "#optimizer",
    "#reset-same",
    "#phi-plot",
]


def box_of(page, selector):
    return page.locator(selector).bounding_box()


@pytest.mark.parametrize("size", [(1280, 720), (1366, 768)], ids=["1280x720", "1366x768"])
def test_the_drawer_fits_beside_the_output_without_overflow(page, size):
    width, height = size
    page.set_viewport_size({"width": width, "height": height})
    open_playground(page, BUSY)
    open_lab(page)
    expect(page.locator(".node.output")).to_have_count(5)
    scroll = page.evaluate(
        "() => [document.documentElement.scrollWidth, document.documentElement.scrollHeight]"
    )
    assert scroll[0] <= width and scroll[1] <= height
    for selector in MUST_FIT:
        assert inside(box_of(page, selector), width, height), selector
    lab, output = box_of(page, "#lab"), box_of(page, ".output-column")
    assert lab["x"] >= output["x"] + output["width"]  # its own column, no overlap
    for node in page.locator(".node").evaluate_all(
        "(nodes) => nodes.map((n) => n.getBoundingClientRect().toJSON())"
    ):
        assert inside(node, width, height) and node["x"] + node["width"] <= output["x"]
    # The inspector's tab scrolls inside the drawer, never the page.
    x, y = link_middle(page, 0, 0, 0)
    page.mouse.move(x, y)
    page.mouse.click(x, y)
    page.get_by_role("button", name="Explain ∂L/∂w").click()
    expect(page.locator("#chain .chain-row")).not_to_have_count(0)
    assert inside(box_of(page, "#inspector-title"), width, height)
    scroll = page.evaluate("() => document.documentElement.scrollHeight")
    assert scroll <= height


def test_every_control_of_the_drawer_and_the_lessons_menu_has_a_name(page):
    open_playground(page)
    open_lab(page)
    page.get_by_role("button", name="Lessons").click()
    expect(page.get_by_role("navigation", name="Lessons")).to_be_visible()
    unnamed = unnamed_controls(
        page,
        "#lab button, #lab select, #lab input, .data-options input, #lessons-menu a,"
        " .topbar button",
    )
    assert unnamed == []
    page.keyboard.press("Escape")
    expect(page.get_by_role("navigation", name="Lessons")).to_be_hidden()
