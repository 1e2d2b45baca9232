"""Lessons: one preset per lecture concept, each a link the engine understands and that
shows its point; listed in the page's lessons menu and in docs/lessons.md."""

import json
from pathlib import Path

import numpy as np
import pytest
from playwright.sync_api import expect

from engine import Run
from tests.e2e.playground import open_playground, wait_hash_contains

ROOT = Path(__file__).resolve().parents[2]
LESSONS = json.loads((ROOT / "static" / "lessons" / "lessons.json").read_text())["lessons"]
BY_ID = {lesson["id"]: lesson for lesson in LESSONS}


def trained(lesson_id: str, epochs: int) -> Run:
    run = Run.from_hash(BY_ID[lesson_id]["hash"])
    run.step(epochs)
    return run


@pytest.mark.parametrize("lesson", LESSONS, ids=[lesson["id"] for lesson in LESSONS])
def test_every_lesson_link_is_understood_by_the_engine(lesson):
    run = Run.from_hash(lesson["hash"])
    assert run.notices == []
    assert lesson["title"] and lesson["watch"] and lesson["next"] and lesson["concept"]
    assert f"#{lesson['hash']}" in (ROOT / "docs" / "lessons.md").read_text()


def test_each_lesson_shows_its_point():
    assert trained("perceptron-xor", 300).accuracy()["test"] < 0.75  # a line cannot do XOR
    assert trained("hidden-layer-xor", 300).accuracy()["test"] > 0.95
    gradients = trained("activations", 2).gradient_norms()
    assert 0 < gradients[0] < gradients[-1] / 1000  # sigmoid: the gradient vanishes
    diverged = trained("scale-matters", 5).diverged
    assert diverged and "scale matters" in diverged["message"]
    overfit = trained("overfitting", 800)  # its seed's run, the same on every machine
    losses, accuracy = overfit.losses(), overfit.accuracy()
    assert losses["train"] < losses["validation"] / 100 and accuracy["train"] == 1.0
    assert accuracy["validation"] < 0.9 and accuracy["test"] < 0.9
    validation = [point[3] for point in overfit.history]  # (epoch, train, test, validation)
    best = int(np.argmin(validation))
    assert overfit.history[best][0] < 400 and validation[-1] > validation[best]  # it rose
    l1 = trained("l1", 800)
    kept = np.abs(l1.weights[0]).sum(axis=1)  # per input feature
    assert [name for name, size in zip(l1.input_names, kept, strict=True) if size > 0] == [
        "xTimesY"
    ]
    l2 = trained("l2", 800)
    assert (l2.weights[0] != 0).all() and np.argmax(np.abs(l2.weights[0]).sum(axis=1)) == 4
    softmax = trained("softmax", 300)
    assert softmax.layer_sizes[-1] == 3 and softmax.accuracy()["test"] > 0.9


def test_the_lessons_menu_opens_a_lesson(page):
    open_playground(page)
    page.get_by_role("button", name="Lessons").click()
    menu = page.get_by_role("navigation", name="Lessons")
    expect(menu.get_by_role("link")).to_have_count(len(LESSONS))
    menu.get_by_role("link", name="A hidden layer solves XOR").click()
    expect(menu).to_be_hidden()
    wait_hash_contains(page, "seed=lesson-hidden")
    expect(page.locator('.dataset[data-dataset="xor"]')).to_have_attribute("aria-checked", "true")
    expect(page.locator("#layers-count")).to_have_text("1 hidden layer")
    expect(page.locator("#activation")).to_have_value("tanh")
    expect(page.locator(".node.neuron")).to_have_count(4)
    # A link opened directly does the same: the softmax lesson.
    page.goto("about:blank")
    open_playground(page, "#" + BY_ID["softmax"]["hash"])
    expect(page.locator("#problem")).to_have_value("multiclass")
    expect(page.locator(".node.output")).to_have_count(3)
    expect(page.locator(".banner-notice")).to_have_count(0)
