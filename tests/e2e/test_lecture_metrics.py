"""Accuracy beside each loss; the loss chart's hover read-out and its decimation, so a
100 000-epoch run stays fast."""

import re

from playwright.sync_api import expect

from tests.e2e.lecture import step
from tests.e2e.playground import (
    open_playground,
    pause_button,
    play_button,
    wait_epoch_above,
    wait_settled,
)

RENDER_TIMES = "() => import('/static/js/session/render.js').then((m) => m.renderTimes())"
ACCURACY = re.compile(r"^accuracy \d+\.\d%$")


def test_accuracy_stands_beside_each_loss(page):
    open_playground(page, "#dataset=gauss&seed=acc")
    expect(page.locator("#test-accuracy")).to_have_text(ACCURACY)
    expect(page.locator("#train-accuracy")).to_have_text(ACCURACY)
    expect(page.locator("#validation-accuracy")).to_be_hidden()  # no validation split
    # Regression has losses only.
    page.get_by_label("Problem type").select_option("regression")
    expect(page.locator("#test-accuracy")).to_have_text("")
    expect(page.locator("#test-loss")).to_have_text(re.compile(r"^\d+\.\d{3}$"))


def test_hovering_the_loss_chart_reads_the_epoch_and_the_losses(page):
    open_playground(page, "#dataset=gauss&seed=hover")
    step(page, 6)
    chart = page.locator("#loss-chart")
    expect(chart).to_have_attribute("data-points", "7")
    box = chart.bounding_box()
    page.mouse.move(box["x"] + box["width"] * 0.5, box["y"] + box["height"] / 2)
    tip = page.locator(".chart-tip")
    expect(tip).to_be_visible()
    expect(tip).to_have_text(re.compile(r"^Epoch 3 · training \d\.\d{3} · test \d\.\d{3}$"))
    page.mouse.move(box["x"] + box["width"] - 1, box["y"] + 5)
    expect(tip).to_have_attribute("data-epoch", "6")
    page.mouse.move(0, 0)
    expect(tip).to_be_hidden()


def test_a_100000_epoch_run_keeps_the_chart_small_and_the_page_drawing(page):
    # One neuron and 50 points in one batch: the server trains ~20 000 epochs a second.
    open_playground(page, "#dataset=gauss&networkShape=&percTrainData=10&batchSize=100&seed=long")
    page.get_by_label("Speed").select_option("max")
    play_button(page).click()
    wait_epoch_above(page, 100_000, timeout=600_000)
    pause_button(page).click()
    wait_settled(page)
    points = int(page.get_attribute("#loss-chart", "data-points"))
    assert 100 < points <= 2400  # decimated: never one point per epoch or per frame
    assert len(page.evaluate(RENDER_TIMES)) > 100  # frames kept being drawn all along
    # (how long each took is a benchmark's figure, bench/browser.py, not a test's)
