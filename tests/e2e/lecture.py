"""Helpers for the lecture tests: the "Under the hood" drawer, links, steps, read-outs."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from tests.e2e.playground import link_middle, wait_settled

THREE_DECIMALS = re.compile(r"^-?\d+\.\d{3}$")


def open_lab(page: Page, tab: str = "Model") -> None:
    toggle = page.get_by_role("button", name="Under the hood")
    if toggle.get_attribute("aria-expanded") != "true":
        toggle.click()
    page.get_by_role("tab", name=tab).click()
    expect(page.get_by_role("tab", name=tab)).to_have_attribute("aria-selected", "true")
    wait_diagram_fits(page)


def wait_diagram_fits(page: Page) -> None:
    """The drawer takes width from the diagram: wait until it is laid out for its new box."""
    page.wait_for_function(
        "() => Number(document.getElementById('network-svg').getAttribute('width'))"
        " === document.getElementById('network').clientWidth"
    )


def step(page: Page, times: int = 1) -> None:
    """Press Step `times` times and wait until the page shows the new epoch."""
    wait_settled(page)  # the epoch on screen is the run's, not an earlier frame's
    start = int(page.get_attribute("#epoch", "data-epoch"))
    button = page.get_by_role("button", name="Step", exact=True)
    for _ in range(times):
        button.click()
    expect(page.locator("#epoch")).to_have_attribute("data-epoch", str(start + times))
    wait_settled(page)


def card_weight(page: Page, layer: int, source: int, target: int) -> float:
    """The weight as the hover card shows it (three decimals)."""
    page.mouse.move(0, 0)
    expect(page.locator("#card")).to_be_hidden()
    x, y = link_middle(page, layer, source, target)
    page.mouse.move(x, y)
    value = page.locator("#card .card-value")
    expect(value).to_have_text(THREE_DECIMALS)
    text = value.text_content()
    page.mouse.move(0, 0)
    return float(text)


def chain_value(page: Page, key: str) -> float:
    """A number of the backprop inspector, at full precision (its data-value)."""
    return float(page.get_attribute(f'#chain [data-key="{key}"] .chain-value', "data-value"))


def accuracy(page: Page, split: str) -> float:
    return float(page.get_attribute(f"#{split}-accuracy", "data-value"))


def explain_link(page: Page, layer: int, source: int, target: int) -> None:
    """Click a link in the diagram and open its chain rule in the inspector."""
    x, y = link_middle(page, layer, source, target)
    page.mouse.move(x, y)
    page.mouse.click(x, y)
    page.get_by_role("button", name="Explain ∂L/∂w").click()
    expect(page.locator("#inspector")).to_be_visible()
