"""The page opens in a real browser with no console error."""

from playwright.sync_api import expect


def test_page_opens_without_errors(page):
    response = page.goto(page.base_url + "/")
    assert response.ok
    expect(page).to_have_title("Neural Playground")
    expect(page.locator("#app")).to_have_attribute("data-ready", "true")
