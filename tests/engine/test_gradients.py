"""Central-difference checks: what one update applies is the gradient of loss + penalty."""

from __future__ import annotations

import numpy as np
import pytest

from engine.activations import HIDDEN_ACTIVATIONS, OUTPUT_ACTIVATIONS
from engine.config import resolve_output
from engine.data import targets
from engine.losses import LOSSES
from engine.network import Network
from engine.options import DEFAULTS, PROBLEMS
from engine.regularization import PENALTIES, REGULARIZATIONS
from engine.training import Trainer

N_POINTS, N_INPUTS, N_CLASSES = 9, 3, 3
STEP = 1e-6  # central difference step; kinks are kept further away than this


def _allowed_outputs() -> list[tuple[str, str, str]]:
    """Every (problem, output activation, loss) the configuration accepts."""
    allowed = []
    for problem in PROBLEMS:
        for output in OUTPUT_ACTIVATIONS:
            for loss in LOSSES:
                config = {**DEFAULTS, "problem": problem, "outputActivation": output, "loss": loss}
                try:
                    resolve_output(config)
                except ValueError:
                    continue
                allowed.append((problem, output, loss))
    return allowed


def _problem_data(problem: str, output: str, rng: np.random.Generator):
    """Inputs (n, 3) and targets shaped as training sees them."""
    inputs = rng.normal(size=(N_POINTS, N_INPUTS))
    if problem == "multiclass":
        labels = rng.integers(0, N_CLASSES, N_POINTS).astype(float)
    elif problem == "classification":
        labels = rng.choice([-1.0, 1.0], N_POINTS)
    else:
        labels = rng.uniform(-1, 1, N_POINTS)
    return inputs, targets(labels, problem, output, N_CLASSES)


def _objective(net: Network, params, inputs, goal, loss: str, regularization: str, rate: float):
    """Mean loss over the points + λ·R(weights) (biases are not penalized)."""
    probe = Network(net.layer_sizes, net.hidden, net.output, params)
    z, h = probe.forward(inputs)[-1]
    value = LOSSES[loss].value(z.T, h.T, goal.T).mean()  # losses take classes first
    penalty = PENALTIES[regularization]
    if penalty is not None:
        value += rate * sum(penalty(view[:-1]) for view in probe.views)
    return value


def _safe_network(hidden: str, output: str, sizes: list[int], rng, inputs) -> Network:
    """Random weights whose pre-activations all stay away from relu/step kinks at 0."""
    for _ in range(100):
        n_params = sum((a + 1) * b for a, b in zip(sizes, sizes[1:], strict=False))
        net = Network(sizes, HIDDEN_ACTIVATIONS[hidden], OUTPUT_ACTIVATIONS[output],
                      rng.uniform(-1, 1, n_params))  # fmt: skip
        if all(np.abs(z).min() > 1e-3 for z, _ in net.forward(inputs)):
            return net
    raise AssertionError("no kink-free weights found")


@pytest.mark.parametrize("regularization", REGULARIZATIONS)
@pytest.mark.parametrize(("problem", "output", "loss"), _allowed_outputs())
@pytest.mark.parametrize("hidden", list(HIDDEN_ACTIVATIONS))
def test_update_is_the_gradient(hidden, problem, output, loss, regularization):
    rng = np.random.default_rng(7)
    inputs, goal = _problem_data(problem, output, rng)
    n_out = N_CLASSES if problem == "multiclass" else 1
    net = _safe_network(hidden, output, [N_INPUTS, 4, 3, n_out], rng, inputs)
    rate, learning_rate = 0.1, 1e-3
    before = net.params.copy()
    trainer = Trainer(net, LOSSES[loss], inputs, goal, batch_size=N_POINTS)
    trainer.train_epoch(learning_rate, regularization, rate)  # one update over all points
    applied = (before - net.params) / learning_rate
    assert net.alive.all(), "an L1 crossing would make the update differ from the gradient"

    numeric = np.empty_like(before)
    for i in range(before.size):
        plus, minus = before.copy(), before.copy()
        plus[i] += STEP
        minus[i] -= STEP
        numeric[i] = (
            _objective(net, plus, inputs, goal, loss, regularization, rate)
            - _objective(net, minus, inputs, goal, loss, regularization, rate)
        ) / (2 * STEP)
    # every weight and bias of every layer, compared one by one
    np.testing.assert_allclose(applied, numeric, rtol=1e-5, atol=1e-8)
    if hidden == "step" and regularization == "none":  # a step passes nothing back
        first_layers = net.slices[-1].start
        assert np.all(applied[:first_layers] == 0)
