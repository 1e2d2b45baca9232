"""Reference links: their configuration in the controls, classroom hiding, notices."""

from playwright.sync_api import expect

from tests.e2e.playground import REFERENCE_LINK, open_playground, wait_hash_contains


def test_a_reference_link_opens_with_its_configuration_in_the_controls(page):
    open_playground(page, REFERENCE_LINK)
    expect(page.get_by_label("Activation")).to_have_value("relu")
    expect(page.get_by_label("Learning rate")).to_have_value("0.1")
    expect(page.locator("#regularization")).to_have_value("none")
    # the menus show the engine's labels, not their wire names
    expect(page.locator("#regularization option")).to_have_text(["None", "L1", "L2"])
    expect(page.locator("#problem option")).to_have_text(
        ["Classification", "Regression", "Multi-class"]
    )
    expect(page.get_by_label("Regularization rate")).to_have_value("0")
    expect(page.get_by_label("Problem type")).to_have_value("classification")
    expect(page.get_by_role("radio", name="Exclusive or dataset")).to_have_attribute(
        "aria-checked", "true"
    )
    expect(page.get_by_role("radio", name="Circle dataset")).to_have_attribute(
        "aria-checked", "false"
    )
    expect(page.get_by_label("Batch size")).to_have_value("3")
    expect(page.locator("#batch-value")).to_have_text("3")
    expect(page.get_by_label("Noise")).to_have_value("10")
    expect(page.get_by_label("Ratio of training to test data")).to_have_value("60")
    expect(page.locator("#ratio-value")).to_have_text("60%")
    expect(page.get_by_label("Show test data")).to_be_checked()
    expect(page.get_by_label("Discretize output")).not_to_be_checked()
    for name, pressed in [("x", "true"), ("y", "true"), ("xy", "true"), ("x²", "false")]:
        feature = page.get_by_role("button", name=f"Feature {name}", exact=True)
        expect(feature).to_have_attribute("aria-pressed", pressed)
    expect(page.locator("#layers-count")).to_have_text("2 hidden layers")
    expect(page.locator(".layer-size")).to_have_text(["5 neurons", "3 neurons"])
    expect(page.locator(".node.neuron")).to_have_count(8)
    # 500 points, 60 % of them training points, all drawn on the map.
    expect(page.locator("#map-points")).to_have_attribute("data-points", "300")
    wait_hash_contains(page, "seed=0.61937")
    expect(page.locator(".banner-notice")).to_have_count(0)


def test_hide_keys_hide_their_controls(page):
    link = REFERENCE_LINK.replace("hideText=false", "hideText=true") + (
        "&playButton_hide=true&dataset_hide=true&noise_hide=true&xSquared_hide=true"
        "&learningRate_hide=true"
    )
    open_playground(page, link)
    expect(page.get_by_role("button", name="Play", exact=True)).to_be_hidden()
    expect(page.get_by_role("button", name="Step", exact=True)).to_be_visible()
    expect(page.get_by_role("radiogroup", name="Dataset")).to_be_hidden()
    expect(page.get_by_label("Noise")).to_be_hidden()
    expect(page.get_by_label("Learning rate")).to_be_hidden()
    expect(page.get_by_label("Activation")).to_be_visible()
    expect(page.get_by_role("button", name="Feature x²")).to_have_count(0)
    expect(page.get_by_role("button", name="Feature y²")).to_be_visible()
    expect(page.locator(".tagline")).to_be_hidden()  # hideText: the explanations
    # Space does nothing when the play button is hidden (classroom mode).
    page.locator("body").press("Space")
    page.get_by_role("button", name="Step", exact=True).click()
    expect(page.locator("#epoch")).to_have_attribute("data-epoch", "1")
    expect(page.locator("#app")).to_have_attribute("data-playing", "false")


def test_bad_values_in_a_link_are_ignored_with_a_visible_notice(page):
    open_playground(page, "#activation=swish&learningRate=0.3&foo=1")
    notice = page.locator(".banner-notice")
    expect(notice).to_be_visible()
    expect(notice).to_contain_text("foo")
    expect(page.get_by_label("Activation")).to_have_value("tanh")
    expect(page.get_by_label("Learning rate")).to_have_value("0.3")
    notice.get_by_role("button", name="Dismiss").click()
    expect(notice).to_have_count(0)


def test_pasting_a_new_link_loads_it(page):
    open_playground(page)
    page.evaluate("() => { location.hash = 'activation=sigmoid&networkShape=3&seed=0.5'; }")
    expect(page.get_by_label("Activation")).to_have_value("sigmoid")
    expect(page.locator(".node.neuron")).to_have_count(3)
    wait_hash_contains(page, "seed=0.5")
