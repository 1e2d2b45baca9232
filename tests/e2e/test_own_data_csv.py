"""CSV in: a file with bad lines is reported row by row and never half-applied."""

from playwright.sync_api import expect

from tests.e2e.own_data import (
    BLUE,
    ORANGE,
    POINTS,
    color_at,
    expect_total,
    is_color,
    menu_item,
)
from tests.e2e.playground import open_playground, wait_settled

GOOD_AND_BAD = """x,y,label
-3,3,1
abc,2,1
3,-3,-1
5,nan,1
1,2,1,4
-4,4,1
2,2,0
4,-4,-1
7,8,1
"""


def test_a_csv_with_bad_lines_is_reported_and_its_valid_rows_imported_on_request(page, tmp_path):
    open_playground(page, "#seed=0.3&dataset=xor&showTestData=true")
    expect(page.locator(POINTS)).to_have_attribute("data-shown", "500")
    csv = tmp_path / "my points.csv"
    csv.write_text(GOOD_AND_BAD)

    item = menu_item(page, "Data from a CSV file…")
    with page.expect_file_chooser() as chooser:
        item.click()
    chooser.value.set_files(csv)

    dialog = page.get_by_role("dialog", name="5 rows could not be used")
    expect(dialog).to_be_visible()
    expect(dialog).to_contain_text("my points.csv: 4 rows accepted, 5 rejected.")
    expect(dialog).to_contain_text("header line 1 skipped")
    rows = dialog.get_by_role("list", name="Rejected rows").get_by_role("listitem")
    expect(rows).to_have_count(5)
    expect(rows.nth(0).locator(".row-line")).to_have_text("Line 3")
    expect(rows.nth(0).locator(".row-reason")).to_have_text("column 1 is 'abc', not a number")
    expect(rows.nth(1)).to_contain_text("NaN is not a value")
    expect(rows.nth(2)).to_contain_text("4 columns; expected x,y,label")
    expect(rows.nth(3)).to_contain_text("Line 8")
    expect(rows.nth(3)).to_contain_text("label 0 is not -1 or 1")
    expect(rows.nth(4)).to_contain_text("outside [-6, 6]²")
    # Nothing changed yet: the generated data is still on the map.
    expect(page.locator(POINTS)).to_have_attribute("data-shown", "500")

    dialog.get_by_role("button", name="Import the 4 valid rows").click()
    done = page.get_by_role("dialog", name="Imported 4 points")
    expect(done).to_be_visible()
    done.get_by_role("button", name="OK").click()
    expect(done).to_be_hidden()
    expect(page.locator(POINTS)).to_have_attribute("data-shown", "4")
    wait_settled(page)
    assert is_color(color_at(page, -3.0, 3.0), BLUE)
    assert is_color(color_at(page, 4.0, -4.0), ORANGE)
    expect(page.locator("#draw-count")).to_have_text("Your data: 4 points")


def test_cancel_keeps_the_data_and_rescale_fits_far_points_into_the_map(page, tmp_path):
    open_playground(page, "#seed=0.3&dataset=circle&showTestData=true")
    junk = tmp_path / "junk.csv"
    junk.write_text("hello\nworld\n")
    page.set_input_files("#csv-file", junk)
    problem = page.get_by_role("dialog", name="No row could be used")
    expect(problem).to_contain_text("no valid row")  # and still every line's reason:
    rows = problem.get_by_role("list", name="Rejected rows").locator("li")
    expect(rows).to_have_count(1)  # line 1 ("hello") reads as a header
    expect(rows.first).to_contain_text("2")
    problem.get_by_role("button", name="Close").click()
    expect(page.locator(".banner-error")).to_have_count(0)  # said once, in the dialog

    far = tmp_path / "far.csv"
    far.write_text("x;y;label\n-100;0;1\n100;0;-1\n0;-100;1\n0;100;-1\n0;0;1\n1;1;-1\n")
    page.set_input_files("#csv-file", far)
    dialog = page.get_by_role("dialog", name="4 rows could not be used")
    expect(dialog).to_contain_text("outside [-6, 6]²")
    dialog.get_by_role("button", name="Cancel").click()
    expect(dialog).to_be_hidden()
    expect(page.locator(POINTS)).to_have_attribute("data-shown", "500")

    menu_item(page, "Data from a CSV file…")
    page.get_by_label("Rescale it into [−6, 6]²").check()
    page.keyboard.press("Escape")
    expect(page.locator("#file-menu")).to_be_hidden()
    page.set_input_files("#csv-file", far)
    done = page.get_by_role("dialog", name="Imported 6 points")
    expect(done).to_contain_text("rescaled")
    done.get_by_role("button", name="OK").click()
    expect_total(page, 6)
    assert is_color(color_at(page, -6.0, 0.0), BLUE)
    assert is_color(color_at(page, 0.0, 6.0), ORANGE)


def test_a_csv_dropped_on_the_map_is_imported_and_can_be_undone(page):
    open_playground(page, "#seed=0.3&dataset=gauss&showTestData=true")
    text = "x,y,label\n" + "\n".join(
        f"{i / 4 - 5},{i % 5 - 2},{1 if i % 2 else -1}" for i in range(40)
    )
    transfer = page.evaluate_handle(
        """(text) => {
            const transfer = new DataTransfer();
            transfer.items.add(new File([text], 'dropped.csv', { type: 'text/csv' }));
            return transfer;
        }""",
        text,
    )
    page.dispatch_event("#map-frame", "dragover", {"dataTransfer": transfer})
    expect(page.locator("#map-frame")).to_have_class("map-frame drop-target")
    page.dispatch_event("#map-frame", "drop", {"dataTransfer": transfer})
    done = page.get_by_role("dialog", name="Imported 40 points")
    expect(done).to_contain_text("dropped.csv: 40 rows accepted, 0 rejected.")
    done.get_by_role("button", name="OK").click()
    expect(page.locator(POINTS)).to_have_attribute("data-shown", "40")
    expect(page.locator("#map-frame")).not_to_have_class("map-frame drop-target")

    page.get_by_role("button", name="Draw", exact=True).click()
    page.get_by_role("button", name="Undo").click()
    expect_total(page, 500)  # the gauss points again
