"""Race mode, the replay timeline and the hidden-layer view in Chromium."""

from playwright.sync_api import expect

from tests.e2e.playground import epoch, map_pixels, open_playground, pause_button, play_button

SPIRAL = "#dataset=spiral&seed=0.5&networkShape=6,4&activation=tanh&learningRate=0.03"
LANE = '.race-lane[data-lane="{}"]'


def lane_epochs(page) -> list[int]:
    return [int(page.get_attribute(LANE.format(i), "data-epoch") or -1) for i in range(2)]


def make_race(page) -> None:
    """tanh against relu on the spiral, first to a test loss of 0.45."""
    open_playground(page, SPIRAL)
    page.get_by_role("button", name="Race this").click()
    expect(page.locator(".race-lane")).to_have_count(2)
    page.select_option("#activation", "relu")  # the copy is the lane the controls edit
    expect(page.locator(LANE.format(1) + " .race-lane-name")).to_contain_text("relu")
    page.fill("#race-target", "0.45")
    page.press("#race-target", "Enter")
    expect(page.locator("#race-winner")).to_contain_text("0.45")


def scrub_to(page, value: int) -> None:
    page.evaluate(
        """(value) => { const slider = document.getElementById('replay-slider');
            slider.value = String(value); slider.dispatchEvent(new Event('input')); }""",
        value,
    )


def test_a_race_of_tanh_and_relu_on_the_spiral(page):
    make_race(page)
    play_button(page).click()
    page.wait_for_function(
        "() => document.getElementById('race-winner').dataset.winner !== ''", timeout=300_000
    )
    pause_button(page).click()
    expect(page.locator("#epoch")).not_to_have_attribute("data-epoch", "0")
    page.wait_for_function(
        """() => [0, 1].map((i) => document.querySelector(`.race-lane[data-lane="${i}"]`)
            .dataset.epoch).join() === [0, 0].map(() =>
            document.getElementById('epoch').dataset.epoch).join()"""
    )
    tanh, relu = lane_epochs(page)
    assert tanh == relu == epoch(page) > 0  # both lanes' epochs advance together
    expect(page.locator("#race-chart")).to_have_attribute("data-curves", "2")
    winner = page.locator("#race-winner")
    expect(winner).to_have_attribute("data-winner", "1")  # relu gets there first
    expect(winner).to_contain_text("Lane 2 (relu)")
    expect(winner).to_contain_text("epoch ")
    assert "race=activation%3Drelu" in page.evaluate("location.hash")
    # back to an early epoch in both lanes: their maps change back; then on from there
    lane_map = LANE.format(1) + " .race-lane-map"
    before = page.evaluate("(sel) => document.querySelector(sel).toDataURL()", lane_map)
    scrub_to(page, 5)
    expect(page.locator("#replay-epoch")).to_have_text("epoch 5")
    expect(page.locator(LANE.format(0))).to_have_attribute("data-epoch", "5")
    expect(page.locator(LANE.format(1))).to_have_attribute("data-epoch", "5")
    page.wait_for_function(
        "([sel, before]) => document.querySelector(sel).toDataURL() !== before",
        arg=[lane_map, before],
    )
    page.get_by_role("button", name="Continue from here").click()
    expect(page.locator("#replay-epoch")).to_have_text("now")
    page.get_by_role("button", name="Step").click()
    expect(page.locator("#epoch")).to_have_attribute("data-epoch", "6")
    expect(page.locator(LANE.format(0))).to_have_attribute("data-epoch", "6")


def test_the_race_link_reopens_both_lanes(page, browser, live_server):
    make_race(page)
    link = page.evaluate("location.hash")
    other = browser.new_context(viewport={"width": 1280, "height": 720}).new_page()
    other.base_url = live_server.url
    try:
        open_playground(other, link)
        expect(other.locator(".race-lane")).to_have_count(2)
        expect(other.locator(LANE.format(0) + " .race-lane-name")).to_contain_text("tanh")
        expect(other.locator(LANE.format(1) + " .race-lane-name")).to_contain_text("relu")
    finally:
        other.context.close()


def test_scrub_back_then_continue_from_there(page):
    open_playground(page, SPIRAL)
    page.get_by_role("button", name="Step").click()
    for _ in range(29):
        page.get_by_role("button", name="Step").click()
    expect(page.locator("#epoch")).to_have_attribute("data-epoch", "30")
    now = map_pixels(page)
    scrub_to(page, 3)
    expect(page.locator("#replay-epoch")).to_have_text("epoch 3")
    expect(page.locator("#epoch")).to_have_attribute("data-epoch", "3")
    page.wait_for_function(
        "(before) => document.getElementById('output-map').toDataURL() !== before", arg=now
    )  # the map changes back to what it was then
    page.get_by_role("button", name="Back to now").click()
    expect(page.locator("#epoch")).to_have_attribute("data-epoch", "30")
    scrub_to(page, 3)
    expect(page.locator("#replay-epoch")).to_have_text("epoch 3")
    page.get_by_role("button", name="Continue from here").click()
    expect(page.locator("#replay-epoch")).to_have_text("now")
    page.get_by_role("button", name="Step").click()
    expect(page.locator("#epoch")).to_have_attribute("data-epoch", "4")  # it went on from 3


def test_the_hidden_layer_view_draws_a_layer_while_training(page):
    open_playground(page, SPIRAL)
    page.get_by_role("button", name="Layer view").click()
    view = page.locator("#layer-view-canvas")
    expect(view).to_be_visible()
    expect(view).to_have_attribute("data-layer", "1")
    page.select_option("#layer-view-layer", "2")
    expect(view).to_have_attribute("data-layer", "2")
    play_button(page).click()
    first = int(view.get_attribute("data-frame"))
    page.wait_for_function(
        "(n) => Number(document.getElementById('layer-view-canvas').dataset.frame) > n + 5",
        arg=first,
    )
    pause_button(page).click()
    page.get_by_role("button", name="Layer view").click()
    expect(view).to_be_hidden()


def test_a_reloaded_race_comes_back_where_it_was(page):
    make_race(page)
    for _ in range(5):
        page.get_by_role("button", name="Step").click()
    expect(page.locator(LANE.format(1))).to_have_attribute("data-epoch", "5")
    page.reload()
    expect(page.locator("#app")).to_have_attribute("data-ready", "true")
    expect(page.locator(".race-lane")).to_have_count(2)
    expect(page.locator(LANE.format(0))).to_have_attribute("data-epoch", "5")
    expect(page.locator(LANE.format(1) + " .race-lane-name")).to_contain_text("relu")
    assert page.get_attribute(LANE.format(1), "class").split().count("editing") == 1
