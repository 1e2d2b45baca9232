"""The page opens in a real browser with no console error, its controls named and filled."""

from playwright.sync_api import expect

from tests.e2e.playground import inside, open_playground, play_button, unnamed_controls


def test_page_opens_without_errors(page):
    open_playground(page)
    expect(page).to_have_title("Neural Playground")
    expect(play_button(page)).to_be_visible()
    expect(page.get_by_role("button", name="Step", exact=True)).to_be_visible()
    expect(page.get_by_role("button", name="Reset", exact=True)).to_be_visible()
    expect(page.get_by_label("Epoch", exact=True)).to_have_text("000,000")
    expect(page.locator("#connection")).to_have_attribute("data-state", "open")
    # Menus come from the server's registries, not from the page.
    expect(page.get_by_label("Activation")).to_have_value("tanh")
    expect(page.get_by_label("Learning rate")).to_have_value("0.03")
    assert page.locator("#learning-rate option").count() >= 10
    assert page.locator("#speed option").count() == 6
    # The URL carries the whole configuration, seed included.
    assert "seed=" in page.evaluate("() => location.hash")


def test_every_control_has_an_accessible_name(page):
    open_playground(page)
    unnamed = unnamed_controls(page)
    assert unnamed == []


def test_help_overlay_lists_the_shortcuts(page):
    open_playground(page)
    page.keyboard.press("?")
    dialog = page.get_by_role("dialog", name="Keyboard shortcuts")
    expect(dialog).to_be_visible()
    expect(dialog).to_contain_text("Play / pause")
    page.keyboard.press("Escape")
    expect(dialog).to_be_hidden()
    page.get_by_role("button", name="Keyboard shortcuts and help").click()
    expect(dialog).to_be_visible()


CONFIG_B = (
    "#dataset=spiral&networkShape=8,8,8,8,8,8&activation=tanh&batchSize=10&seed=0.5"
    "&x=true&y=true&xSquared=true&ySquared=true&xTimesY=true&sinX=true&sinY=true"
)


def test_the_largest_network_fits_a_projector_screen(page):
    page.set_viewport_size({"width": 1280, "height": 720})
    open_playground(page, CONFIG_B)
    expect(page.locator(".node.neuron")).to_have_count(48)
    size = page.evaluate(
        "() => [document.documentElement.scrollWidth, document.documentElement.scrollHeight]"
    )
    assert size[0] <= 1280 and size[1] <= 720
    must_fit = [
        "#play-button",
        "#problem",
        "#regenerate",
        "#output-map",
        "#legend",
        "#discretize",
        ".node.output",
    ]
    page.wait_for_function(  # the layout settles (a notice shown while connecting goes)
        "(selectors) => selectors.every((s) => { const r = document.querySelector(s)"
        ".getBoundingClientRect(); return r.bottom <= innerHeight && r.right <= innerWidth; })",
        arg=must_fit,
    )
    for selector in must_fit:
        assert inside(page.locator(selector).bounding_box(), 1280, 720), selector
    for box in page.locator(".node").evaluate_all(
        "(nodes) => nodes.map((n) => n.getBoundingClientRect().toJSON())"
    ):
        assert inside(box, 1280, 720)


def test_keyboard_focus_is_visible(page):
    open_playground(page)
    page.locator("body").press("Tab")
    focused = page.evaluate(
        """() => {
            const el = document.activeElement;
            const style = getComputedStyle(el);
            return [el.tagName, style.outlineStyle, parseFloat(style.outlineWidth)];
        }"""
    )
    assert focused[0] in ("BUTTON", "SELECT", "INPUT")
    assert focused[1] != "none" and focused[2] >= 2
