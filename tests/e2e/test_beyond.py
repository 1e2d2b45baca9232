"""Beyond the reference: the speed control, the divergence banner, discretize, multi-class."""

from playwright.sync_api import expect

from tests.e2e.playground import (
    map_pixels,
    open_playground,
    pause_button,
    play_button,
    wait_epoch_above,
    wait_map_changes,
    wait_new_frame,
)

READ_FRAMES_AND_EPOCH = """() => [Number(document.getElementById('app').dataset.frames),
  Number(document.getElementById('epoch').dataset.epoch)]"""


def _epochs_per_drawn_frame(page, frames: int = 20) -> float:
    start = page.evaluate(READ_FRAMES_AND_EPOCH)
    wait_new_frame(page, start[0] + frames)
    end = page.evaluate(READ_FRAMES_AND_EPOCH)
    return (end[1] - start[1]) / (end[0] - start[0])


def test_the_speed_control_trains_more_epochs_per_frame(page):
    # counted in drawn frames, not seconds: a busy machine trains fewer epochs a second at
    # either speed, and more at 25 epochs a frame than at 1 all the same
    open_playground(page)
    play_button(page).click()
    wait_epoch_above(page, 20)
    one = _epochs_per_drawn_frame(page)
    page.get_by_label("Speed").select_option("25")
    wait_epoch_above(page, int(page.locator("#epoch").get_attribute("data-epoch")) + 50)
    many = _epochs_per_drawn_frame(page)
    assert many > 1.5 * one, (one, many)
    pause_button(page).click()
    expect(page.get_by_label("Speed")).to_have_value("25")


def test_divergence_is_explained_with_a_one_click_reset(page):
    open_playground(page, "#learningRate=10&activation=relu&problem=regression&seed=0.1")
    play_button(page).click()
    banner = page.locator(".banner-diverged")
    expect(banner).to_be_visible(timeout=60_000)
    expect(banner).to_contain_text("Training diverged")
    expect(banner).to_contain_text("learning rate")
    expect(play_button(page)).to_be_visible()  # training stopped by itself
    banner.get_by_role("button", name="Reset the diverged network").click()
    expect(banner).to_have_count(0)
    expect(page.locator("#epoch")).to_have_attribute("data-epoch", "0")


def test_discretize_shows_only_two_colours(page):
    open_playground(page, "#dataset=gauss&seed=0.2")
    page.get_by_role("button", name="Step", exact=True).click()
    expect(page.locator("#epoch")).to_have_attribute("data-epoch", "1")
    smooth = map_pixels(page)
    page.get_by_label("Discretize output").check()
    wait_map_changes(page, smooth)
    colours = page.evaluate(
        """() => {
            const c = document.getElementById('output-map');
            const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
            const seen = new Set();
            for (let i = 0; i < d.length; i += 4) seen.add(`${d[i]},${d[i+1]},${d[i+2]}`);
            return seen.size;
        }"""
    )
    assert colours <= 2


def test_a_multiclass_run_shows_its_classes(page):
    open_playground(page, "#seed=edits")  # fixed first weights: one step visibly moves the map
    page.get_by_label("Problem type").select_option("multiclass")
    expect(page.locator(".legend")).to_contain_text("class 0")
    expect(page.locator(".node.output")).to_have_count(3)
    before = map_pixels(page)
    page.get_by_role("button", name="Step", exact=True).click()
    expect(page.locator("#epoch")).to_have_attribute("data-epoch", "1")
    wait_map_changes(page, before)
