"""Lecture row 9, scale matters: x multiplied by 1000 makes training diverge, the banner
gives the engine's explanation; standardizing the features fixes it."""

from playwright.sync_api import expect

from tests.e2e.lecture import step
from tests.e2e.playground import open_playground, wait_hash_contains

PLANE = "#problem=regression&regDataset=reg-plane&activation=linear&learningRate=0.01&seed=plane"


def test_x_times_1000_diverges_with_the_engines_explanation_and_standardizing_fixes_it(page):
    open_playground(page, PLANE)
    page.get_by_label("Multiply x by 1000").check()
    wait_hash_contains(page, "xScale=1000")
    page.get_by_role("button", name="Step", exact=True).click()
    banner = page.locator(".banner-diverged")
    expect(banner).to_be_visible()
    expect(banner).to_contain_text("Training diverged at epoch 1")
    expect(banner).to_contain_text("the feature x is multiplied by 1000")
    expect(banner).to_contain_text("scale matters")
    page.get_by_label("Standardize features").check()
    wait_hash_contains(page, "standardize=true")
    expect(banner).to_have_count(0)
    step(page, 20)
    expect(page.locator(".banner-diverged")).to_have_count(0)
    assert float(page.locator("#train-loss").text_content()) < 0.01
    expect(page.get_by_label("Multiply x by 1000")).to_be_checked()
