"""What a change sends back and redraws: display toggles redraw from what the page has, and a
paused learning-rate change is answered without a frame yet leaves the page settled and a
reload restores the exact run."""

from playwright.sync_api import expect

from tests.e2e.playground import MAP, epoch, frames, open_playground, wait_settled


def click_and_read(page, selector):
    """Click `selector` and read the map's points and pixels before and after, in one task of
    the page: no reply of the server can have come in between."""
    return page.evaluate(
        """([selector, map]) => {
          const read = () => [document.querySelector('#map-points').dataset.shown,
                              document.querySelector(map).toDataURL()];
          const before = read();
          document.querySelector(selector).click();
          return [before, read()];
        }""",
        [selector, MAP],
    )


def test_show_test_data_and_discretize_redraw_before_the_server_answers(page):
    open_playground(page, "#seed=0.5&networkShape=4,2")
    page.get_by_role("button", name="Step", exact=True).click()
    wait_settled(page)
    (shown, _), (shown_after, _) = click_and_read(page, "#show-test")
    assert int(shown_after) > int(shown)  # the test points are on the map at once
    (_, pixels), (_, pixels_after) = click_and_read(page, "#discretize")
    assert pixels_after != pixels  # the map's colours are the signs at once
    wait_settled(page)
    assert "showTestData=true" in page.evaluate("() => location.hash")
    assert "discretize=true" in page.evaluate("() => location.hash")


def test_a_paused_learning_rate_change_settles_without_a_frame_and_survives_a_reload(page):
    open_playground(page, "#seed=0.5&networkShape=4,2")
    page.get_by_role("button", name="Step", exact=True).click()
    expect(page.get_by_label("Epoch", exact=True)).to_have_text("000,001")
    wait_settled(page)
    drawn = frames(page)
    page.get_by_label("Learning rate").select_option("0.3")
    wait_settled(page)  # the state's seq settles it: no frame was needed
    assert frames(page) == drawn
    page.reload()
    expect(page.locator("#app")).to_have_attribute("data-restored-epoch", "1")
    expect(page.get_by_label("Learning rate")).to_have_value("0.3")
    assert epoch(page) == 1
    page.get_by_role("button", name="Step", exact=True).click()
    expect(page.get_by_label("Epoch", exact=True)).to_have_text("000,002")
