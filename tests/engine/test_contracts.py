"""Contracts written once per registry entry: a new activation, loss, optimizer or output
is tested here without a test edit (expectations come from the registries themselves)."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from engine import Run
from engine.activations import HIDDEN_ACTIVATIONS, OUTPUT_ACTIVATIONS, curve
from engine.data import DataSplit, targets
from engine.losses import LOSSES, output_delta
from engine.metrics import mean_losses, predicted_labels
from engine.optimizers import OPTIMIZERS
from engine.options import PROBLEMS
from engine.regularization import REGULARIZATIONS
from engine.validation import normalize

ELEMENTWISE = {
    a.name: a for a in [*HIDDEN_ACTIVATIONS.values(), *OUTPUT_ACTIVATIONS.values()] if a.elementwise
}
# Away from the kinks of ReLU, Leaky ReLU and the step (a central difference straddles them).
Z = np.concatenate([np.linspace(-4.0, -0.05, 40), np.linspace(0.05, 4.0, 40)])
EPS = 1e-6


def _allowed(output: str, loss: str) -> dict | None:
    """Settings under which the validation accepts this output and loss, or None."""
    for problem, shape in itertools.product(PROBLEMS, ([3], [])):
        settings = {"problem": problem, "outputActivation": output, "loss": loss,
                    "networkShape": shape}  # fmt: skip
        try:
            normalize({**settings, "seed": "1"})
        except ValueError:
            continue
        return settings
    return None


PAIRS = [
    (o, l, s)
    for o in OUTPUT_ACTIVATIONS
    for l in LOSSES  # noqa: E741
    if (s := _allowed(o, l)) is not None
]


@pytest.mark.parametrize("name", list(ELEMENTWISE))
def test_training_derivative_is_phi_prime_and_a_finite_difference(name):
    activation = ELEMENTWISE[name]
    h = activation.forward(Z)
    derivative = activation.derivative(Z, h)
    trained = activation.backward(Z, h, np.ones_like(Z), np.empty_like(Z), np.empty_like(Z))
    np.testing.assert_array_equal(trained, derivative)  # what training multiplies by
    numeric = (activation.forward(Z + EPS) - activation.forward(Z - EPS)) / (2 * EPS)
    np.testing.assert_allclose(derivative, numeric, rtol=1e-6, atol=1e-8)
    plotted = curve(name)  # the page's φ′ plot
    h_plot = activation.forward(np.array(plotted["z"]))
    expected = np.round(activation.derivative(np.array(plotted["z"]), h_plot), 4)
    np.testing.assert_allclose(plotted["derivative"], expected, atol=1e-12)


@pytest.mark.parametrize(("output", "loss", "settings"), PAIRS)
def test_each_loss_gradient_through_its_output_is_a_finite_difference(output, loss, settings):
    activation, function = OUTPUT_ACTIVATIONS[output], LOSSES[loss]
    rng = np.random.default_rng(3)
    k = 3 if settings["problem"] == "multiclass" else 1
    z = rng.uniform(-2.0, 2.0, (6, k))
    z[np.abs(z) < 0.05] += 0.1  # off the step's and ReLU's kink
    labels = rng.integers(0, k, 6) if k > 1 else rng.choice([-1.0, 1.0], 6)
    t = targets(labels.astype(np.float64), settings["problem"], output, k)

    def loss_of(zs):
        h = activation.forward(zs.T, np.empty(zs.T.shape), axis=0)
        return function.value(zs.T, h, t.T)

    h = activation.forward(z.T, np.empty(z.T.shape), axis=0).T
    delta = output_delta(activation, function, z, h, t)
    for j in range(k):
        shift = np.zeros_like(z)
        shift[:, j] = EPS
        numeric = (loss_of(z + shift) - loss_of(z - shift)) / (2 * EPS)
        np.testing.assert_allclose(delta[:, j], numeric, rtol=1e-5, atol=1e-7)


# w = 1, a gradient sum of 0.4 over 2 points (mean g = 0.2) twice, α = 0.5, by hand:
# SGD: 1 − 0.5·0.2 = 0.9, then 0.8. Momentum: v = 0.2, w = 0.9; v = 0.9·0.2 + 0.2 = 0.38,
# w = 0.9 − 0.19 = 0.71 (the velocity decays by μ and keeps the past). Adam: m = 0.02,
# v = 4e-5, bias-corrected m̂ = 0.2, v̂ = 0.04, step 0.5·0.2/0.2 = 0.5; again m̂ = 0.2,
# v̂ = 0.04: the correction makes a constant gradient step by α.
HAND_WORKED = {"sgd": (0.9, 0.8), "momentum": (0.9, 0.71), "adam": (0.5, 0.0)}


def test_every_optimizer_has_a_hand_worked_example():
    assert set(HAND_WORKED) == set(OPTIMIZERS)


@pytest.mark.parametrize("name", list(OPTIMIZERS))
def test_each_optimizer_makes_the_textbook_step(name):
    optimizer = OPTIMIZERS[name](2)
    params, is_bias = np.array([1.0, 1.0]), np.array([False, True])
    for expected in HAND_WORKED[name]:
        optimizer.apply(params, np.array([0.4, 0.4]), 2, 0.5, np.zeros(2), is_bias)
        np.testing.assert_allclose(params, expected, atol=1e-7)


# Outputs that serve a problem with classes (accuracy), with such a problem's settings.
CLASSIFYING = {o: s for o, _, s in reversed(PAIRS) if s["problem"] != "regression"}


@pytest.mark.parametrize("output", list(CLASSIFYING))
def test_accuracy_reads_each_output_at_its_threshold(output):
    activation = OUTPUT_ACTIVATIONS[output]
    problem = CLASSIFYING[output]["problem"]
    labels = np.array([0.0, 1.0, 2.0]) if problem == "multiclass" else np.array([-1.0, 1.0])
    perfect = targets(labels, problem, output, 3)  # the targets read back as their labels
    np.testing.assert_array_equal(predicted_labels(perfect, problem, output), labels)
    if problem == "multiclass":
        return  # by argmax
    assert activation.threshold == (activation.low + 1.0) / 2.0
    near = np.array([[activation.threshold - 1e-9], [activation.threshold]])
    np.testing.assert_array_equal(predicted_labels(near, problem, output), [-1.0, 1.0])


def test_the_mean_loss_divides_by_the_number_of_points():
    run = Run({"seed": "1", "percTrainData": 30, "percValData": 20})
    data: DataSplit = run.state.data
    losses = mean_losses(np.arange(len(data.labels), dtype=np.float64), data)
    for name, value in losses.items():
        rows = data.part(name)
        n = rows.stop - rows.start
        assert value == sum(range(rows.start, rows.stop)) / n


OUTPUTS = {o: s for o in OUTPUT_ACTIVATIONS if (s := _allowed(o, "auto")) is not None}
CASES = list(itertools.product(OPTIMIZERS, REGULARIZATIONS, OUTPUTS))


def _case_run(optimizer: str, regularization: str, output: str) -> Run:
    # the whole training set in one batch: each epoch is exactly one update
    run = Run({"seed": "0.7", "percTrainData": 10, "learningRate": 0.1,
                "optimizer": optimizer, "regularization": regularization,
                "regularizationRate": 0.01 if regularization != "none" else 0,
                **OUTPUTS[output], "loss": "auto", "numClasses": 3})  # fmt: skip
    run.configure({"batchSize": run.state.trainer.n_train})
    return run


@pytest.mark.parametrize(("optimizer", "regularization", "output"), CASES)
def test_the_inspector_shows_what_the_next_update_applies(optimizer, regularization, output):
    run = _case_run(optimizer, regularization, output)
    layer = len(run.weights) - 1
    predicted = run.inspect(layer, 0, 0)  # before any update: the next batch
    run.step()
    assert predicted["batch"] == "next_batch"
    assert predicted["weight_after"] == run.weights[layer][0, 0]
    run.step(2)
    for kind, source in (("weight", 0), ("bias", None)):
        values = run.inspect(layer, source, 0, kind=kind)
        assert values["replayed"] and values["batch"] == "last_update"
        assert values["replayed_weight_after"] == values["weight_after"]  # one update rule
        after = run.weights[layer][0, 0] if kind == "weight" else run.biases[layer][0]
        assert values["weight_after"] == after
        penalty = next((r["value"] for r in values["steps"] if r["key"] == "penalty"), 0.0)
        shown = values["weight"] - values["update"] - penalty
        assert shown == pytest.approx(values["weight_after"], rel=1e-12, abs=1e-15)
