"""Optimizers change live (no rebuild), and a reset can return to the same first weights."""

from playwright.sync_api import expect

from engine.config import registries
from tests.e2e.lecture import card_weight, open_lab, step
from tests.e2e.playground import (
    epoch,
    open_playground,
    pause_button,
    play_button,
    wait_epoch_above,
    wait_hash_contains,
    wait_settled,
)


def test_the_optimizer_changes_live_while_training(page):
    open_playground(page, "#dataset=circle&seed=opt")
    open_lab(page)
    menu = page.get_by_label("Optimizer")
    values = menu.locator("option").evaluate_all("(os) => os.map((o) => o.value)")
    assert values == [item["name"] for item in registries()["optimizers"]]
    expect(menu).to_have_value("sgd")
    play_button(page).click()
    wait_epoch_above(page, 30)
    menu.select_option("adam")
    wait_hash_contains(page, "optimizer=adam")
    wait_settled(page)
    reached = epoch(page)
    assert reached > 30  # the run went on: a live change, not a rebuild
    wait_epoch_above(page, reached + 10)
    pause_button(page).click()


def test_reset_to_the_same_initial_weights(page):
    open_playground(page, "#dataset=xor&learningRate=0.3&seed=same")
    first = card_weight(page, 0, 0, 0)
    step(page, 5)
    assert card_weight(page, 0, 0, 0) != first
    open_lab(page)
    page.get_by_role("button", name="Reset to the same initial weights").click()
    expect(page.locator("#epoch")).to_have_attribute("data-epoch", "0")
    wait_settled(page)
    assert card_weight(page, 0, 0, 0) == first
    # A plain reset draws new weights.
    page.get_by_role("button", name="Reset", exact=True).click()
    wait_settled(page)
    assert card_weight(page, 0, 0, 0) != first
