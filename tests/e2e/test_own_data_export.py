"""Out: the data as CSV, the model as JSON and back, predict.py, a PNG of the map."""

import csv
import json
import re
import struct
import subprocess
import sys

from playwright.sync_api import expect

from tests.e2e.own_data import (
    BLUE,
    BLUE_POINTS,
    LINK,
    ORANGE,
    ORANGE_POINTS,
    POINTS,
    download_from_menu,
    draw,
    draw_two_clusters,
    expect_total,
    is_color,
    start_drawing,
    step,
)
from tests.e2e.picture import png_pixels
from tests.e2e.playground import (
    map_pixels,
    open_playground,
    wait_map_changes,
    wait_settled,
)


def tick_centre(page, axis: int, label: str) -> float:
    """Page x (bottom axis, 0) or y (left axis, 1) of the tick labelled `label`."""
    text = page.locator("#map-axes g.axis").nth(axis).locator("text")
    box = text.filter(has_text=re.compile(f"^{label}$")).bounding_box()
    return box["x"] + box["width"] / 2 if axis == 0 else box["y"] + box["height"] / 2


def test_the_data_csv_has_the_drawn_points_where_the_axes_say(page, tmp_path):
    open_playground(page, LINK)
    start_drawing(page)
    draw(page, [(-5.0, 5.0), (1.5, -2.5)])
    # A click on the axes' own ticks: x = 4 on the bottom axis, y = -2 on the left one.
    page.mouse.click(tick_centre(page, 0, "4"), tick_centre(page, 1, "-2"))
    expect_total(page, 3)

    path = download_from_menu(page, "Download data (CSV)", tmp_path)
    assert path.name.startswith("playground-data-") and path.suffix == ".csv"
    rows = list(csv.DictReader(path.read_text().splitlines()))
    assert {row["split"] for row in rows} == {"train", "test"}  # the split applies
    points = sorted((float(row["x"]), float(row["y"])) for row in rows)
    expected = sorted([(-5.0, 5.0), (1.5, -2.5), (4.0, -2.0)])
    pixel = 12 / page.locator(POINTS).bounding_box()["width"]  # data units per CSS pixel
    for (x, y), (ex, ey) in zip(points, expected, strict=True):
        assert abs(x - ex) <= 1.5 * pixel and abs(y - ey) <= 1.5 * pixel, (x, y, ex, ey)
    assert {row["label"] for row in rows} == {"1"}


def test_a_model_exported_and_opened_again_draws_the_same_map(page, tmp_path):
    open_playground(page, LINK)
    draw_two_clusters(page)
    step(page, 3)
    pixels = map_pixels(page)

    model = download_from_menu(page, "Download model (JSON)", tmp_path)
    content = json.loads(model.read_text())
    assert content["format"] == "neural-playground-model" and content["epoch"] == 3

    # Something else entirely: another dataset, new weights.
    page.get_by_role("radio", name="Circle dataset").click()
    page.get_by_role("button", name="Reset").click()
    wait_map_changes(page, pixels)
    expect(page.locator("#epoch")).to_have_attribute("data-epoch", "0")

    page.get_by_role("button", name="Import / Export").click()
    with page.expect_file_chooser() as chooser:
        page.locator("#file-menu").get_by_role("button", name="Model or lesson file…").click()
    chooser.value.set_files(model)
    expect(page.locator(".banner-info")).to_contain_text(f"Opened {model.name}")
    expect(page.locator("#epoch")).to_have_attribute("data-epoch", "3")
    expect(page.locator(POINTS)).to_have_attribute("data-shown", "8")
    wait_settled(page)
    page.wait_for_function(
        "(before) => document.getElementById('output-map').toDataURL() === before", arg=pixels
    )


def test_a_file_that_is_no_model_is_explained(page, tmp_path):
    open_playground(page, LINK)
    not_json = tmp_path / "notes.json"
    not_json.write_text("{ not json")
    page.set_input_files("#model-file", not_json)
    dialog = page.get_by_role("dialog", name="notes.json is not a model file")
    expect(dialog).to_contain_text("It is not JSON")
    dialog.get_by_role("button", name="Close").click()
    wrong = tmp_path / "wrong.json"
    wrong.write_text('{"format": "something else"}')
    page.set_input_files("#model-file", wrong)
    expect(page.get_by_role("dialog", name="wrong.json could not be opened")).to_be_visible()
    expect(page.locator("#epoch")).to_have_attribute("data-epoch", "0")


def test_predict_py_runs_on_its_own_and_agrees_with_the_map(page, tmp_path):
    open_playground(page, LINK)
    draw_two_clusters(page)
    step(page, 20)
    script = download_from_menu(page, "Download predict.py", tmp_path)
    assert script.name == "predict.py"

    def predict(x: float, y: float) -> list[str]:
        result = subprocess.run(
            [sys.executable, str(script), str(x), str(y)],
            capture_output=True,
            text=True,
            timeout=60,
            cwd=tmp_path,
            check=True,
        )
        return result.stdout.split()

    blue, orange = predict(-3, 3), predict(3, -3)
    assert float(blue[0]) > 0 > float(orange[0])
    assert blue[-2:] == ["class", "1"] and orange[-2:] == ["class", "-1"]


def test_the_map_downloads_as_a_png_with_its_points(page, tmp_path):
    open_playground(page, LINK)
    draw_two_clusters(page)
    png = download_from_menu(page, "Download map (PNG)", tmp_path)
    assert png.name == "playground-map-epoch0.png"
    data = png.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", data[16:24])
    assert (width, height) == (658, 778)  # title and losses above the map, the legend below
    # The browser decodes it; the drawn points are in it, where the axes say.
    at = [(40 + (x + 6) * 50, 70 + (6 - y) * 50) for x, y in (BLUE_POINTS[0], ORANGE_POINTS[0])]
    colours = png_pixels(page, data, at)
    assert is_color(tuple(colours[0]), BLUE) and is_color(tuple(colours[1]), ORANGE)
