"""The lecture's perceptron: a step output with no hidden layer, trained by Rosenblatt's rule."""

from __future__ import annotations

import numpy as np
import pytest

from engine import Run

PERCEPTRON = {"networkShape": [], "outputActivation": "step", "learningRate": 0.1,
              "batchSize": 1}  # fmt: skip


def test_auto_pairs_the_step_output_with_the_perceptron_rule():
    run = Run({"seed": "p", **PERCEPTRON})
    assert (run.output_activation, run.loss) == ("step", "perceptron")


def test_one_update_is_w_plus_alpha_times_y_minus_y_hat_times_x():
    run = Run({"seed": "p", **PERCEPTRON})
    trainer = run.state.trainer
    x, label = trainer.inputs[0], trainer.targets[0, 0]  # the first training point
    before = run.state.net.params.copy()
    y_hat = float(float(np.sum(before * x)) >= 0.0)  # fires at a = w·x + b >= 0
    values = run.inspect(0, 0, 0, point=[*run.train_data[0][0], run.train_data[1][0]])
    assert values["points"][0]["dL_dz"] == y_hat - label  # ŷ − y
    assert values["points"][0]["h"] == y_hat
    np.testing.assert_allclose(values["update"], 0.1 * (y_hat - label) * x[0], atol=1e-15)


@pytest.mark.parametrize(("dataset", "separates"), [("gauss", True), ("xor", False)])
def test_it_separates_gauss_and_never_xor(dataset, separates):
    run = Run({"seed": "p", "dataset": dataset, **PERCEPTRON})
    best = 0.0
    for _ in range(30):
        run.step()
        best = max(best, run.accuracy()["train"])
    assert (best == 1.0) is separates
    if not separates:
        assert best < 0.8  # a straight line cannot do XOR
