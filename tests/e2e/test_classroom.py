"""A live class in Chromium: the teacher starts it from the playground, three students join
by the link, and the dashboard shows, pushes, freezes, spotlights, ranks and exports."""

from playwright.sync_api import expect

from tests.e2e.conftest import SCREENSHOTS, WAIT_MS
from tests.e2e.playground import open_playground, play_button, watch

SHOTS = SCREENSHOTS  # test-artifacts/screenshots: what the dashboard and a student saw
TEACHER_LINK = "#dataset=gauss&noise=0&seed=0.25&activation=relu&networkShape=3"
NAMES = ("Ada", "Bo", "Cy")


def start_class(browser, live_server, problems):
    """The teacher's playground and the dashboard its "Start a class" opened."""
    context = browser.new_context(viewport={"width": 1280, "height": 720})
    context.set_default_timeout(WAIT_MS)
    playground = watch(context.new_page(), problems, live_server.url)
    open_playground(playground, TEACHER_LINK)
    playground.get_by_role("button", name="Class").click()
    with context.expect_page() as opened:
        playground.get_by_role("button", name="Start a class").click()
    dashboard = watch(opened.value, problems, live_server.url)
    expect(dashboard.locator("#app")).to_have_attribute("data-ready", "true")
    return context, dashboard, dashboard.locator("#app").get_attribute("data-code")


def join(browser, live_server, problems, code: str, name: str):
    context = browser.new_context(viewport={"width": 390, "height": 844})
    context.set_default_timeout(WAIT_MS)
    page = watch(context.new_page(), problems, live_server.url)
    page.goto(f"{live_server.url}/class/{code}")  # the join link
    expect(page.locator("#class-code")).to_have_value(code)
    page.locator("#class-name").fill(name)
    page.get_by_role("button", name="Join", exact=True).click()
    expect(page.locator("#class-badge")).to_contain_text(f"In class {code} as {name}")
    expect(page.locator("#app")).to_have_attribute("data-ready", "true")
    return context, page


def tile(dashboard, name: str):
    return dashboard.locator("#gallery .tile", has_text=name)


def test_a_teacher_and_three_students(browser, live_server, problems, tmp_path):
    contexts = []
    try:
        teacher, dashboard, code = start_class(browser, live_server, problems)
        contexts.append(teacher)
        students = []
        for name in NAMES:
            context, page = join(browser, live_server, problems, code, name)
            contexts.append(context)
            students.append(page)
        expect(dashboard.locator("#gallery .tile")).to_have_count(3)
        for page in students:  # live maps: each tile follows its student's training
            play_button(page).click()
        for name in NAMES:
            dashboard.wait_for_function(
                "(n) => [...document.querySelectorAll('#gallery .tile')].some((t) =>"
                " t.textContent.includes(n) && Number(t.dataset.epoch) > 0)",
                arg=name,
            )
        dashboard.wait_for_function(  # and each tile's map is painted
            "() => [...document.querySelectorAll('#gallery .tile-map')].every((c) =>"
            " c.getContext('2d').getImageData(0, 0, c.width, c.height).data"
            ".some((v, i) => i % 4 === 3 && v > 0))"
        )

        hashes = [page.evaluate("location.hash") for page in students]
        dashboard.get_by_role("button", name="Push to the class").click()
        for page, before in zip(students, hashes, strict=True):
            page.wait_for_function("(h) => location.hash !== h && location.hash.includes('gauss')",
                                   arg=before)  # fmt: skip
            expect(page.locator("#class-pushed")).to_be_visible()

        dashboard.get_by_role("button", name="Freeze everyone").click()
        for page in students:
            expect(play_button(page)).to_be_disabled()
            expect(page.locator("#class-frozen")).to_be_visible()
        students[0].screenshot(path=str(SHOTS / "class-student-390x844.png"))
        dashboard.get_by_role("button", name="Release everyone").click()
        for page in students:
            expect(play_button(page)).to_be_enabled()

        tile(dashboard, "Bo").locator(".tile-main").click()
        expect(dashboard.locator("#spotlight")).to_be_visible()
        expect(dashboard.locator("#spotlight-name")).to_have_text("Bo")
        expect(dashboard.locator("#network .node").first).to_be_visible()  # Bo's network

        dashboard.locator("#goal-target").fill("0.05")
        dashboard.get_by_role("button", name="Set the goal").click()
        for page in students:
            expect(page.locator("#class-goal")).to_contain_text("test loss below 0.05")
        play_button(students[1]).click()  # only Bo trains the pushed network
        expect(tile(dashboard, "Bo")).to_have_attribute("data-met", "true", timeout=180_000)
        expect(dashboard.locator("#gallery .tile").first).to_contain_text("Bo")
        expect(students[1].locator("#class-goal")).to_contain_text("You met it at epoch")
        for name in ("Ada", "Cy"):
            expect(tile(dashboard, name)).to_have_attribute("data-met", "false")

        dashboard.set_viewport_size({"width": 1280, "height": 720})
        dashboard.screenshot(path=str(SHOTS / "class-dashboard-1280x720.png"))
        dashboard.set_viewport_size({"width": 1920, "height": 1080})
        dashboard.screenshot(path=str(SHOTS / "class-dashboard-1920x1080.png"))

        with dashboard.expect_download() as downloaded:
            dashboard.get_by_role("button", name="Download CSV").click()
        path = tmp_path / "results.csv"
        downloaded.value.save_as(path)
        rows = path.read_text().splitlines()
        assert rows[0].startswith("rank,name,architecture")
        assert rows[1].startswith("1,Bo,2-3-1 relu,13,") and len(rows) == 4
        with dashboard.expect_download() as downloaded:
            dashboard.get_by_role("button", name="Download gallery (PNG)").click()
        picture = tmp_path / "gallery.png"
        downloaded.value.save_as(picture)
        assert picture.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    finally:
        for context in contexts:
            context.close()
    assert not problems.items, "the pages reported problems:\n" + "\n".join(problems.items)
