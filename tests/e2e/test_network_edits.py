"""Editing the network: activation, layers, neurons, features, a weight, hovering a neuron."""

from playwright.sync_api import expect

from tests.e2e.playground import (
    epoch,
    link_middle,
    map_pixels,
    open_playground,
    wait_hash_contains,
    wait_map_changes,
)


def thumbnails(page):
    """The canvas with every neuron's thumbnail, as a data URL."""
    return page.evaluate("() => document.querySelector('.thumb-layer').toDataURL()")


def test_changing_the_activation_rebuilds_the_network(page):
    open_playground(page)
    page.get_by_role("button", name="Step", exact=True).click()
    expect(page.locator("#epoch")).to_have_attribute("data-epoch", "1")
    before_map, before_thumbs = map_pixels(page), thumbnails(page)
    page.get_by_label("Activation").select_option("relu")
    wait_hash_contains(page, "activation=relu")
    expect(page.locator("#epoch")).to_have_attribute("data-epoch", "0")
    wait_map_changes(page, before_map)
    page.wait_for_function(
        "(before) => document.querySelector('.thumb-layer').toDataURL() !== before",
        arg=before_thumbs,
    )
    expect(page.get_by_label("Activation")).to_have_value("relu")


def test_adding_a_layer_and_a_neuron_changes_the_diagram_and_the_run(page):
    # A fixed seed: with some random first weights a deep tanh net's output is so flat that
    # one epoch moves it by less than one colour step, and the map would not change.
    open_playground(page, "#seed=edits")
    neurons = page.locator(".node.neuron")
    expect(neurons).to_have_count(6)  # the default [4, 2]
    expect(page.locator(".link-hit")).to_have_count(2 * 4 + 4 * 2 + 2 * 1)

    page.get_by_role("button", name="Add a hidden layer").click()
    expect(page.locator("#layers-count")).to_have_text("3 hidden layers")
    expect(neurons).to_have_count(8)
    wait_hash_contains(page, "networkShape=4,2,2")

    page.get_by_role("button", name="Add a neuron to hidden layer 3").click()
    expect(neurons).to_have_count(9)
    expect(page.locator('.layer-head[data-layer="3"] .layer-size')).to_have_text("3 neurons")
    expect(page.locator(".link-hit")).to_have_count(2 * 4 + 4 * 2 + 2 * 3 + 3 * 1)
    wait_hash_contains(page, "networkShape=4,2,3")

    # The new network trains: a step shows epoch 1 and thumbnails of all nine neurons.
    before = map_pixels(page)
    page.get_by_role("button", name="Step", exact=True).click()
    expect(page.locator("#epoch")).to_have_attribute("data-epoch", "1")
    wait_map_changes(page, before)

    page.get_by_role("button", name="Remove a neuron from hidden layer 1").click()
    expect(neurons).to_have_count(8)
    wait_hash_contains(page, "networkShape=3,2,3")


def test_toggling_a_feature(page):
    open_playground(page)
    feature = page.get_by_role("button", name="Feature x²")
    expect(feature).to_have_attribute("aria-pressed", "false")
    input_links = page.locator('.link-hit[data-layer="0"]')
    expect(input_links).to_have_count(2 * 4)
    feature.click()
    expect(feature).to_have_attribute("aria-pressed", "true")
    expect(input_links).to_have_count(3 * 4)
    wait_hash_contains(page, "xSquared=true")
    page.get_by_role("button", name="Feature x", exact=True).click()
    expect(input_links).to_have_count(2 * 4)
    wait_hash_contains(page, "x=false")


def test_editing_a_weight_through_the_card_changes_the_output(page):
    open_playground(page)
    x, y = link_middle(page, 2, 0, 0)
    page.mouse.move(x, y)
    card = page.locator("#card")
    expect(card).to_be_visible()
    expect(card).to_contain_text("Weight is")
    before = map_pixels(page)
    page.mouse.click(x, y)
    value = page.get_by_label("Weight value")
    expect(value).to_be_focused()
    value.fill("-4.5")
    value.press("Enter")
    expect(card).to_be_hidden()
    wait_map_changes(page, before)
    # The link is drawn with the new weight: width 1 + 9·4.5/5 = 9.1 px, in the darkest orange
    # (the link canvas draws what its hit path states).
    link = page.locator('.link-hit[data-layer="2"][data-source="0"][data-target="0"]')
    expect(link).to_have_attribute("data-width", "9")
    expect(link).to_have_attribute("data-shade", "0")
    assert epoch(page) == 0


def test_editing_a_bias_through_the_card(page):
    open_playground(page)
    bias = page.locator('.bias[data-layer="2"][data-neuron="0"]')  # the output's bias
    bias.hover()
    expect(page.locator("#card")).to_contain_text("Bias is 0.100")
    before = map_pixels(page)
    bias.click()
    page.get_by_label("Bias value").fill("-2")
    page.get_by_label("Bias value").press("Enter")
    wait_map_changes(page, before)
    page.mouse.move(0, 0)
    bias.hover()
    expect(page.locator("#card")).to_contain_text("Bias is -2.000")


def test_hovering_a_neuron_shows_it_on_the_big_map(page):
    open_playground(page)
    output = map_pixels(page)
    page.locator('.node.neuron[data-layer="1"][data-neuron="2"]').hover()
    expect(page.locator("#output-map")).to_have_attribute("data-focus", "1:2")
    expect(page.locator("#map-caption")).to_have_text("Showing neuron 3 of hidden layer 1")
    wait_map_changes(page, output)
    neuron = map_pixels(page)
    page.locator('.node.feature[data-feature="x"]').hover()
    expect(page.locator("#output-map")).to_have_attribute("data-focus", "0:0")
    wait_map_changes(page, neuron)
    page.locator("#output-heading").hover()
    expect(page.locator("#output-map")).to_have_attribute("data-focus", "output")
    expect(page.locator("#map-caption")).to_be_hidden()
