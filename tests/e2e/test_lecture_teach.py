"""Teach it right (issue 15): the inspector's printed chain multiplies out, Adam's shown step
is the weight's change, the perceptron fails XOR and solves Gauss, and the defects a class
hits (no input, a dropped connection, a reload while playing) are explained on screen."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.lecture import card_weight, chain_value, explain_link, open_lab, step
from tests.e2e.playground import (
    epoch,
    open_playground,
    pause_button,
    play_button,
    wait_epoch_above,
    wait_hash_contains,
    wait_settled,
)

# 50 training points in batches of 10: the last update of an epoch is its fifth batch.
BATCHES = "#dataset=xor&percTrainData=10&batchSize=10&learningRate=0.3&networkShape=3&seed=teach"
ONE_BATCH = "#dataset=xor&percTrainData=10&batchSize=50&learningRate=0.1&networkShape=3&seed=teach"
PERCEPTRON = (
    "#dataset=xor&networkShape=&outputActivation=step&learningRate=0.1&batchSize=1&noise=0"
    "&percTrainData=50&seed=lesson-perceptron"
)
CONNECTION_ERRORS = ["WebSocket connection to", "ERR_CONNECTION_REFUSED"]


class Shown:
    """A number as printed (4 significant digits, or 3 in exponent form) and how far the
    true value may be from it: half a unit of its last digit."""

    def __init__(self, text: str) -> None:
        text = text.strip().strip("()").replace("−", "-")
        self.value = float(text)
        if self.value == 0:
            self.error = 0.0  # the page prints "0" for an exact zero only
        else:
            digits = 3 if "e" in text else 4
            exponent = int(f"{abs(self.value):e}".split("e")[1])
            self.error = 0.5 * 10 ** (exponent - digits + 1)


def holds_product(x: Shown, y: Shown, z: Shown) -> bool:
    bound = abs(x.value) * y.error + abs(y.value) * x.error + x.error * y.error + z.error
    return abs(x.value * y.value - z.value) <= bound * 1.0001


def cell(row, column: str) -> Shown:
    return Shown(row.locator(f'td[data-col="{column}"]').text_content())


def row_value(page, key: str) -> Shown:
    return Shown(page.locator(f'#chain [data-key="{key}"] .chain-value').text_content())


def test_the_batch_chain_multiplies_out_with_the_printed_numbers(page):
    open_playground(page, BATCHES)
    explain_link(page, 0, 1, 2)  # into a hidden neuron: φ′ and ∂L/∂h from one layer up
    step(page)
    inspector = page.locator("#inspector")
    expect(inspector).to_have_attribute("data-batch", "last_update")
    rows = page.locator("#chain tbody tr")
    expect(rows).to_have_count(10)
    products = []
    for i in range(10):
        row = rows.nth(i)
        a, dphi, dldh = cell(row, "aPrev"), cell(row, "dphi"), cell(row, "dLdh")
        dldz, dldw = cell(row, "dLdz"), cell(row, "dLdw")
        assert holds_product(dphi, dldh, dldz), f"point {i + 1}: φ′·∂L/∂h ≠ ∂L/∂a"
        assert holds_product(a, dldz, dldw), f"point {i + 1}: a·∂L/∂a ≠ ∂L/∂w"
        products.append(dldw)
    total = row_value(page, "sum")
    bound = sum(p.error for p in products) + total.error
    assert abs(sum(p.value for p in products) - total.value) <= bound * 1.0001
    mean = row_value(page, "dLdw")
    assert abs(total.value / 10 - mean.value) <= total.error / 10 + mean.error
    # The update: g = Σ / n, step = α·g, new w = w − step, each as printed.
    g, alpha = row_value(page, "g"), row_value(page, "learningRate")
    update = row_value(page, "step")
    assert abs(total.value / 10 - g.value) <= total.error / 10 + g.error
    assert holds_product(alpha, g, update)
    w, w_after = chain_value(page, "weight"), chain_value(page, "weightAfter")
    assert w_after == pytest.approx(w - chain_value(page, "step"), rel=1e-12, abs=1e-15)
    # The inspected link is marked in the diagram.
    marked = page.locator("#network .link-hit.inspected")
    expect(marked).to_have_count(1)
    expect(marked).to_have_attribute("data-source", "1")
    expect(marked).to_have_attribute("data-target", "2")


def test_adams_shown_step_is_the_weights_change(page):
    open_playground(page, ONE_BATCH + "&optimizer=adam")
    before = card_weight(page, 1, 1, 0)
    explain_link(page, 1, 1, 0)
    step(page)
    after = card_weight(page, 1, 1, 0)
    assert chain_value(page, "t") == 1
    shown_step = chain_value(page, "step")
    # Adam's first step is α·m̂/√v̂ = α·sign(g): the card (3 decimals) moved by it, not by
    # the plain α·g that SGD would take.
    assert before - after == pytest.approx(shown_step, abs=0.0011)
    assert abs(shown_step) == pytest.approx(0.1, rel=1e-3)
    assert abs(chain_value(page, "g") * 0.1) < abs(shown_step) / 2
    step(page)  # the second: moments from the first, bias correction at t = 2
    expect(page.locator('#chain [data-key="m_hat"]')).to_be_visible()
    assert chain_value(page, "t") == 2 and chain_value(page, "m_prev") != 0
    w, w_after = chain_value(page, "weight"), chain_value(page, "weightAfter")
    assert w - w_after == pytest.approx(chain_value(page, "step"), rel=1e-9)
    assert w_after == pytest.approx(card_weight(page, 1, 1, 0), abs=0.0006)


def test_the_perceptron_fails_xor_and_solves_gauss(page):
    open_playground(page, PERCEPTRON)
    open_lab(page)
    expect(page.locator("#output-pair")).to_contain_text("perceptron rule w ← w + α(y − ŷ)x")
    expect(page.locator("#activation")).to_be_disabled()
    expect(page.locator("#activation-reason")).to_have_text(re.compile("No hidden layer"))
    expect(page.locator("#phi-plot")).to_have_attribute("data-off", "true")
    expect(page.locator("#phi-output-plot")).to_have_attribute("data-activation", "step")
    expect(page.locator("#phi-output-note")).to_contain_text("Rosenblatt")
    play_button(page).click()
    wait_epoch_above(page, 40)
    pause_button(page).click()
    wait_settled(page)
    assert float(page.get_attribute("#train-accuracy", "data-value")) < 0.8  # a line, not XOR
    explain_link(page, 0, 0, 0)  # the inspector shows Rosenblatt's rule as such
    expect(page.locator("#chain")).to_contain_text("The perceptron rule: w ← w + α(y − ŷ)x")
    expect(page.locator("#chain tbody tr")).to_have_count(1)  # batch size 1: one point
    page.get_by_role("radio", name="Gaussian dataset").click()
    wait_settled(page)
    play_button(page).click()
    page.wait_for_function(
        "() => Number(document.getElementById('train-accuracy').dataset.value) === 1"
    )


def test_fewer_training_points_than_a_batch_show_no_new_weight(page):
    open_playground(page, ONE_BATCH.replace("batchSize=50", "batchSize=60"))
    explain_link(page, 1, 0, 0)
    step(page)
    expect(page.locator("#chain .chain-note")).to_contain_text("No update")
    expect(page.locator('#chain [data-key="weightAfter"]')).to_have_count(0)


def test_switching_off_every_feature_says_why_and_never_fails(page):
    open_playground(page, "#seed=nofeature")
    page.locator('.node.feature[data-feature="x"]').hover()  # focus the input in the map
    for name in ("Feature x", "Feature y"):
        button = page.get_by_role("button", name=name, exact=True)
        button.click()
        expect(button).to_have_attribute("aria-pressed", "false")
    expect(page.locator(".banner-notice")).to_contain_text("No input feature is on")
    step(page)
    expect(page.locator(".banner-error")).to_have_count(0)


def test_a_refusal_speaks_the_pages_words(page):
    open_playground(page)
    open_lab(page)
    page.get_by_label("Output layer φ").select_option("softmax")
    error = page.locator("#output-activation-error")
    expect(error).to_contain_text("Softmax gives one probability per class")
    assert "outputActivation" not in error.text_content()
    assert "'softmax'" not in error.text_content()


def test_controls_are_off_with_the_reason_while_the_server_is_down(page, live_server, problems):
    problems.allowed += CONNECTION_ERRORS
    open_playground(page, "#seed=offline")
    live_server.stop()
    expect(page.locator("#app")).to_have_attribute("data-connection", "reconnecting")
    rate = page.get_by_label("Learning rate")
    expect(rate).to_be_disabled()
    expect(page.locator("#network")).to_have_js_property("inert", True)  # features, links
    expect(page.locator(".banner-info")).to_contain_text("controls are off")
    live_server.start()
    expect(page.locator("#app")).to_have_attribute("data-connection", "open", timeout=60_000)
    expect(rate).to_be_enabled()
    expect(page.locator("#network")).to_have_js_property("inert", False)
    rate.select_option("0.1")
    wait_hash_contains(page, "learningRate=0.1")


@pytest.mark.parametrize("playing", [True, False])
def test_a_reload_restores_playing_or_paused_at_the_epoch_shown(page, playing):
    open_playground(page, "#dataset=spiral&networkShape=6,4&seed=reload")
    play_button(page).click()
    wait_epoch_above(page, 100)
    if not playing:
        seq = int(page.get_attribute("#app", "data-last-seq"))
        pause_button(page).click()  # the only command sent: the next seq is the pause's
        page.wait_for_function(
            "(n) => Number(document.getElementById('app').dataset.lastSeq) > n", arg=seq
        )  # a frame drawn after the pause, at the paused epoch
        expect(play_button(page)).to_be_visible()
    shown = epoch(page)
    page.reload()
    expect(page.locator("#app")).to_have_attribute("data-ready", "true")
    notice = page.locator(".banner-info", has_text="Restored: epoch")
    expect(notice).to_be_visible()
    restored = int(re.search(r"epoch (\d+)", notice.text_content()).group(1))
    text = notice.text_content()
    assert restored >= shown if playing else restored == shown, (shown, text)
    assert ("playing" if playing else "paused") in text, text
    expect(pause_button(page) if playing else play_button(page)).to_be_visible()


def test_the_stage_view_walks_one_batch_through_the_four_stages(page):
    open_playground(page, BATCHES)
    explain_link(page, 0, 1, 2)  # a weight into hidden layer 1 of inputs → 3 → output
    stages = page.locator("#stages")
    page.get_by_role("button", name="Step one batch").click()
    expect(page.locator("#stage-position")).to_contain_text("1 of 5 batches")
    expect(page.locator("#epoch")).to_have_attribute("data-epoch", "0")  # one batch of five
    walk = [("forward", "0,1", "a = "), ("loss", "2", "L = "), ("backward", "2,1", "∂L/∂w = "),
            ("update", "1", "w ← w − step")]  # fmt: skip
    for stage, layers, text in walk:
        expect(stages).to_have_attribute("data-stage", stage)
        expect(stages).to_have_attribute("data-layers", layers)
        expect(page.locator("#stage-text")).to_contain_text(text)
        count = sum(
            page.locator(f'#network .node[data-layer="{layer}"]:not(.disabled)').count()
            for layer in layers.split(",")
        )
        expect(page.locator("#network .node.stage-layer")).to_have_count(count)
        page.get_by_role("button", name="Next stage").click()
    # The update stage's numbers are the inspector's: the weight it was and became.
    new_w = chain_value(page, "weightAfter")
    assert new_w != chain_value(page, "weight")
    for done in range(2, 6):
        page.get_by_role("button", name="Step one batch").click()
        expect(page.locator("#stage-position")).to_contain_text(f"{done % 5} of 5 batches")
    expect(page.locator("#epoch")).to_have_attribute("data-epoch", "1")
    page.get_by_role("button", name="Step one epoch").click()
    expect(page.locator("#epoch")).to_have_attribute("data-epoch", "2")


def test_the_stage_marks_stay_when_the_diagram_is_built_anew(page):
    open_playground(page, BATCHES)
    explain_link(page, 0, 1, 2)
    page.get_by_role("button", name="Step one batch").click()
    expect(page.locator("#stages")).to_have_attribute("data-layers", "0,1")
    marked = page.locator("#network .node.stage-layer")
    count = marked.count()
    assert count > 0
    width = page.locator("#network-svg").get_attribute("width")
    page.set_viewport_size({"width": 1300, "height": 768})  # the diagram is built anew
    page.wait_for_function(
        "(w) => document.querySelector('#network-svg').getAttribute('width') !== w", arg=width
    )
    expect(marked).to_have_count(count)


def test_a_softmax_output_is_named_alike_on_the_map_and_the_card(page):
    open_playground(page, "#problem=multiclass&mcDataset=blobs&numClasses=3&seed=names")
    output = page.locator('.node.output[data-neuron="1"]')
    output.hover()
    expect(page.locator("#map-caption")).to_contain_text("Showing output 2")
    card = page.locator("#formula-card")
    expect(card.locator(".formula-title")).to_have_text("Output 2 (class 1)")
    expect(card).to_contain_text("Softmax over the 3 outputs")
    expect(card).not_to_contain_text("φ(Σ w·x + b) = Softmax")


def _mean_red_minus_blue(page) -> float:
    return page.evaluate(
        """() => {
            const c = document.getElementById('output-map');
            const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
            let sum = 0;
            for (let i = 0; i < d.length; i += 4) sum += d[i] - d[i + 2];
            return sum / (d.length / 4);
        }"""
    )


def test_each_class_probability_map_has_the_class_colour(page):
    open_playground(page, "#problem=multiclass&mcDataset=blobs&numClasses=3&seed=colours")
    map_ = page.locator("#output-map")
    for neuron, orange in ((1, True), (0, False)):  # class 1 orange, class 0 blue (legend)
        page.locator(f'.node.output[data-neuron="{neuron}"]').hover()
        expect(map_).to_have_attribute("data-focus", f"3:{neuron}")
        page.wait_for_function(
            "(f) => document.getElementById('map-caption').textContent.endsWith(f)",
            arg=f"output {neuron + 1}",
        )
        assert (_mean_red_minus_blue(page) > 0) is orange
