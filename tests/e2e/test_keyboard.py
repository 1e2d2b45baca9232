"""Keyboard only, no mouse: change the learning rate, add a neuron, open a link's weight and
set it, play and pause; every stop on the way shows a focus ring."""

from playwright.sync_api import expect

from tests.e2e.playground import open_playground, wait_epoch_above, wait_hash_contains

FOCUSED = """(selector) => {
    const el = document.activeElement;
    return Boolean(el && el.matches(selector));
}"""

# What the focused element shows: an outline for HTML controls, a stroke for the diagram's
# SVG links and bias squares.
RING = """() => {
    const el = document.activeElement;
    const style = getComputedStyle(el);
    const width = parseFloat(el instanceof SVGElement ? style.strokeWidth : style.outlineWidth);
    if (el instanceof SVGElement) return style.stroke !== 'none' && width >= 2;
    return style.outlineStyle !== 'none' && width >= 2;
}"""


def tab_to(page, selector: str, reverse: bool = False, limit: int = 120) -> None:
    """Press Tab (Shift+Tab) until the focused element matches `selector`, checking the
    focus ring at every stop on the way."""
    key = "Shift+Tab" if reverse else "Tab"
    for _ in range(limit):
        page.keyboard.press(key)
        assert page.evaluate(RING), page.evaluate("() => document.activeElement.outerHTML")
        if page.evaluate(FOCUSED, selector):
            return
    raise AssertionError(f"Tab never reached {selector}")


def test_a_lesson_by_keyboard_alone(page):
    open_playground(page, "#networkShape=4,2&learningRate=0.03&seed=0.4")
    page.locator("body").focus()

    tab_to(page, "#learning-rate")
    page.keyboard.press("ArrowDown")
    wait_hash_contains(page, "learningRate=0.1")
    expect(page.locator("#learning-rate")).to_have_value("0.1")

    tab_to(page, '[aria-label="Add a neuron to hidden layer 1"]')
    page.keyboard.press("Enter")
    expect(page.locator('.layer-head[data-layer="1"] .layer-size')).to_have_text("5 neurons")

    # The weights and biases are one tab stop; the arrow keys walk them.
    tab_to(page, ".link-hit", reverse=True)
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    link = page.locator(".link-hit:focus")
    name = "Weight from input x to neuron 3 of hidden layer 1"
    expect(link).to_have_attribute("aria-label", name)
    page.keyboard.press("Enter")
    field = page.get_by_role("spinbutton", name="Weight value")
    expect(field).to_be_focused()
    page.keyboard.type("2.5")
    page.keyboard.press("Enter")
    # Focus goes back to the link, drawn as wide as a weight of 2.5 (1 + 9 · 2.5 / 5 px).
    expect(page.locator(".link-hit:focus")).to_have_attribute("data-width", "5.5")
    expect(page.locator("#card")).to_contain_text("Weight is 2.500")

    tab_to(page, "#play-button", reverse=True)
    page.keyboard.press("Enter")
    expect(page.locator("#play-button")).to_have_attribute("aria-label", "Pause")
    wait_epoch_above(page, 0)
    page.keyboard.press("Enter")
    expect(page.locator("#play-button")).to_have_attribute("aria-label", "Play")
    expect(page.locator("#app")).to_have_attribute("data-playing", "false")


def test_neurons_are_one_tab_stop_and_show_on_the_map(page):
    open_playground(page, "#networkShape=3,2&seed=0.5")
    page.locator("body").focus()
    tab_to(page, ".node.neuron")
    expect(page.locator(".node.neuron:focus")).to_have_attribute("data-layer", "1")
    expect(page.locator("#output-map")).to_have_attribute("data-focus", "1:0")
    page.keyboard.press("ArrowDown")
    expect(page.locator("#output-map")).to_have_attribute("data-focus", "1:1")
    page.keyboard.press("ArrowRight")
    expect(page.locator("#output-map")).to_have_attribute("data-focus", "2:1")
    expect(page.locator("#formula-card")).to_contain_text("Neuron 2 of hidden layer 2")
    # The epoch did not move: arrow keys in the diagram never step the training.
    expect(page.locator("#epoch")).to_have_attribute("data-epoch", "0")
    page.keyboard.press("Tab")  # out of the neurons in one press
    expect(page.locator("#output-map")).to_have_attribute("data-focus", "output")
    assert not page.evaluate(FOCUSED, ".node.neuron, .node.output")
