"""Helpers for the own-data browser tests: clicks on the map at data coordinates, the
points on it, the Import / Export menu and its downloads."""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import Page, expect

from tests.e2e.playground import wait_settled

POINTS = "#map-points"
DOMAIN = 6.0
BLUE, ORANGE = (0x08, 0x77, 0xBD), (0xF5, 0x93, 0x22)  # labels +1 and −1 (colors.js)
BLUE_POINTS = [(-3.0, 3.0), (-4.0, 2.0), (-2.0, 4.0), (-4.0, 4.0)]
ORANGE_POINTS = [(3.0, -3.0), (4.0, -2.0), (2.0, -4.0), (4.0, -4.0)]
LINK = "#seed=0.6&networkShape=4&dataset=xor&batchSize=2&learningRate=0.1"


def map_position(page: Page, x: float, y: float) -> dict:
    """The pixel of data point (x, y) inside the points canvas (CSS pixels)."""
    box = page.locator(POINTS).bounding_box()
    return {
        "x": (x + DOMAIN) / (2 * DOMAIN) * box["width"],
        "y": (DOMAIN - y) / (2 * DOMAIN) * box["height"],
    }


def click_map(page: Page, x: float, y: float, **options) -> None:
    page.locator(POINTS).click(position=map_position(page, x, y), **options)


def start_drawing(page: Page, clear: bool = True) -> None:
    toggle = page.get_by_role("button", name="Draw", exact=True)
    toggle.click()
    expect(toggle).to_have_attribute("aria-pressed", "true")
    if clear:
        page.get_by_role("button", name="Clear all points").click()
        expect(page.locator(POINTS)).to_have_attribute("data-shown", "0")


def draw(page: Page, points: list[tuple[float, float]], label: str | None = None) -> None:
    """Click each point (after choosing the class `label` names, e.g. "Orange (−1)")."""
    if label is not None:
        page.get_by_role("radio", name=label).click()
    for x, y in points:
        click_map(page, x, y)


def expect_total(page: Page, n: int) -> None:
    """`n` points on the map and the server's frames reflect every edit."""
    expect(page.locator(POINTS)).to_have_attribute("data-shown", str(n))
    if n >= 2:  # fewer stay a draft on the page: nothing to train on yet
        expect(page.locator("#draw-count")).to_have_attribute("data-synced", "true")
    wait_settled(page)


def color_at(page: Page, x: float, y: float) -> tuple[int, int, int, int]:
    """RGBA of the points canvas at data point (x, y) (transparent where no point is)."""
    position = map_position(page, x, y)
    return tuple(
        page.evaluate(
            """([sel, x, y]) => {
                const canvas = document.querySelector(sel);
                const ratio = canvas.width / canvas.getBoundingClientRect().width;
                const pixel = canvas.getContext('2d').getImageData(
                    Math.floor(x * ratio), Math.floor(y * ratio), 1, 1).data;
                return Array.from(pixel);
            }""",
            [POINTS, position["x"], position["y"]],
        )
    )


def is_color(rgba: tuple[int, int, int, int], rgb: tuple[int, int, int], tolerance: int = 12):
    return rgba[3] == 255 and all(abs(a - b) <= tolerance for a, b in zip(rgba, rgb, strict=False))


def menu_item(page: Page, name: str):
    """Open the Import / Export menu and return its item `name`."""
    menu = page.locator("#file-menu")
    if menu.is_hidden():
        page.get_by_role("button", name="Import / Export").click()
    return menu.get_by_role("button", name=name, exact=True)


def download_from_menu(page: Page, name: str, folder: Path) -> Path:
    """Click menu item `name` and save the file it downloads into `folder`."""
    item = menu_item(page, name)
    with page.expect_download() as info:
        item.click()
    download = info.value
    target = folder / download.suggested_filename
    download.save_as(target)
    return target


def draw_two_clusters(page: Page) -> None:
    """Four blue points top left, four orange ones bottom right (all 8 on the server)."""
    start_drawing(page)
    draw(page, BLUE_POINTS, label="Blue (+1)")
    draw(page, ORANGE_POINTS, label="Orange (−1)")
    expect_total(page, 8)


def step(page: Page, times: int) -> None:
    """Train `times` epochs with the Step button, from epoch 0."""
    for _ in range(times):
        page.get_by_role("button", name="Step", exact=True).click()
    expect(page.locator("#epoch")).to_have_attribute("data-epoch", str(times))
    wait_settled(page)
