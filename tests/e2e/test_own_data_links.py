"""Lesson links and files carry drawn data; reload and reconnect keep it."""

import re

from playwright.sync_api import expect

from tests.e2e.own_data import (
    LINK,
    POINTS,
    draw,
    draw_two_clusters,
    expect_total,
    menu_item,
    start_drawing,
    step,
)
from tests.e2e.playground import map_pixels, open_playground, wait_settled
from tests.e2e.test_persistence import CONNECTION_ERRORS

BIG_CSV = "x,y,label\n" + "\n".join(
    f"{(i * 7919 % 1000) / 100 - 5:.4f},{(i * 104729 % 1000) / 100 - 5:.4f},{1 if i % 3 else -1}"
    for i in range(3000)
)


def dismiss_restored(page) -> None:
    """Wait for the "Restored: epoch N" notice to go (it fades by itself): the map is
    compared at rest (while the notice shows, the map is 3 px taller)."""
    expect(page.locator(".banner", has_text="Restored: epoch")).to_have_count(0)


def points_digest(page) -> str:
    """Which points the map shows, in which split (a fingerprint of their coordinates and
    labels: the map's size may differ by a few pixels between two pages)."""
    return page.locator(POINTS).get_attribute("data-digest")


def copy_lesson_link(page) -> str:
    menu_item(page, "Copy lesson link").click()
    dialog = page.get_by_role("dialog", name=re.compile("lesson link", re.IGNORECASE))
    expect(dialog).to_be_visible()
    url = page.get_by_label("Lesson link", exact=True).input_value()
    dialog.get_by_role("button", name="Close").click()
    return url


def open_in_new_tab(page, url: str, problems):
    """A new tab of the same browser (its own sessionStorage): the link alone counts."""
    tab = page.context.new_page()
    tab.on("console", lambda msg: problems.add(msg.text) if msg.type == "error" else None)
    tab.on("pageerror", lambda exc: problems.add(f"page error: {exc}"))
    tab.goto(url)
    expect(tab.locator("#app")).to_have_attribute("data-ready", "true")
    return tab


def test_a_lesson_link_opens_the_same_points_and_weights(page, live_server, problems):
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server.url)
    open_playground(page, LINK)
    draw_two_clusters(page)
    step(page, 5)
    page.get_by_role("button", name="Draw", exact=True).click()  # done drawing
    expect(page.locator(POINTS)).to_have_attribute("data-shown", "4")  # test points hidden
    points, pixels = points_digest(page), map_pixels(page)

    url = copy_lesson_link(page)
    assert page.evaluate("() => navigator.clipboard.readText()") == url
    assert url.startswith(f"{live_server.url}/#")
    assert "&data=" in url and "&weights=" in url and len(url) < 8000

    tab = open_in_new_tab(page, url, problems)
    expect(tab.locator(POINTS)).to_have_attribute("data-shown", "4")
    wait_settled(tab)
    assert points_digest(tab) == points  # the same points, in the same split
    assert map_pixels(tab) == pixels  # the same weights
    expect(tab.locator("#draw-count")).to_have_text("Your data: 8 points")
    # The address bar keeps only the configuration; the tab's snapshot keeps the rest.
    tab.wait_for_function("() => !location.hash.includes('data=')")
    assert "weights=" not in tab.evaluate("() => location.hash")
    tab.reload()
    expect(tab.locator("#app")).to_have_attribute("data-restored-epoch", "0")
    expect(tab.locator(POINTS)).to_have_attribute("data-shown", "4")
    wait_settled(tab)
    dismiss_restored(tab)
    assert points_digest(tab) == points
    assert map_pixels(tab) == pixels


def test_a_link_without_weights_and_one_pasted_into_the_same_tab(page, problems):
    # No Clipboard API (as on a plain http address): the link is shown to copy by hand.
    page.add_init_script("Object.defineProperty(navigator, 'clipboard', { value: undefined })")
    open_playground(page, LINK)
    start_drawing(page)
    draw(page, [(-2.0, 2.0), (2.0, -2.0), (0.0, 4.0)])
    expect_total(page, 3)
    menu_item(page, "Copy lesson link")
    page.get_by_label("Include the weights").uncheck()
    menu_item(page, "Copy lesson link").click()
    dialog = page.get_by_role("dialog", name="Copy this lesson link")
    field = dialog.get_by_label("Lesson link", exact=True)
    expect(field).to_be_focused()
    url = field.input_value()
    selected = field.evaluate("(input) => [input.selectionStart, input.selectionEnd]")
    assert selected == [0, len(url)]  # ready for Ctrl+C
    dialog.get_by_role("button", name="Close").click()
    assert "&data=" in url and "weights=" not in url

    page.get_by_role("radio", name="Spiral dataset").click()
    expect(page.locator(POINTS)).to_have_attribute("data-shown", "500")  # drawing: all shown
    page.evaluate("(hash) => { location.hash = hash; }", url.split("#", 1)[1])
    expect(page.locator(POINTS)).to_have_attribute("data-shown", "3")
    expect(page.locator("#draw-count")).to_have_text("3 points")


def test_too_much_for_a_link_offers_a_lesson_file_that_opens_the_same_data(
    page, tmp_path, problems
):
    open_playground(page, LINK)
    big = tmp_path / "big.csv"
    big.write_text(BIG_CSV)
    page.set_input_files("#csv-file", big)
    imported = page.get_by_role("dialog", name="Imported 3,000 points")
    imported.get_by_role("button", name="OK").click()
    expect(page.locator("#draw-count")).to_have_text("Your data: 3,000 points")

    menu_item(page, "Copy lesson link").click()
    dialog = page.get_by_role("dialog", name="Too much for a link")
    expect(dialog).to_contain_text("too long for a link (at most 8000)")
    expect(page.locator(".banner-error")).to_have_count(0)  # said once, in the dialog
    with page.expect_download() as info:
        dialog.get_by_role("button", name="Save lesson file").click()
    lesson = tmp_path / info.value.suggested_filename
    info.value.save_as(lesson)
    assert lesson.suffix == ".json"

    tab = open_in_new_tab(page, page.url.split("#")[0], problems)
    tab.set_input_files("#model-file", lesson)
    expect(tab.locator("#draw-count")).to_have_text("Your data: 3,000 points")
    wait_settled(tab)
    assert points_digest(tab) == points_digest(page)


def test_drawn_points_survive_a_reload_and_a_server_restart(page, live_server, problems):
    problems.allowed += CONNECTION_ERRORS
    open_playground(page, LINK)
    draw_two_clusters(page)
    step(page, 2)
    page.get_by_role("button", name="Draw", exact=True).click()
    points, pixels = points_digest(page), map_pixels(page)

    page.reload()
    expect(page.locator("#app")).to_have_attribute("data-restored-epoch", "2")
    expect(page.locator("#draw-count")).to_have_text("Your data: 8 points")
    wait_settled(page)
    dismiss_restored(page)
    assert points_digest(page) == points
    assert map_pixels(page) == pixels

    live_server.stop()
    expect(page.locator("#app")).to_have_attribute("data-connection", "reconnecting")
    live_server.start()
    expect(page.locator("#app")).to_have_attribute("data-connection", "open", timeout=60_000)
    expect(page.locator("#epoch")).to_have_attribute("data-epoch", "2")
    expect(page.locator("#draw-count")).to_have_text("Your data: 8 points")
    wait_settled(page)
    assert points_digest(page) == points
    assert map_pixels(page) == pixels
