"""Draw mode: points drawn on the output map, removed, undone; the run trains on them."""

from playwright.sync_api import expect

from tests.e2e.own_data import (
    BLUE,
    ORANGE,
    POINTS,
    click_map,
    color_at,
    draw,
    expect_total,
    is_color,
    start_drawing,
)
from tests.e2e.playground import open_playground, pause_button, play_button, wait_epoch_above

BLUE_POINTS = [(-3.0, 3.0), (-4.0, 2.0), (-2.0, 4.5), (-4.5, 4.5)]
ORANGE_POINTS = [(3.0, -3.0), (4.0, -2.0), (2.0, -4.5), (4.5, -4.5)]


def test_drawn_points_are_on_the_map_and_the_network_trains_on_them(page):
    open_playground(page, "#seed=0.5&networkShape=4&dataset=circle&percTrainData=50")
    start_drawing(page)
    expect(page.locator("#map-frame")).to_have_class("map-frame drawing")
    cursor = page.eval_on_selector(POINTS, "(canvas) => getComputedStyle(canvas).cursor")
    assert cursor == "crosshair"

    draw(page, BLUE_POINTS)
    draw(page, ORANGE_POINTS, label="Orange (−1)")
    expect_total(page, 8)
    expect(page.locator("#draw-count")).to_have_text("8 points")
    # The split still applies: half of them train, the other half are test points.
    expect(page.locator(POINTS)).to_have_attribute("data-points", "4")
    for x, y in BLUE_POINTS:
        assert is_color(color_at(page, x, y), BLUE), (x, y)
    for x, y in ORANGE_POINTS:
        assert is_color(color_at(page, x, y), ORANGE), (x, y)
    # Nothing drawn where no point was clicked.
    assert color_at(page, 0.0, 0.0)[3] == 0
    # The dataset buttons no longer claim the data.
    expect(page.get_by_role("radio", name="Circle dataset")).to_have_attribute(
        "aria-checked", "false"
    )

    # Four training points and batches of ten: the reference never updates; the page says so.
    hint = page.locator("#draw-hint")
    expect(hint).to_contain_text("fewer than the batch size 10")
    page.get_by_label("Batch size").fill("2")
    expect(hint).to_be_hidden()
    expect_total(page, 8)

    loss_before = page.locator("#train-loss").text_content()
    play_button(page).click()
    wait_epoch_above(page, 60)
    pause_button(page).click()
    expect(page.locator("#app")).to_have_attribute("data-playing", "false")
    expect(page.locator("#train-loss")).not_to_have_text(loss_before)
    # Two clusters, one line between them: the drawn data is learned.
    assert float(page.locator("#train-loss").text_content()) < 0.1
    expect(page.locator(POINTS)).to_have_attribute("data-shown", "8")


def test_shift_click_and_right_click_remove_the_nearest_point_and_undo_brings_it_back(page):
    open_playground(page, "#seed=0.2&networkShape=3")
    start_drawing(page)
    draw(page, [(-3.0, 0.0), (0.0, 3.0), (3.0, 0.0)])
    expect_total(page, 3)

    click_map(page, 0.1, 2.9, modifiers=["Shift"])  # near (0, 3), not on it
    expect_total(page, 2)
    assert color_at(page, 0.0, 3.0)[3] == 0
    assert is_color(color_at(page, -3.0, 0.0), BLUE)

    click_map(page, 3.0, 0.0, button="right")
    # One point left: fewer than the engine trains on, so it stays a draft and says so.
    expect(page.locator(POINTS)).to_have_attribute("data-shown", "1")
    expect(page.locator("#draw-hint")).to_have_text("Add at least 2 points to train on them")
    expect(page.locator("#draw-hint")).to_be_visible()

    undo = page.get_by_role("button", name="Undo")
    undo.click()
    expect_total(page, 2)
    assert is_color(color_at(page, 3.0, 0.0), BLUE)
    page.keyboard.press("Control+z")
    expect_total(page, 3)
    assert is_color(color_at(page, 0.0, 3.0), BLUE)
    # A click far from every point removes nothing.
    click_map(page, -5.0, -5.0, modifiers=["Shift"])
    expect_total(page, 3)
    # Undo back to before the clear: the generated circle data (500 points).
    for _ in range(4):
        undo.click()
    expect_total(page, 500)
    expect(undo).to_be_disabled()


def test_draw_mode_is_switched_by_the_keyboard_and_shows_every_point(page):
    open_playground(page, "#seed=0.4&dataset=xor&showTestData=false")
    points = page.locator(POINTS)
    expect(points).to_have_attribute("data-shown", "250")  # test points hidden
    page.locator("body").press("d")
    expect(page.get_by_role("button", name="Draw", exact=True)).to_have_attribute(
        "aria-pressed", "true"
    )
    expect(points).to_have_attribute("data-shown", "500")  # every point, to remove any
    expect(page.locator("#draw-hint")).to_be_visible()
    page.locator("body").press("Escape")
    expect(points).to_have_attribute("data-shown", "250")
    # Not drawing: a click on the map adds nothing.
    click_map(page, 1.0, 1.0)
    expect(page.locator("#draw-count")).to_have_text("")


def test_multiclass_points_take_the_chosen_class(page):
    open_playground(page, "#problem=multiclass&numClasses=3&seed=0.3")
    start_drawing(page)
    expect(page.get_by_role("radio", name="Class 2 (green)")).to_be_visible()
    draw(page, [(-2.0, -2.0), (2.0, 2.0)], label="Class 2 (green)")
    draw(page, [(-2.0, 2.0)], label="Class 0 (blue)")
    expect_total(page, 3)
    assert is_color(color_at(page, 2.0, 2.0), (0x00, 0x9E, 0x73))
    assert is_color(color_at(page, -2.0, 2.0), (0x00, 0x72, 0xB2))


def test_regression_points_take_the_value_of_the_slider(page):
    open_playground(page, "#problem=regression&seed=0.3")
    start_drawing(page)
    expect(page.locator("#draw-classes")).to_be_hidden()
    page.get_by_label("Value of new points").fill("-1")
    expect(page.locator("#draw-value-text")).to_have_text("-1.0")
    draw(page, [(-2.0, -2.0), (2.0, 2.0)])
    expect_total(page, 2)
    assert is_color(color_at(page, 2.0, 2.0), ORANGE)


def test_undo_goes_on_after_a_reload(page):
    open_playground(page, "#seed=0.3&networkShape=3")
    start_drawing(page)
    draw(page, [(-3.0, 0.0), (0.0, 3.0), (3.0, 0.0)])
    expect_total(page, 3)
    page.reload()
    expect(page.locator("#app")).to_have_attribute("data-restored-epoch", "0")
    expect(page.locator("#draw-count")).to_have_text("Your data: 3 points")
    start_drawing(page, clear=False)
    undo = page.get_by_role("button", name="Undo")
    expect(undo).to_be_enabled()
    undo.click()
    expect(page.locator(POINTS)).to_have_attribute("data-shown", "2")
    for _ in range(3):  # back past the clear: the generated circle data
        undo.click()
    expect_total(page, 500)
    expect(undo).to_be_disabled()
