"""Play, pause, step and reset as a user sees them: the epoch counter and the output map."""

import re

from playwright.sync_api import expect

from tests.e2e.playground import (
    epoch,
    frames,
    map_pixels,
    open_playground,
    pause_button,
    play_button,
    wait_epoch_above,
    wait_hash_contains,
    wait_map_changes,
    wait_new_frame,
    wait_settled,
)


def hover_first_neuron(page):
    page.locator('.node.neuron[data-layer="1"][data-neuron="0"]').hover()
    expect(page.locator("#output-map")).to_have_attribute("data-focus", "1:0")


def test_play_advances_the_epoch_and_changes_the_map(page):
    open_playground(page)
    before = map_pixels(page)
    play_button(page).click()
    expect(pause_button(page)).to_be_visible()
    wait_epoch_above(page, 30)
    wait_map_changes(page, before)
    expect(page.locator("#eps")).not_to_have_attribute("data-eps", "0")
    expect(page.locator("#train-loss")).to_have_text(re.compile(r"^\d+\.\d{3}$"))


def test_pause_stops_training(page):
    open_playground(page)
    play_button(page).click()
    wait_epoch_above(page, 10)
    pause_button(page).click()
    expect(play_button(page)).to_be_visible()
    expect(page.locator("#app")).to_have_attribute("data-playing", "false")
    wait_settled(page)  # the frame that follows the pause is drawn
    stopped = epoch(page)
    # Ask for a new frame (hover a neuron): it arrives, and the epoch has not moved.
    drawn = frames(page)
    hover_first_neuron(page)
    wait_new_frame(page, drawn)
    assert epoch(page) == stopped


def test_step_adds_exactly_one_epoch(page):
    open_playground(page)
    assert epoch(page) == 0
    page.get_by_role("button", name="Step", exact=True).click()
    expect(page.get_by_label("Epoch", exact=True)).to_have_text("000,001")
    page.keyboard.press("ArrowRight")
    expect(page.locator("#epoch")).to_have_attribute("data-epoch", "2")
    drawn = frames(page)
    hover_first_neuron(page)
    wait_new_frame(page, drawn)
    assert epoch(page) == 2


def test_reset_returns_to_epoch_zero(page):
    open_playground(page)
    play_button(page).click()
    wait_epoch_above(page, 20)
    page.get_by_role("button", name="Reset", exact=True).click()
    expect(page.locator("#epoch")).to_have_attribute("data-epoch", "0")
    expect(page.get_by_label("Epoch", exact=True)).to_have_text("000,000")
    expect(play_button(page)).to_be_visible()
    # The keyboard does the same: → steps, r resets.
    page.locator("body").press("ArrowRight")
    expect(page.locator("#epoch")).to_have_attribute("data-epoch", "1")
    page.locator("body").press("r")
    expect(page.locator("#epoch")).to_have_attribute("data-epoch", "0")


def test_keyboard_space_plays_and_pauses(page):
    open_playground(page)
    page.locator("body").press("Space")
    expect(page.locator("#app")).to_have_attribute("data-playing", "true")
    wait_epoch_above(page, 5)
    page.locator("body").press("Space")
    expect(page.locator("#app")).to_have_attribute("data-playing", "false")


def test_a_live_change_keeps_the_points_and_the_loss_curve(page):
    """A new learning rate applies while training goes on; the data and the chart stay."""
    open_playground(page, "#dataset=circle&percTrainData=60&learningRate=0.03")
    play_button(page).click()
    wait_epoch_above(page, 30)
    chart = page.locator("#loss-chart")
    curve = int(chart.get_attribute("data-points"))
    page.get_by_label("Learning rate").select_option("0.1")
    wait_hash_contains(page, "learningRate=0.1")
    wait_epoch_above(page, epoch(page) + 20)
    expect(page.locator("#map-points")).to_have_attribute("data-points", "300")
    assert int(chart.get_attribute("data-points")) >= curve
    pause_button(page).click()


def test_bias_squares_take_the_colour_of_their_bias(page):
    """As in the reference: orange for negative, blue for positive, and they follow training."""
    open_playground(page, "#dataset=xor&networkShape=4&seed=bias")
    squares = page.locator("rect.bias")
    expect(squares).to_have_count(5)  # four hidden neurons and the output
    before = [squares.nth(i).get_attribute("fill") for i in range(5)]
    assert all(fill and fill.startswith("#") for fill in before)
    play_button(page).click()
    wait_epoch_above(page, 100)
    pause_button(page).click()
    wait_settled(page)
    after = [squares.nth(i).get_attribute("fill") for i in range(5)]
    assert after != before and len(set(after)) > 1
    painted = [squares.nth(i).evaluate("e => getComputedStyle(e).fill") for i in range(5)]
    assert len(set(painted)) > 1  # each square shows its own colour, no stylesheet over it


OUTPUT_THUMB_COLOURS = """() => {
  const layer = document.querySelector('.thumb-layer');
  const node = document.querySelector('.node.output').getBoundingClientRect();
  const box = layer.getBoundingClientRect();
  const scale = layer.width / box.width;
  const copy = document.createElement('canvas');
  copy.width = layer.width; copy.height = layer.height;
  const context = copy.getContext('2d');
  context.drawImage(layer, 0, 0);
  const x = Math.round((node.left - box.left + 3) * scale);
  const y = Math.round((node.top - box.top + 3) * scale);
  const side = Math.round((node.width - 6) * scale);
  const data = context.getImageData(x, y, side, side).data;
  let orange = 0, blue = 0;
  for (let i = 0; i < data.length; i += 4) {
    if (data[i] > data[i + 2] + 60) orange += 1;
    if (data[i + 2] > data[i] + 60) blue += 1;
  }
  return [orange, blue];
}"""


def test_a_sigmoid_outputs_thumbnail_is_coloured_like_the_big_map(page):
    """p = 0 is orange and p = 1 blue in the neuron's thumbnail too (shown as 2p − 1)."""
    open_playground(page, "#dataset=circle&outputActivation=sigmoid&learningRate=0.3&seed=p")
    play_button(page).click()
    wait_epoch_above(page, 150)
    pause_button(page).click()
    wait_settled(page)
    # the worker paints the thumbnails just after the frame: wait for them, never sleep
    colours = f"() => {{ const [o, b] = ({OUTPUT_THUMB_COLOURS})(); return o > 20 && b > 20; }}"
    page.wait_for_function(colours)
    orange, blue = page.evaluate(OUTPUT_THUMB_COLOURS)
    assert orange > 20 and blue > 20, (orange, blue)


def test_a_click_on_the_timeline_while_playing_goes_back_by_that_share_of_the_run(page):
    """While playing, the slider sits at its end untouched; the click's share of its track
    still maps onto every epoch so far (about half of them for a click in its middle)."""
    open_playground(page)
    play_button(page).click()
    wait_epoch_above(page, 200)
    now = epoch(page)
    box = page.locator("#replay-slider").bounding_box()
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    shown = page.locator("#replay-epoch")
    expect(shown).to_have_text(re.compile(r"^epoch \d+$"))
    assert int(shown.text_content().split()[1]) > now // 4
