"""Joining a class before the page has reached the server: the join waits for the
connection instead of being lost."""

import json
import re
import urllib.request

from playwright.sync_api import expect


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
