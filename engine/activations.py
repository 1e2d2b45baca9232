"""Activation functions φ, their derivatives φ' and batch backward passes, keyed by UI name."""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

Array = np.ndarray


Call = tuple[Callable[..., Any], tuple[Any, ...]]


@dataclass(frozen=True)
class Activation:
    """One activation h = φ(z).

    forward(z, out, axis) writes φ(z) into `out` (any array of z's shape; `axis` is the
    class axis, used by softmax only). derivative(z, h) returns φ'(z) elementwise (None for
    softmax). backward_calls(z, h, grad_h, out, tmp) lists the numpy calls that write
    ∂L/∂z into `out` given ∂L/∂h (`out` may be `grad_h`; `tmp` is scratch of z's shape):
    training compiles them once per batch size, since numpy's per-call overhead dominates
    on batches of ten points.
    """

    name: str
    label: str
    forward: Callable[..., Array]
    derivative: Callable[[Array, Array], Array] | None
    backward_calls: Callable[..., list[Call]]

    @property
    def elementwise(self) -> bool:
        return self.derivative is not None

    def forward_calls(self, z: Array, out: Array) -> list[Call]:
        return [(self.forward, (z, out))]

    def backward(self, z: Array, h: Array, grad_h: Array, out: Array, tmp: Array) -> Array:
        """∂L/∂z written into `out`, given ∂L/∂h."""
        for function, arguments in self.backward_calls(z, h, grad_h, out, tmp):
            function(*arguments)
        return out


def _generic_backward(derivative: Callable[[Array, Array], Array]) -> Callable[..., list[Call]]:
    def backward(z: Array, h: Array, grad_h: Array, out: Array, tmp: Array) -> Array:
        return np.multiply(grad_h, derivative(z, h), out)

    def calls(z: Array, h: Array, grad_h: Array, out: Array, tmp: Array) -> list[Call]:
        return [(backward, (z, h, grad_h, out, tmp))]

    return calls


def _tanh_backward(z: Array, h: Array, grad_h: Array, out: Array, tmp: Array) -> list[Call]:
    # ∂L/∂z = g·(1 − h²) written as g − g·h², all array-array (cheapest for tiny arrays)
    return [
        (np.multiply, (h, h, tmp)),
        (np.multiply, (grad_h, tmp, tmp)),
        (np.subtract, (grad_h, tmp, out)),
    ]


def _sigmoid_forward(z: Array, out: Array | None = None, axis: int = -1) -> Array:
    out = np.negative(z, out)
    np.exp(out, out)
    np.add(out, 1.0, out)
    return np.reciprocal(out, out)


def _sigmoid_backward(z: Array, h: Array, grad_h: Array, out: Array, tmp: Array) -> list[Call]:
    # σ' = σ(1 − σ) = h − h²
    return [
        (np.multiply, (h, h, tmp)),
        (np.subtract, (h, tmp, tmp)),
        (np.multiply, (grad_h, tmp, out)),
    ]


def _relu_backward(z: Array, h: Array, grad_h: Array, out: Array, tmp: Array) -> list[Call]:
    # relu' = 0 at z <= 0, like the reference
    return [(np.greater, (z, 0.0, tmp)), (np.multiply, (grad_h, tmp, out))]


def _linear_forward(z: Array, out: Array | None = None, axis: int = -1) -> Array:
    if out is None:
        return z.copy()
    np.copyto(out, z)
    return out


def _linear_backward(z: Array, h: Array, grad_h: Array, out: Array, tmp: Array) -> list[Call]:
    return [] if out is grad_h else [(np.copyto, (out, grad_h))]


def _step_forward(z: Array, out: Array | None = None, axis: int = -1) -> Array:
    if out is None:
        return (z >= 0.0).astype(z.dtype)
    return np.greater_equal(z, 0.0, out=out)  # the perceptron fires at z >= 0


def _step_backward(z: Array, h: Array, grad_h: Array, out: Array, tmp: Array) -> list[Call]:
    return [(out.fill, (0.0,))]  # the step is flat everywhere: it passes no gradient back


LEAKY_SLOPE = 0.01


def _leaky_forward(z: Array, out: Array | None = None, axis: int = -1) -> Array:
    return np.maximum(z, LEAKY_SLOPE * z, out=out)


def _leaky_derivative(z: Array, h: Array) -> Array:
    return np.where(z > 0.0, 1.0, LEAKY_SLOPE)


_GELU_C = math.sqrt(2.0 / math.pi)
_GELU_A = 0.044715


def _gelu_forward(z: Array, out: Array | None = None, axis: int = -1) -> Array:
    """GELU, tanh form: ½ z (1 + tanh(√(2/π)(z + 0.044715 z³)))."""
    t = np.tanh(_GELU_C * (z + _GELU_A * z**3))
    return np.multiply(0.5 * z, 1.0 + t, out=out)


def _gelu_derivative(z: Array, h: Array) -> Array:
    t = np.tanh(_GELU_C * (z + _GELU_A * z**3))
    return 0.5 * (1.0 + t) + 0.5 * z * (1.0 - t * t) * _GELU_C * (1.0 + 3.0 * _GELU_A * z * z)


def _softmax_forward(z: Array, out: Array | None = None, axis: int = -1) -> Array:
    shifted = np.exp(z - z.max(axis=axis, keepdims=True))
    return np.divide(shifted, shifted.sum(axis=axis, keepdims=True), out=out)


def _softmax_jvp(h: Array, grad_h: Array, out: Array, tmp: Array) -> Array:
    # ∂L/∂z_k = h_k (g_k − Σ_j g_j h_j): the softmax Jacobian applied to g
    np.multiply(grad_h, h, tmp)
    dot = tmp.sum(axis=-1, keepdims=True)
    np.subtract(grad_h, dot, out)
    return np.multiply(out, h, out)


def _softmax_backward(z: Array, h: Array, grad_h: Array, out: Array, tmp: Array) -> list[Call]:
    return [(_softmax_jvp, (h, grad_h, out, tmp))]


def _make(name, label, forward, derivative, backward=None) -> Activation:
    if backward is None:
        backward = _generic_backward(derivative)
    return Activation(name, label, forward, derivative, backward)


TANH = _make("tanh", "Tanh", np.tanh, lambda z, h: 1.0 - h * h, _tanh_backward)
SIGMOID = _make(
    "sigmoid", "Sigmoid", _sigmoid_forward, lambda z, h: h * (1.0 - h), _sigmoid_backward
)
RELU = _make(
    "relu",
    "ReLU",
    lambda z, out=None, axis=-1: np.maximum(z, 0.0, out=out),
    lambda z, h: (z > 0.0).astype(np.float64),
    _relu_backward,
)
LINEAR = _make("linear", "Linear", _linear_forward, lambda z, h: np.ones_like(z), _linear_backward)
STEP = _make("step", "Step", _step_forward, lambda z, h: np.zeros_like(z), _step_backward)
LEAKY_RELU = _make("leaky_relu", "Leaky ReLU", _leaky_forward, _leaky_derivative)
GELU = _make("gelu", "GELU", _gelu_forward, _gelu_derivative)
SOFTMAX = _make("softmax", "Softmax", _softmax_forward, None, _softmax_backward)

HIDDEN_ACTIVATIONS: dict[str, Activation] = {
    a.name: a for a in (RELU, TANH, SIGMOID, LINEAR, STEP, LEAKY_RELU, GELU)
}
OUTPUT_ACTIVATIONS: dict[str, Activation] = {
    a.name: a for a in (TANH, SIGMOID, LINEAR, RELU, SOFTMAX)
}


def curve(name: str, n_points: int = 41, limit: float = 4.0) -> dict[str, list[float]]:
    """φ and φ' of a hidden activation sampled on [-limit, limit], for the page's plot."""
    activation = HIDDEN_ACTIVATIONS[name]
    z = np.linspace(-limit, limit, n_points)
    h = activation.forward(z)
    return {
        "z": [round(float(v), 4) for v in z],
        "value": [round(float(v), 4) for v in h],
        "derivative": [round(float(v), 4) for v in activation.derivative(z, h)],
    }
