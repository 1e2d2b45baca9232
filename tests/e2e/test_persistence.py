"""Nothing lost: a reload and a server restart keep the run (configuration, weights, epoch)."""

import re

from playwright.sync_api import expect

from server.settings import Settings
from tests.e2e.playground import (
    epoch,
    map_pixels,
    open_playground,
    pause_button,
    play_button,
    wait_epoch_above,
    wait_hash_contains,
)
from tests.live_server import LiveServer

CONNECTION_ERRORS = ["WebSocket connection to", "ERR_CONNECTION_REFUSED"]


def test_reload_keeps_the_state(page):
    open_playground(page, "#activation=relu&networkShape=3&seed=0.25&dataset=xor")
    for expected in ("1", "2", "3"):
        page.get_by_role("button", name="Step", exact=True).click()
        expect(page.locator("#epoch")).to_have_attribute("data-epoch", expected)
    page.get_by_label("Learning rate").select_option("0.1")
    wait_hash_contains(page, "learningRate=0.1")
    pixels = map_pixels(page)
    hash_before = page.evaluate("() => location.hash")

    page.reload()
    expect(page.locator("#app")).to_have_attribute("data-ready", "true")
    expect(page.locator("#epoch")).to_have_attribute("data-epoch", "3")
    expect(page.locator("#app")).to_have_attribute("data-restored-epoch", "3")
    expect(page.get_by_label("Activation")).to_have_value("relu")
    expect(page.get_by_label("Learning rate")).to_have_value("0.1")
    assert page.evaluate("() => location.hash") == hash_before
    assert map_pixels(page) == pixels  # the same weights, not new ones


def test_a_new_link_in_the_same_tab_is_not_replaced_by_the_saved_run(page):
    open_playground(page)
    page.get_by_role("button", name="Step", exact=True).click()
    expect(page.locator("#epoch")).to_have_attribute("data-epoch", "1")
    # Leave, then open another link in the same tab: its sessionStorage still holds the run.
    page.goto("about:blank")
    open_playground(page, "#activation=sigmoid&seed=0.3")
    expect(page.get_by_label("Activation")).to_have_value("sigmoid")
    assert epoch(page) == 0


def test_a_server_restart_reconnects_and_continues_from_the_same_epoch(page, live_server, problems):
    problems.allowed += CONNECTION_ERRORS
    open_playground(page, "#dataset=spiral&networkShape=6,4&seed=0.7")
    play_button(page).click()
    wait_epoch_above(page, 150)  # > 2 s of training: snapshots were sent and kept
    before_kill = epoch(page)

    live_server.stop()
    expect(page.locator("#app")).to_have_attribute("data-connection", "reconnecting")
    expect(page.locator(".banner-info")).to_contain_text("Reconnecting")
    live_server.start()

    expect(page.locator("#app")).to_have_attribute("data-connection", "open", timeout=60_000)
    restored = page.locator("#app")
    expect(restored).to_have_attribute("data-restored-epoch", re.compile(r"^\d+$"))
    # The last snapshot is at most snapshot_interval_s (1 s ≈ 60 epochs) old: not epoch 0.
    restored_epoch = int(restored.get_attribute("data-restored-epoch"))
    assert before_kill - 90 <= restored_epoch
    # It keeps training from there, past where it was when the server went down.
    expect(pause_button(page)).to_be_visible()
    wait_epoch_above(page, before_kill + 30)
    expect(page.get_by_role("radio", name="Spiral dataset")).to_have_attribute(
        "aria-checked", "true"
    )


def test_a_full_server_is_explained(page, browser, problems):
    full = LiveServer(Settings(max_sessions=1)).start()
    other = browser.new_page()
    try:
        other.goto(full.url + "/")
        expect(other.locator("#app")).to_have_attribute("data-ready", "true")
        page.goto(full.url + "/")
        expect(page.locator("#connection")).to_have_attribute("data-state", "full")
        expect(page.locator("#connection")).to_contain_text("Server full")
        expect(page.locator(".banner-error")).to_contain_text("as many sessions as it can")
    finally:
        other.close()
        # the page's drawing workers may still be fetching their modules from this server
        # (the refusal comes first): once it stops, those fetches are refused, as expected
        problems.allowed.append(f"request failed: {full.url}/static/js/")
        full.stop()


def test_reload_keeps_a_run_whose_seed_needs_escaping(page):
    open_playground(page, "#seed=lesson%201&networkShape=2")
    page.get_by_role("button", name="Step", exact=True).click()
    expect(page.locator("#epoch")).to_have_attribute("data-epoch", "1")
    page.reload()
    expect(page.locator("#app")).to_have_attribute("data-ready", "true")
    expect(page.locator("#app")).to_have_attribute("data-restored-epoch", "1")
    wait_hash_contains(page, "lesson")
