"""Lecture row 3: every activation selectable, φ and φ′ plotted, gradients per layer live;
the step learns nothing below the output and the page says why; sigmoid's gradient vanishes."""

from playwright.sync_api import expect

from engine.config import registries
from tests.e2e.lecture import open_lab, step
from tests.e2e.playground import open_playground

ACTIVATIONS = [item["name"] for item in registries()["activations"]]


def gradient(page, layer: int) -> float:
    return float(page.get_attribute(f'.gradient-row[data-layer="{layer}"]', "data-value"))


def test_the_menu_offers_all_seven_activations_and_plots_the_chosen_one(page):
    open_playground(page)
    menu = page.locator("#activation")
    values = page.locator("#activation option").evaluate_all("(os) => os.map((o) => o.value)")
    assert values == ACTIVATIONS and len(values) == 7
    open_lab(page)
    plot = page.locator("#phi-plot")
    expect(plot).to_have_attribute("data-activation", "tanh")
    expect(plot.locator(".phi-value")).to_have_count(1)
    expect(plot.locator(".phi-derivative")).to_have_count(1)
    for name in ("gelu", "leaky_relu", "sigmoid"):
        menu.select_option(name)
        expect(plot).to_have_attribute("data-activation", name)
    expect(page.locator("#phi-note")).to_contain_text("tends to 0")  # sigmoid saturates


def test_step_activation_learns_nothing_and_the_page_says_why(page):
    open_playground(page, "#activation=step&dataset=xor&networkShape=4,2&seed=step")
    banner = page.locator(".banner-lecture")
    expect(banner).to_be_visible()
    expect(banner).to_contain_text("Nothing learns in the hidden layers")
    expect(banner).to_contain_text("φ′(a) = 0")
    open_lab(page)
    expect(page.locator("#phi-note")).to_contain_text("φ′(a) = 0 everywhere")
    step(page, 3)
    # Gradient per layer: exactly zero into both hidden layers, not at the output.
    expect(page.locator(".gradient-row.zero")).to_have_count(2)
    assert gradient(page, 0) == 0 and gradient(page, 1) == 0
    assert gradient(page, 2) > 0
    expect(page.locator("#gradients-note")).to_contain_text("no gradient reaches these layers")
    # Another activation takes the banner away.
    page.locator("#activation").select_option("tanh")
    expect(banner).to_have_count(0)


def test_sigmoid_in_a_deep_network_shows_the_gradient_vanish(page):
    open_playground(page, "#activation=sigmoid&dataset=circle&networkShape=6,6,6,6,6,6&seed=deep")
    open_lab(page)
    expect(page.locator(".gradient-row")).to_have_count(7)
    step(page, 2)
    first, last = gradient(page, 0), gradient(page, 6)
    assert 0 < first < last / 100
    expect(page.locator("#gradients-note")).to_contain_text("vanishing gradient")
    # Bars are on a log scale: the first layer's bar is visibly shorter than the output's.
    widths = page.locator(".gradient-bar").evaluate_all(
        "(bars) => bars.map((b) => b.getBoundingClientRect().width)"
    )
    assert widths[0] < widths[6] / 2
