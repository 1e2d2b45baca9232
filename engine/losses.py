"""Per-point losses L(h, t) and the output layer's ∂L/∂z, keyed by UI name.

Arrays are laid out class axis first: h, t and z have shape (K, n) for K outputs and n
points, as training computes them; sums over the K outputs run in order (engine.exact).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from engine import exact
from engine.activations import Activation
from engine.exact import Call

Array = np.ndarray
CLASSES = -2  # the class axis: (K, n) for one run, (S, K, n) for a stack of runs


@dataclass(frozen=True)
class Loss:
    """One loss over the outputs h (K, n) with targets t (K, n).

    value(z, h, t) returns the loss of each point, shape (n,) (z is the output
    pre-activation: cross-entropies are computed from it, stable for saturated outputs);
    gradient(h, t, out) writes ∂L/∂h into `out`.
    """

    name: str
    label: str
    value: Callable[[Array, Array, Array], Array]
    gradient: Callable[[Array, Array, Array], Array]


def _square_value(z: Array, h: Array, t: Array) -> Array:
    diff = h - t
    return 0.5 * exact.ordered_sum(diff * diff, CLASSES)  # the reference's 0.5·(d·d)


def _mse_value(z: Array, h: Array, t: Array) -> Array:
    diff = h - t
    return exact.ordered_sum(diff * diff, CLASSES) / h.shape[CLASSES]


def _mse_gradient(h: Array, t: Array, out: Array) -> Array:
    np.subtract(h, t, out)
    return np.multiply(out, 2.0 / h.shape[CLASSES], out)


def _bce_value(z: Array, h: Array, t: Array) -> Array:
    # −[t ln σ(z) + (1 − t) ln(1 − σ(z))] = max(z, 0) − z t + ln(1 + e^−|z|)
    softplus = exact.log1p(exact.exp(-np.abs(z)))
    return exact.ordered_sum((np.maximum(z, 0.0) - z * t) + softplus, CLASSES)


def _bce_gradient(h: Array, t: Array, out: Array) -> Array:
    return np.divide(h - t, h * (1.0 - h), out)


def _softmax_ce_value(z: Array, h: Array, t: Array) -> Array:
    # −Σ t_k ln softmax(z)_k = logsumexp(z) − Σ t_k z_k
    top = z.max(axis=CLASSES, keepdims=True)
    total = exact.ordered_sum(exact.exp(z - top), CLASSES)
    log_sum = exact.log(total) + np.squeeze(top, CLASSES)
    return log_sum - exact.ordered_sum(t * z, CLASSES)


def _softmax_ce_gradient(h: Array, t: Array, out: Array) -> Array:
    return np.divide(-t, h, out)


def _perceptron_value(z: Array, h: Array, t: Array) -> Array:
    # Rosenblatt's criterion max(0, −y·a) with y = 2t − 1 = ±1: 0 for a point on its side.
    # Its slope in a is ŷ − t for the step ŷ = [a >= 0], so gradient descent on it is the
    # perceptron rule w ← w + α(t − ŷ)x (the fused delta below); it does not depend on h.
    return exact.ordered_sum(np.maximum(0.0, -(2.0 * t - 1.0) * z), CLASSES)


def _perceptron_gradient(h: Array, t: Array, out: Array) -> Array:
    out.fill(0.0)
    return out


LOSSES: dict[str, Loss] = {
    loss.name: loss
    for loss in (
        Loss("square", "Squared error ½(o − t)²", _square_value, np.subtract),
        Loss("mse", "Mean squared error (o − t)²", _mse_value, _mse_gradient),
        Loss("bce", "Binary cross-entropy", _bce_value, _bce_gradient),
        Loss(
            "softmax_ce", "Categorical cross-entropy", _softmax_ce_value, _softmax_ce_gradient
        ),  # fmt: skip
        Loss(
            "perceptron", "Perceptron rule max(0, −y·a)", _perceptron_value, _perceptron_gradient
        ),  # fmt: skip
    )
}


# σ with cross-entropy and softmax with cross-entropy: ∂L/∂z = h − t exactly, and stable
# where the chain ∂L/∂h · φ'(z) would multiply an infinity by zero. The step with the
# perceptron criterion: ∂L/∂z = ŷ − t, Rosenblatt's rule (the step's own φ' is 0).
FUSED = {("sigmoid", "bce"), ("softmax", "softmax_ce"), ("step", "perceptron")}


def output_delta_calls(
    activation: Activation, loss: Loss, z: Array, h: Array, t: Array, out: Array, tmp: Array
) -> list[Call]:
    """The numpy calls that write the output layer's ∂L/∂z into `out` (class axis first)."""
    if (activation.name, loss.name) in FUSED:
        return [(np.subtract, (h, t, out))]
    return [(loss.gradient, (h, t, out)), *activation.backward_calls(z, h, out, out, tmp)]


def output_delta(activation: Activation, loss: Loss, z: Array, h: Array, t: Array) -> Array:
    """The output layer's ∂L/∂z for (z, h, t) of shape (n, K) (points first), new array."""
    out, tmp = np.empty(z.shape[::-1]), np.empty(z.shape[::-1])
    for function, arguments in output_delta_calls(activation, loss, z.T, h.T, t.T, out, tmp):
        function(*arguments)
    return out.T
