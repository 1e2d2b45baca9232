"""Accessibility: axe-core finds no serious or critical violation in any theme or mode; the
network is described in words; colour is never the only cue; reduced motion stills the links;
forced colours keep the data's pictures."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from tests.e2e.lecture import open_lab, step
from tests.e2e.playground import open_playground
from tests.e2e.screens import screen_page

SERIOUS = {"serious", "critical"}
MULTICLASS = "#problem=multiclass&mcDataset=spiral&numClasses=5&percValData=10&seed=a11y"


def serious_violations(page) -> list[str]:
    results = Axe().run(page).response
    return [
        f"{v['impact']} {v['id']}: {v['help']} at {[n['target'] for n in v['nodes'][:5]]}"
        for v in results["violations"]
        if v["impact"] in SERIOUS
    ]


def background_luminance(page) -> float:
    """Relative luminance (0 black … 1 white) of the page's background colour."""
    return page.evaluate(
        """() => {
            const [r, g, b] = getComputedStyle(document.body).backgroundColor
                .match(/\\d+/g).slice(0, 3).map((c) => Number(c) / 255)
                .map((c) => (c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4));
            return 0.2126 * r + 0.7152 * g + 0.0722 * b;
        }"""
    )


MODES = [
    "default",
    "under-the-hood",
    "presentation",
    "dark",
    "high-contrast",
    "multiclass",
    "phone",
]


@pytest.mark.parametrize("mode", MODES)
def test_axe_finds_no_serious_violation(browser, live_server, problems, mode):
    options = {"viewport": {"width": 1366, "height": 768}}
    if mode == "phone":
        options = {"viewport": {"width": 390, "height": 844}, "has_touch": True}
    if mode == "dark":
        options["color_scheme"] = "dark"
    with screen_page(browser, live_server, problems, **options) as page:
        open_playground(page, MULTICLASS if mode == "multiclass" else "")
        if mode == "under-the-hood":
            open_lab(page)
        elif mode == "presentation":
            page.get_by_role("button", name="Present").click()
            expect(page.locator("html")).to_have_class("present")
        elif mode == "high-contrast":
            page.get_by_role("button", name="High contrast").click()
            expect(page.locator("html")).to_have_class("contrast")
        elif mode == "dark":
            assert background_luminance(page) < 0.05  # the dark theme is on, not the light one
        assert serious_violations(page) == []


def test_the_network_is_described_in_words(page):
    open_playground(page, "#networkShape=4,2&x=true&y=true&activation=tanh&seed=0.1")
    description = page.locator("#network-description")
    expect(description).to_contain_text("2 inputs (x, y)")
    expect(description).to_contain_text("2 hidden layers of 4 and 2 neurons, Tanh")
    expect(description).to_contain_text("25 weights and biases")
    described_by = page.locator(".network-column").get_attribute("aria-describedby")
    assert described_by == "network-description"
    page.get_by_role("button", name="Add a neuron to hidden layer 1").click()
    expect(description).to_contain_text("2 hidden layers of 5 and 2 neurons")
    # Each neuron is named, and its formula (the card shown on focus) describes it.
    neuron = page.get_by_role("button", name="Neuron 1 of hidden layer 2: show it on the map")
    expect(neuron).to_have_attribute("aria-describedby", "formula-card")
    neuron.focus()
    expect(page.locator("#formula-card")).to_be_visible()
    expect(page.locator("#formula-card")).to_contain_text("h = φ(Σ w·x + b)")


def test_colour_is_never_the_only_cue(page):
    open_playground(page, MULTICLASS)
    shapes = page.locator("#legend .swatch-item[data-shape]").evaluate_all(
        "(items) => items.map((item) => item.dataset.shape)"
    )
    assert len(shapes) == 5 and len(set(shapes)) == 5  # one shape per class
    # The chart's three curves differ in line style too, shown beside each loss.
    styles = page.evaluate(
        """() => ['test', 'train', 'validation'].map((k) => {
            const style = getComputedStyle(
                document.querySelector('.loss-key-' + k), '::before');
            return [style.borderTopStyle, style.borderTopWidth];
        })"""
    )
    assert len({tuple(s) for s in styles}) == 3
    page.goto("about:blank")
    open_playground(page, "#dataset=xor&seed=0.2")
    shapes = page.locator("#legend .swatch-item[data-shape]").evaluate_all(
        "(items) => items.map((item) => item.dataset.shape)"
    )
    assert sorted(shapes) == ["circle", "square"]


@pytest.mark.parametrize("motion", ["reduce", "no-preference"])
def test_reduced_motion_keeps_the_links_still(browser, live_server, problems, motion):
    options = {"viewport": {"width": 1366, "height": 768}, "reduced_motion": motion}
    with screen_page(browser, live_server, problems, **options) as page:
        open_playground(page, "#seed=0.3")
        links = page.locator(".link-layer")
        expect(links).to_have_attribute("data-flow", "0")
        step(page, 6)
        # The dashes flow one pixel every three epochs, unless the user asked for less motion.
        expect(links).to_have_attribute("data-flow", "0" if motion == "reduce" else "-2")


def test_forced_colours_keep_the_pictures_and_outline_the_buttons(browser, live_server, problems):
    options = {"viewport": {"width": 1366, "height": 768}, "forced_colors": "active"}
    with screen_page(browser, live_server, problems, **options) as page:
        open_playground(page)
        looks = page.evaluate(
            """() => ({
                map: getComputedStyle(document.getElementById('output-map')).forcedColorAdjust,
                ramp: getComputedStyle(document.querySelector('.legend-ramp')).forcedColorAdjust,
                play: parseFloat(getComputedStyle(document.getElementById('play-button'))
                    .borderTopWidth),
            })"""
        )
        # The data's colours stay (they are the picture); a button without its fill keeps
        # an outline in the system's text colour.
        assert looks == {"map": "none", "ramp": "none", "play": 1}
