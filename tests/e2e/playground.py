"""Helpers for the browser tests: open the page, read the epoch and the output map's pixels.

Waiting uses Playwright's `expect` and `wait_for_function` with function sources (the page's
CSP forbids eval, so predicates must be written as `(arg) => …`), never sleeps. Waits for
training are generous (minutes): a machine busy with something else only makes them slower.
"""

from __future__ import annotations

from playwright.sync_api import Page, expect

EPOCH = "#epoch"
MAP = "#output-map"

REFERENCE_LINK = (
    "#activation=relu&batchSize=3&dataset=xor&regDataset=reg-plane&learningRate=0.1"
    "&regularizationRate=0&noise=10&networkShape=5,3&seed=0.61937&showTestData=true"
    "&discretize=false&percTrainData=60&x=true&y=true&xTimesY=true&xSquared=false"
    "&ySquared=false&cosX=false&cosY=false&sinX=false&sinY=false&collectStats=false"
    "&problem=classification&initZero=false&hideText=false"
)


def open_playground(page: Page, hash_: str = "") -> None:
    """Load the page (optionally with a URL hash) and wait until its first frame is drawn.

    The page draws nothing before the server answered its `load_hash` (or `restore`), so
    `data-ready` means the run of the link is on screen.
    """
    response = page.goto(page.base_url + "/" + hash_)
    assert response.ok
    expect(page.locator("#app")).to_have_attribute("data-ready", "true")


def epoch(page: Page) -> int:
    return int(page.get_attribute(EPOCH, "data-epoch"))


def frames(page: Page) -> int:
    return int(page.get_attribute("#app", "data-frames"))


def wait_epoch_above(page: Page, value: int, timeout: float = 120_000) -> None:
    page.wait_for_function(
        "(n) => Number(document.getElementById('epoch').dataset.epoch) > n",
        arg=value,
        timeout=timeout,
    )


def wait_new_frame(page: Page, after: int) -> None:
    """Wait until a frame later than the `after`-th drawn frame is on screen."""
    page.wait_for_function(
        "(n) => Number(document.getElementById('app').dataset.frames) > n", arg=after
    )


def wait_settled(page: Page) -> None:
    """Wait until the drawn frame reflects every control message the page has sent."""
    page.wait_for_function(
        "() => { const d = document.getElementById('app').dataset;"
        " return d.seq !== undefined && d.lastSeq === d.seq; }"
    )


def map_pixels(page: Page) -> str:
    """The output heatmap canvas as a data URL (changes whenever a pixel does)."""
    return page.evaluate("(sel) => document.querySelector(sel).toDataURL()", MAP)


def wait_map_changes(page: Page, before: str, timeout: float = 60_000) -> None:
    page.wait_for_function(
        "([sel, before]) => document.querySelector(sel).toDataURL() !== before",
        arg=[MAP, before],
        timeout=timeout,
    )


def wait_hash_contains(page: Page, text: str) -> None:
    page.wait_for_function("(text) => location.hash.includes(text)", arg=text)


def play_button(page: Page):
    return page.get_by_role("button", name="Play", exact=True)


def pause_button(page: Page):
    return page.get_by_role("button", name="Pause", exact=True)


def link_middle(page: Page, layer: int, source: int, target: int) -> tuple[float, float]:
    """Screen coordinates of the middle of a link (flat links have empty bounding boxes)."""
    return page.evaluate(
        """([l, s, t]) => {
            const path = document.querySelector(
                `.link-hit[data-layer="${l}"][data-source="${s}"][data-target="${t}"]`);
            const p = path.getPointAtLength(path.getTotalLength() / 2);
            const m = path.getScreenCTM();
            return [p.x * m.a + p.y * m.c + m.e, p.x * m.b + p.y * m.d + m.f];
        }""",
        [layer, source, target],
    )


def unnamed_controls(page: Page, selector: str = "button, select, input") -> list[str]:
    """The visible controls among `selector` that have no accessible name."""
    return page.evaluate(
        """(selector) => [...document.querySelectorAll(selector)]
            .filter((el) => el.getClientRects().length > 0)
            .filter((el) => {
              const byLabel = el.labels && [...el.labels].some((l) => l.textContent.trim());
              const byAria = el.getAttribute('aria-label') || el.getAttribute('aria-labelledby');
              return !(byLabel || byAria || el.textContent.trim());
            })
            .map((el) => el.outerHTML.slice(0, 80))""",
        selector,
    )


def inside(box, width, height):
    """A bounding box lies wholly inside a width × height viewport."""
    return (
        box["x"] >= 0
        and box["y"] >= 0
        and box["x"] + box["width"] <= width
        and (box["y"] + box["height"] <= height)
    )


def watch(page: Page, problems, base_url: str) -> Page:
    """Report the page's console errors, page errors and failed requests to `problems`
    (the test's fixture fails on any), and resolve its paths against `base_url`."""
    page.on(
        "console",
        lambda msg: (
            problems.add(f"console {msg.type}: {msg.text}") if msg.type == "error" else None
        ),
    )
    page.on("pageerror", lambda exc: problems.add(f"page error: {exc}"))
    # a request the browser abandoned because the page navigated (a reload, a new address)
    # is no failure of the page
    page.on(
        "requestfailed",
        lambda req: (
            None
            if "ERR_ABORTED" in str(req.failure)
            else problems.add(f"request failed: {req.url} {req.failure}")
        ),
    )
    page.base_url = base_url
    return page
