"""Joining a class by typing its code on the playground (the Class menu's "Join a class"),
as a student does who reads the code off the projector instead of following the link; and
a join clicked before the page has reached the server, which waits for the connection
instead of being lost."""

import json
import re
import urllib.request

from playwright.sync_api import expect

from tests.e2e.conftest import WAIT_MS
from tests.e2e.playground import open_playground, watch
from tests.e2e.test_classroom import start_class, tile


def test_a_student_types_the_code_on_the_playground(browser, live_server, problems):
    contexts = []
    try:
        teacher, dashboard, code = start_class(browser, live_server, problems)
        contexts.append(teacher)
        context = browser.new_context(viewport={"width": 1280, "height": 720})
        context.set_default_timeout(WAIT_MS)
        contexts.append(context)
        page = watch(context.new_page(), problems, live_server.url)
        open_playground(page)
        page.get_by_role("button", name="Class").click()
        code_box = page.get_by_role("textbox", name="Code")
        expect(code_box).to_have_value("")  # no link: nothing is filled in

        wrong = "ZZZZ" if code != "ZZZZ" else "YYYY"
        code_box.fill(wrong)
        page.get_by_role("button", name="Join", exact=True).click()
        expect(page.locator("#class-join-error")).to_contain_text(f"there is no class {wrong}")
        expect(page.locator("#class-badge")).to_be_hidden()

        code_box.fill(f" {code.lower()} ")  # as typed: lower case, stray spaces
        page.get_by_role("textbox", name="Your name").fill("Dee")
        page.get_by_role("textbox", name="Your name").press("Enter")
        expect(page.locator("#class-badge")).to_contain_text(f"In class {code} as Dee")
        expect(page.locator("#class-join-error")).to_have_text("")
        expect(tile(dashboard, "Dee")).to_have_count(1)
        expect(dashboard.locator("#class-count")).to_contain_text("1")

        page.reload()  # the same student after a reload: one tile, not two
        expect(page.locator("#class-badge")).to_contain_text(f"In class {code} as Dee")
        expect(dashboard.locator("#gallery .tile")).to_have_count(1)
    finally:
        for context in contexts:
            context.close()
    assert not problems.items, "the pages reported problems:\n" + "\n".join(problems.items)


def test_a_join_clicked_while_the_page_is_still_connecting_goes_through(page, live_server):
    request = urllib.request.Request(live_server.url + "/class/new", method="POST")
    with urllib.request.urlopen(request, timeout=60) as reply:
        code = json.load(reply)["code"]
    reachable = {"yes": False}

    def gate(ws):  # the playground's socket fails until the server is "reachable"
        if reachable["yes"]:
            ws.connect_to_server()
        else:
            ws.close()

    page.route_web_socket(re.compile(r"/ws$"), gate)
    page.goto(f"{live_server.url}/class/{code}")
    expect(page.locator("#class-code")).to_have_value(code)
    page.locator("#class-name").fill("Ada")
    page.get_by_role("button", name="Join", exact=True).click()
    reachable["yes"] = True
    expect(page.locator("#class-badge")).to_contain_text(f"In class {code} as Ada")
