"""Lecture row 10: an 80/10/10 train/validation/test split, the validation loss on the chart
and the best-validation epoch marked, so overfitting shows."""

import re

from playwright.sync_api import expect

from tests.e2e.playground import (
    open_playground,
    pause_button,
    play_button,
    wait_epoch_above,
    wait_hash_contains,
    wait_settled,
)

NOISY = "#dataset=spiral&noise=50&networkShape=8,8,8,8&activation=relu&batchSize=5&seed=val"


def test_the_validation_switch_splits_80_10_10_and_marks_the_best_epoch(page):
    open_playground(page, NOISY)
    switch = page.get_by_label("Validation set")
    expect(switch).not_to_be_checked()
    switch.check()
    wait_hash_contains(page, "percValData=10")
    wait_hash_contains(page, "percTrainData=80")
    expect(page.locator("#split-text")).to_have_text("(80/10/10)")
    expect(switch).to_have_attribute("data-points", "50")  # 10 % of the spiral's 500 points
    expect(page.locator("#ratio-value")).to_have_text("80%")
    expect(page.locator("#validation-loss")).to_have_text(re.compile(r"^\d+\.\d{3}$"))
    expect(page.locator("#validation-accuracy")).to_be_visible()
    page.get_by_label("Speed").select_option("10")
    play_button(page).click()
    wait_epoch_above(page, 400, timeout=300_000)
    pause_button(page).click()
    wait_settled(page)
    chart = page.locator("#loss-chart")
    best = int(chart.get_attribute("data-best-epoch"))
    assert 0 < best <= int(page.get_attribute("#epoch", "data-epoch"))
    box = chart.bounding_box()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    expect(page.locator(".chart-tip")).to_contain_text("validation")
    page.mouse.move(0, 0)
    # Off again: back to the two-way split it had.
    switch.uncheck()
    page.wait_for_function("() => !location.hash.includes('percValData')")  # 0: the default
    wait_hash_contains(page, "percTrainData=50")
    expect(page.locator("#validation-loss")).to_be_hidden()
    expect(chart).to_have_attribute("data-best-epoch", "")
