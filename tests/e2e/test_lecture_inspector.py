"""Lecture rows 2, 7 and 8: the backprop inspector's chain rule with the run's numbers,
following each step, for the last batch or one picked point; a neuron's formula on hover."""

import pytest
from playwright.sync_api import expect

from tests.e2e.lecture import card_weight, chain_value, explain_link, step
from tests.e2e.playground import open_playground, wait_settled

# 50 training points in one batch of 50: one update per epoch, so a step's weight change
# is exactly one gradient-descent update.
ONE_BATCH = "#dataset=xor&percTrainData=10&batchSize=50&learningRate=1&networkShape=3&seed=inspect"


def point_value(page, column, point=0):
    """A number of the inspector's per-point table, at full precision (its data-value)."""
    cell = page.locator(f'#chain tbody tr[data-point="{point}"] td[data-col="{column}"]')
    return float(cell.get_attribute("data-value"))


def test_dl_dw_equals_the_weight_change_over_minus_alpha_after_an_sgd_step(page):
    open_playground(page, ONE_BATCH)
    before = card_weight(page, 1, 1, 0)
    explain_link(page, 1, 1, 0)
    expect(page.locator("#chain .chain-row")).not_to_have_count(0)
    title = page.get_by_role("heading", name="Weight from neuron 2 of hidden layer 1")
    expect(title).to_be_visible()
    step(page)
    expect(page.locator("#inspector")).to_have_attribute("data-epoch", "1")
    expect(page.locator("#inspector")).to_have_attribute("data-batch", "last_update")
    dl_dw = chain_value(page, "dLdw")
    alpha = chain_value(page, "learningRate")
    assert alpha == 1
    after = card_weight(page, 1, 1, 0)
    # The card shows 3 decimals: the change it shows is good to ±0.001.
    assert abs(dl_dw) > 0.05
    assert dl_dw == pytest.approx(-(after - before) / alpha, abs=0.0011 / alpha)
    # The inspector's own before/after (full precision) agree with its ∂L/∂w exactly.
    w, w_after = chain_value(page, "weight"), chain_value(page, "weightAfter")
    assert dl_dw == pytest.approx(-(w_after - w) / alpha, rel=1e-6)
    assert w == pytest.approx(before, abs=0.0006) and w_after == pytest.approx(after, abs=0.0006)
    # ∂L/∂w is the mean of a_{i−1}·∂L/∂a over the batch, worked point by point; a link
    # into the output starts from the derivative of the loss.
    chain = page.locator("#chain")
    expect(chain).to_contain_text("∂L/∂hi")
    expect(chain.locator("tbody tr")).to_have_count(50)
    expect(chain).to_contain_text("Σ ∂L/∂w over the 50 points")
    expect(chain.locator('[data-key="dLdw"]')).to_contain_text("mean = Σ / n")
    expect(chain.locator(".chain-legend")).to_contain_text("the derivative of the loss")


def test_the_inspector_follows_each_step_and_a_picked_point(page):
    open_playground(page, ONE_BATCH)
    explain_link(page, 0, 1, 2)
    expect(page.locator("#chain .chain-row")).not_to_have_count(0)
    inspector = page.locator("#inspector")
    expect(inspector).to_have_attribute("data-batch", "next_batch")
    step(page)
    expect(inspector).to_have_attribute("data-epoch", "1")
    first = chain_value(page, "dLdw")
    # Into a hidden neuron: ∂L/∂h sums w·∂L/∂a over the layer above (here the one output).
    terms = page.locator('#chain [data-key="dLdh"] .chain-terms li')
    expect(terms).to_have_count(1)
    expect(terms).to_contain_text("→ the output")
    step(page)
    expect(inspector).to_have_attribute("data-epoch", "2")
    assert chain_value(page, "dLdw") != first
    # One point picked on the map: exact numbers, the product of the three factors.
    page.get_by_label("A point on the map").check()
    box = page.locator("#output-map").bounding_box()
    page.mouse.click(box["x"] + 0.75 * box["width"], box["y"] + 0.25 * box["height"])
    expect(inspector).to_have_attribute("data-batch", "point")
    expect(page.locator("#inspector-basis")).to_contain_text("One point (x, y) = (")
    x, y = (float(v) for v in page.get_attribute("#output-map", "data-picked").split(","))
    assert x == pytest.approx(3, abs=0.1) and y == pytest.approx(3, abs=0.1)
    expect(page.locator(".pick-marker")).to_be_visible()
    expect(page.locator("#chain tbody tr")).to_have_count(1)
    factors = [point_value(page, key) for key in ("dLdh", "dphi", "aPrev")]
    product = factors[0] * factors[1] * factors[2]
    assert point_value(page, "dLdw") == pytest.approx(product, rel=1e-9, abs=1e-15)
    step(page)
    expect(inspector).to_have_attribute("data-epoch", "3")
    expect(inspector).to_have_attribute("data-batch", "point")
    page.get_by_role("button", name="Stop inspecting").click()
    expect(page.locator("#inspector-empty")).to_be_visible()


def test_a_bias_is_explained_with_its_input_of_one(page):
    open_playground(page, ONE_BATCH)
    page.locator('.bias[data-layer="1"][data-neuron="0"]').click()  # the output's bias
    page.get_by_role("button", name="Explain ∂L/∂b").click()
    expect(page.locator("#inspector-title")).to_have_text("Bias of the output")
    expect(page.locator("#chain")).to_contain_text("the derivative of the loss")
    assert point_value(page, "aPrev") == 1


def test_hovering_a_neuron_shows_its_formula_with_its_numbers(page):
    open_playground(page, ONE_BATCH)
    page.locator('.node.neuron[data-layer="1"][data-neuron="0"]').hover()
    card = page.locator("#formula-card")
    expect(card).to_be_visible()
    expect(card).to_contain_text("Neuron 1 of hidden layer 1")
    expect(card).to_contain_text("h = φ(Σ w·x + b) = Tanh(a)")
    w = card_weight(page, 0, 0, 0)  # moves the pointer away: the card hides
    expect(card).to_be_hidden()
    page.locator('.node.neuron[data-layer="1"][data-neuron="0"]').hover()
    expect(card.locator(".formula-sum")).to_contain_text(f"{abs(w):.2f}·x")
    # It follows training.
    text = card.locator(".formula-sum").text_content()
    page.keyboard.press("ArrowRight")
    wait_settled(page)
    expect(card.locator(".formula-sum")).not_to_have_text(text)
