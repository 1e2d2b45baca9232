"""Presentation mode for a projector: a button, the p key and `?present` in a link turn it on;
the type, the links, the map and the chart grow; what a lesson hides stays hidden; a lesson
link can carry it; the page remembers a high-contrast choice."""

from playwright.sync_api import expect

from tests.e2e.lecture import open_lab
from tests.e2e.own_data import menu_item
from tests.e2e.playground import open_playground

LINK = "#networkShape=4,2&seed=0.8&dataset=xor&learningRate_hide=true&showTestData_hide=true"


def sizes(page) -> dict:
    return page.evaluate(
        """() => ({
            font: parseFloat(getComputedStyle(document.body).fontSize),
            loss: parseFloat(getComputedStyle(document.getElementById('test-loss')).fontSize),
            map: document.getElementById('output-map').getBoundingClientRect().width,
            chart: document.getElementById('loss-chart').getBoundingClientRect().height,
            link: Number(document.querySelector('.link-hit').dataset.width),
        })"""
    )


def wait_laid_out(page) -> None:
    """The diagram and the map measure their new boxes a moment after a mode change."""
    page.wait_for_function(
        "() => Number(document.getElementById('network-svg').getAttribute('width'))"
        " === document.getElementById('network').clientWidth"
    )


def test_the_button_and_the_key_turn_presentation_mode_on_and_off(page):
    open_playground(page, LINK)
    before = sizes(page)
    button = page.get_by_role("button", name="Present")
    button.click()
    expect(button).to_have_attribute("aria-pressed", "true")
    expect(page.locator("html")).to_have_class("present")
    wait_laid_out(page)
    page.wait_for_function(
        "(w) => Number(document.querySelector('.link-hit').dataset.width) > w", arg=before["link"]
    )
    page.wait_for_function(
        "(w) => document.getElementById('output-map').getBoundingClientRect().width > w",
        arg=before["map"],
    )
    after = sizes(page)
    assert after["font"] > before["font"] and after["loss"] > before["loss"]
    assert after["chart"] > before["chart"]
    # What the lesson hides stays hidden; the explanations give their room to the pictures.
    expect(page.locator("#learning-rate")).to_be_hidden()
    expect(page.locator("#show-test")).to_be_hidden()
    expect(page.locator(".features-explain")).to_be_hidden()
    # The address says so: a reload (or a copy of it) opens in presentation mode again.
    assert "?present#" in page.url
    page.locator("body").press("p")
    expect(page.locator("html")).not_to_have_class("present")
    assert "?present" not in page.url
    page.locator("body").press("p")
    expect(page.locator("html")).to_have_class("present")
    page.reload()
    expect(page.locator("#app")).to_have_attribute("data-ready", "true")
    expect(page.locator("html")).to_have_class("present")


def test_a_link_opens_in_presentation_mode_and_a_lesson_link_can_carry_it(page):
    page.goto(page.base_url + "/?present" + LINK)
    expect(page.locator("#app")).to_have_attribute("data-ready", "true")
    expect(page.locator("html")).to_have_class("present")
    expect(page.get_by_role("button", name="Present")).to_have_attribute("aria-pressed", "true")
    open_lab(page)  # the drawer fits beside the output in presentation mode too
    assert page.locator("#lab").bounding_box()["x"] >= (
        page.locator(".output-column").bounding_box()["x"]
        + page.locator(".output-column").bounding_box()["width"]
    )
    page.get_by_role("button", name="Import / Export").click()
    page.get_by_label("Open it in presentation mode").check()
    menu_item(page, "Copy lesson link").click()
    field = page.locator("#lesson-link")
    expect(field).to_be_visible()
    assert field.input_value().startswith(page.base_url + "/?present#")


def test_the_high_contrast_choice_is_remembered(page):
    open_playground(page)
    button = page.get_by_role("button", name="High contrast")
    button.click()
    expect(page.locator("html")).to_have_class("contrast")
    ink = page.evaluate("() => getComputedStyle(document.body).color")
    assert ink == "rgb(0, 0, 0)"
    page.reload()
    expect(page.locator("#app")).to_have_attribute("data-ready", "true")
    expect(page.locator("html")).to_have_class("contrast")
    expect(button).to_have_attribute("aria-pressed", "true")
    button.click()
    expect(page.locator("html")).not_to_have_class("contrast")
