"""Vectorized training equals the reference's per-point algorithm, carry-over and L1 included."""

from __future__ import annotations

import math

import numpy as np
import pytest

from engine import Run
from engine.activations import TANH
from engine.losses import LOSSES
from engine.network import Network
from engine.optimizers import OPTIMIZERS
from engine.training import Trainer

# The reference's activations (φ, φ') as its nn.ts writes them, point by point.
REFERENCE_ACTIVATIONS = {
    "tanh": (math.tanh, lambda z: 1 - math.tanh(z) ** 2),
    "relu": (lambda z: max(0.0, z), lambda z: 0.0 if z <= 0 else 1.0),
    "sigmoid": (
        lambda z: 1 / (1 + math.exp(-z)),
        lambda z: (1 / (1 + math.exp(-z))) * (1 - 1 / (1 + math.exp(-z))),
    ),
    "linear": (lambda z: z, lambda z: 1.0),
}


class ReferenceNet:
    """The reference algorithm, literally: nodes and links, forward and backward per point,
    accumulate, update every batchSize points, leftover carried into the next epoch."""

    def __init__(self, weights, biases, hidden, output, regularization, rate):
        self.w = [np.array(w, dtype=float) for w in weights]  # w[l][source, target]
        self.b = [np.array(b, dtype=float) for b in biases]
        self.dead = [np.zeros(w.shape, dtype=bool) for w in self.w]
        self.acc_w = [np.zeros(w.shape) for w in self.w]
        self.acc_b = [np.zeros(b.shape) for b in self.b]
        self.count = 0
        n = len(self.w)
        self.act = [REFERENCE_ACTIVATIONS[hidden]] * (n - 1) + [REFERENCE_ACTIVATIONS[output]]
        self.regularization, self.rate = regularization, rate

    def forward(self, inputs):
        outputs, totals = [list(inputs)], []
        for layer, w in enumerate(self.w):
            total = []
            for j in range(w.shape[1]):
                value = self.b[layer][j]
                for i in range(w.shape[0]):
                    value += w[i, j] * outputs[-1][i]
                total.append(value)
            totals.append(total)
            outputs.append([self.act[layer][0](t) for t in total])
        return totals, outputs

    def backprop(self, inputs, target):
        totals, outputs = self.forward(inputs)
        output_der = [outputs[-1][0] - target]
        for layer in range(len(self.w) - 1, -1, -1):
            input_der = [
                d * self.act[layer][1](t) for d, t in zip(output_der, totals[layer], strict=True)
            ]
            for j, der in enumerate(input_der):
                self.acc_b[layer][j] += der
                for i in range(self.w[layer].shape[0]):
                    if not self.dead[layer][i, j]:
                        self.acc_w[layer][i, j] += der * outputs[layer][i]
            w = self.w[layer]
            output_der = [
                sum(w[i, j] * input_der[j] for j in range(w.shape[1])) for i in range(w.shape[0])
            ]
        self.count += 1

    def update(self, learning_rate):
        for layer, w in enumerate(self.w):
            self.b[layer] -= learning_rate * self.acc_b[layer] / self.count
            for (i, j), weight in np.ndenumerate(w):
                if self.dead[layer][i, j]:
                    continue
                der = {"L1": np.sign(weight), "L2": weight}.get(self.regularization, 0.0)
                weight = weight - (learning_rate / self.count) * self.acc_w[layer][i, j]
                new = weight - (learning_rate * self.rate) * der
                if self.regularization == "L1" and weight * new < 0:
                    w[i, j], self.dead[layer][i, j] = 0.0, True
                else:
                    w[i, j] = new
            self.acc_w[layer][:] = 0
            self.acc_b[layer][:] = 0
        self.count = 0

    def epoch(self, inputs, targets, batch_size, learning_rate):
        for index, (row, target) in enumerate(zip(inputs, targets, strict=True)):
            self.backprop(row, target)
            if (index + 1) % batch_size == 0:
                self.update(learning_rate)


@pytest.mark.parametrize(
    ("activation", "problem", "regularization", "rate", "batch_size"),
    [
        ("tanh", "classification", "none", 0, 7),
        ("relu", "classification", "L1", 0.01, 13),
        ("sigmoid", "regression", "L2", 0.03, 9),
        ("linear", "regression", "none", 0, 1),
        ("tanh", "classification", "L1", 0.3, 30),
    ],
)
def test_batch_training_equals_the_reference_point_loop(
    activation, problem, regularization, rate, batch_size
):
    run = Run({
        "seed": "0.31", "activation": activation, "problem": problem, "networkShape": [3, 2],
        "percTrainData": 10 if problem == "regression" else 20, "batchSize": batch_size,
        "regularization": regularization, "regularizationRate": rate, "learningRate": 0.1,
        "xSquared": True,
    })  # fmt: skip
    points, labels = run.train_data
    assert batch_size == 1 or len(points) % batch_size, "leave a leftover batch to carry over"
    inputs = np.column_stack([points[:, 0], points[:, 1], points[:, 0] ** 2])
    output = "tanh" if problem == "classification" else "linear"
    reference = ReferenceNet(run.weights, run.biases, activation, output, regularization, rate)
    for _ in range(4):
        run.step()
        reference.epoch(inputs, labels, batch_size, 0.1)
        for ours, theirs in zip(run.weights + run.biases, reference.w + reference.b, strict=True):
            np.testing.assert_allclose(ours, theirs, rtol=1e-9, atol=1e-12)
        for ours, theirs in zip(run.dead_links, reference.dead, strict=True):
            np.testing.assert_array_equal(ours, theirs)


def test_hand_worked_update_of_one_neuron():
    # one input x = 2, target 1, w = 0.5, b = 0.1, tanh output, α = 0.1, batch of one point:
    # z = 1.1, h = tanh 1.1 = 0.800499, ∂L/∂h = h − 1 = −0.199501, φ' = 1 − h² = 0.359201,
    # δ = −0.071661, ∂L/∂w = 2δ = −0.143322 → w = 0.514332, b = 0.1 + 0.0071661 = 0.107166
    net = Network([1, 1], TANH, TANH, np.array([0.5, 0.1]))
    Trainer(net, LOSSES["square"], np.array([[2.0]]), np.array([[1.0]]), 1).train_epoch(
        0.1, "none", 0.0
    )
    np.testing.assert_allclose(net.params, [0.5143322027917688, 0.10716610139588442], rtol=1e-15)
    assert round(net.params[0], 6) == 0.514332 and round(net.params[1], 6) == 0.107166


def test_hand_worked_update_with_l2():
    # as above with L2, λ = 0.5: w ← w − α ∂L/∂w − α λ w = 0.514332 − 0.025 = 0.489332
    net = Network([1, 1], TANH, TANH, np.array([0.5, 0.1]))
    Trainer(net, LOSSES["square"], np.array([[2.0]]), np.array([[1.0]]), 1).train_epoch(
        0.1, "L2", 0.5
    )
    assert net.params[0] == pytest.approx(0.4893322027917688, rel=1e-15)
    assert net.params[1] == pytest.approx(0.10716610139588442, rel=1e-15)  # bias: no penalty


def test_leftover_points_are_carried_into_the_next_epochs_first_update():
    run = Run({"seed": "0.4", "percTrainData": 10, "batchSize": 30})  # 50 points: 30 + 20
    trainer = run.state.trainer
    run.step()
    assert trainer.carry_count == 20
    run.step()
    # the second epoch's one update averaged 20 carried points and 30 new ones
    assert trainer.last_update.count == 50 and len(trainer.last_update.inputs) == 50
    assert trainer.carry_count == 20


def test_batch_larger_than_the_training_set_never_updates_like_the_reference():
    run = Run({"seed": "0.4", "percTrainData": 10, "batchSize": 60})  # 50 training points
    before = run.weights
    run.step(3)
    np.testing.assert_array_equal(run.weights[0], before[0])
    assert run.state.trainer.carry_count == 150


def test_l1_kills_links_that_cross_zero_and_they_stay_dead():
    run = Run({"seed": "0.2", "regularization": "L1", "regularizationRate": 0.3,
               "learningRate": 0.3})  # fmt: skip
    run.step(30)
    dead = run.dead_links
    assert any(mask.any() for mask in dead)
    run.step(20)
    for mask, weights, later in zip(dead, run.weights, run.dead_links, strict=True):
        assert np.all(weights[mask] == 0.0)
        assert np.all(later[mask])  # once dead, always dead until a rebuild
    run.reset()
    assert not any(mask.any() for mask in run.dead_links)


@pytest.mark.parametrize("optimizer", list(OPTIMIZERS))
def test_every_optimizer_lowers_the_loss(optimizer):
    run = Run({"seed": "0.6", "optimizer": optimizer, "learningRate": 0.03})
    start = run.losses()["train"]
    run.step(30)
    assert run.losses()["train"] < 0.5 * start


def test_optimizer_switches_live_without_losing_the_weights():
    run = Run({"seed": "0.6"})
    run.step(3)
    weights = run.weights
    assert run.configure({"optimizer": "adam"}) == "live"
    np.testing.assert_array_equal(run.weights[0], weights[0])
    run.step(1)
    assert run.state.trainer.optimizer.name == "adam" and run.state.trainer.optimizer.t == 25
