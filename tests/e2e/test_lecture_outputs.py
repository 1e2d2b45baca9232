"""Lecture row 4: output activation and loss menus from the registries, "auto" naming what
it resolves to, and a pairing that makes no sense refused next to its control."""

from playwright.sync_api import expect

from engine.config import registries
from tests.e2e.lecture import open_lab, step
from tests.e2e.playground import open_playground, wait_hash_contains, wait_settled

REGISTRIES = registries()


def option_values(page, selector):
    return page.locator(f"{selector} option").evaluate_all("(os) => os.map((o) => o.value)")


def test_the_menus_come_from_the_registries_and_auto_says_what_it_means(page):
    open_playground(page)
    open_lab(page)
    output, loss = page.locator("#output-activation"), page.locator("#loss")
    assert option_values(page, "#output-activation") == [
        item["name"] for item in REGISTRIES["output_activations"]
    ]
    assert option_values(page, "#loss") == [item["name"] for item in REGISTRIES["losses"]]
    expect(output).to_have_value("auto")
    expect(output.locator("option[value=auto]")).to_have_text("Auto (Tanh)")
    expect(loss.locator("option[value=auto]")).to_have_text("Auto (Squared error ½(o − t)²)")
    page.get_by_label("Problem type").select_option("regression")
    expect(output.locator("option[value=auto]")).to_have_text("Auto (Linear)")
    page.get_by_label("Problem type").select_option("multiclass")
    expect(output.locator("option[value=auto]")).to_have_text("Auto (Softmax)")
    expect(loss.locator("option[value=auto]")).to_have_text("Auto (Categorical cross-entropy)")


def test_a_refused_pairing_is_explained_next_to_its_control(page):
    open_playground(page)
    open_lab(page)
    output = page.get_by_label("Output layer φ")
    output.select_option("softmax")
    error = page.locator("#output-activation-error")
    expect(error).to_be_visible()
    expect(error).to_contain_text("Softmax gives one probability per class")
    expect(output).to_have_value("auto")  # back to what still runs
    expect(output).to_have_attribute("aria-invalid", "true")
    # Binary cross-entropy needs a sigmoid output: refused under the loss menu...
    page.get_by_label("Loss", exact=True).select_option("bce")
    expect(page.locator("#loss-error")).to_contain_text("Binary cross-entropy needs a Sigmoid")
    # ...and accepted once the output is a sigmoid; the errors go away.
    output.select_option("sigmoid")
    wait_hash_contains(page, "outputActivation=sigmoid")
    expect(error).to_be_hidden()
    page.get_by_label("Loss", exact=True).select_option("bce")
    wait_hash_contains(page, "loss=bce")
    wait_settled(page)
    expect(page.locator("#loss-error")).to_be_hidden()
    expect(page.locator(".banner-error")).to_have_count(0)  # explained in place, not twice


def test_a_problem_the_output_layer_cannot_serve_is_refused_and_the_menu_returns(page):
    open_playground(page, "#outputActivation=sigmoid&seed=sig")
    open_lab(page)
    page.get_by_label("Problem type").select_option("multiclass")
    expect(page.locator("#output-activation-error")).to_contain_text("use Softmax")
    expect(page.get_by_label("Problem type")).to_have_value("classification")
    expect(page.locator(".node.output")).to_have_count(1)


def test_a_sigmoid_output_is_drawn_around_its_threshold_of_one_half(page):
    # Sigmoid with binary cross-entropy, the lecture's binary classifier: p ≥ 0.5 is blue.
    open_playground(page, "#dataset=gauss&outputActivation=sigmoid&loss=bce&discretize=true&seed=p")
    step(page, 20)
    colours = page.evaluate(
        """() => {
            const c = document.getElementById('output-map');
            const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
            const seen = new Set();
            for (let i = 0; i < d.length; i += 4) seen.add(`${d[i]},${d[i + 1]},${d[i + 2]}`);
            return seen.size;
        }"""
    )
    assert colours == 2  # both classes' colours, not all blue
    assert float(page.get_attribute("#test-accuracy", "data-value")) > 0.9
