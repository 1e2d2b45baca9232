"""Accessibility of the class: axe-core finds no serious or critical violation on the
dashboard (empty, with students in its gallery, spotlighting one, in the dark theme)."""

import pytest
from playwright.sync_api import expect

from tests.e2e.playground import play_button
from tests.e2e.test_a11y import serious_violations
from tests.e2e.test_classroom import join, start_class, tile

DASHBOARD_MODES = ["empty", "gallery", "spotlight", "dark"]


@pytest.mark.parametrize("mode", DASHBOARD_MODES)
def test_axe_finds_no_serious_violation_on_the_dashboard(browser, live_server, problems, mode):
    contexts = []
    try:
        teacher, dashboard, code = start_class(browser, live_server, problems)
        contexts.append(teacher)
        if mode == "dark":
            dashboard.emulate_media(color_scheme="dark")
        if mode != "empty":
            students = []
            for name in ("Ada", "Bo"):  # all join before any plays: an idle worker admits them
                context, page = join(browser, live_server, problems, code, name)
                contexts.append(context)
                students.append(page)
            for page in students:
                play_button(page).click()
            expect(dashboard.locator("#gallery .tile")).to_have_count(2)
            dashboard.wait_for_function(
                "() => [...document.querySelectorAll('#gallery .tile')]"
                ".every((t) => Number(t.dataset.epoch) > 0)"
            )
        if mode == "spotlight":
            tile(dashboard, "Bo").locator(".tile-main").click()
            expect(dashboard.locator("#spotlight")).to_be_visible()
            expect(dashboard.locator("#network .node").first).to_be_visible()
        assert serious_violations(dashboard) == []
    finally:
        for context in contexts:
            context.close()
    assert not problems.items, "the pages reported problems:\n" + "\n".join(problems.items)
