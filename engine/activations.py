"""Activation functions φ, their derivatives φ' and batch backward passes, keyed by UI name."""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from engine import exact
from engine.exact import Call

Array = np.ndarray


@dataclass(frozen=True)
class Activation:
    """One activation h = φ(z).

    forward(z, out, axis) writes φ(z) into `out` with the reference's rounding (the C
    library's exp and tanh; `axis` is the class axis, used by softmax only). display(z, out,
    axis) is the same function in plain NumPy for any dtype: pictures only, never training.
    derivative(z, h) returns φ'(z) elementwise as the reference groups it (None for
    softmax). `low` is the output that stands for the orange class (-1 for tanh, 0 for a
    probability or a step): two-class targets are low or 1 and the class threshold is
    halfway, (low + 1) / 2. backward_calls(z, h, grad_h, out, tmp) lists the numpy calls that write
    ∂L/∂z = ∂L/∂h · φ'(z) into `out` (`out` may be `grad_h`; `tmp` is scratch of z's shape):
    training compiles them once per batch size, since numpy's per-call overhead dominates
    on batches of ten points. derivative_calls(z, h, out) lists the calls that write φ'(z)
    into `out` (a hidden layer's backward is ∂L/∂h · φ'(z): training takes φ' of every
    hidden layer in one go).
    """

    name: str
    label: str
    forward: Callable[..., Array]
    display: Callable[..., Array]
    derivative: Callable[[Array, Array], Array] | None
    backward_calls: Callable[..., list[Call]]
    low: float = -1.0
    compiled_forward: Callable[..., list[Call]] | None = None  # forward's calls
    derivative_calls: Callable[[Array, Array, Array], list[Call]] | None = None  # φ' into out

    @property
    def threshold(self) -> float:
        """The output at which a two-class prediction flips to the blue class (+1)."""
        return (self.low + 1.0) / 2.0

    @property
    def elementwise(self) -> bool:
        return self.derivative is not None

    def forward_calls(self, z: Array, out: Array, scratch=None) -> list[Call]:
        """The calls that write forward(z) into `out` in a compiled program (`scratch`: an
        exact.TanhScratch its calls may share with the program's other calls)."""
        if self.compiled_forward is not None:
            return self.compiled_forward(z, out, scratch)
        return [(self.forward, (z, out))]

    def backward(self, z: Array, h: Array, grad_h: Array, out: Array, tmp: Array) -> Array:
        """∂L/∂z written into `out`, given ∂L/∂h."""
        for function, arguments in self.backward_calls(z, h, grad_h, out, tmp):
            function(*arguments)
        return out


def _elementwise(function: Callable[..., Array]) -> Callable[..., Array]:
    """forward(z, out=None, axis=…) of an elementwise function(z, out)."""

    def forward(z: Array, out: Array | None = None, axis: int = 0) -> Array:
        return function(z, out)

    return forward


def _chain_calls(derivative_calls: Callable[[Array, Array, Array], list[Call]]):
    """backward_calls from calls that write φ'(z) into tmp: out = ∂L/∂h · φ'(z)."""

    def calls(z: Array, h: Array, grad_h: Array, out: Array, tmp: Array) -> list[Call]:
        return [*derivative_calls(z, h, tmp), (np.multiply, (grad_h, tmp, out))]

    return calls


def _derivative_of(derivative_calls) -> Callable[[Array, Array], Array]:
    def derivative(z: Array, h: Array) -> Array:
        out = np.empty(np.shape(z))
        for function, arguments in derivative_calls(np.asarray(z), np.asarray(h), out):
            function(*arguments)
        return out

    return derivative


# ----- the reference's four -------------------------------------------------------------


def _tanh_derivative_calls(z: Array, h: Array, out: Array) -> list[Call]:
    return [(np.multiply, (h, h, out)), (np.subtract, (1.0, out, out))]  # 1 − h·h


def _sigmoid(z: Array, out: Array | None = None) -> Array:
    """1 / (1 + exp(−z)), the reference's grouping, with the C library's exp."""
    e = exact.exp(np.negative(z))
    np.add(1.0, e, e)
    return np.divide(1.0, e, out=out) if out is not None else np.divide(1.0, e)


def _sigmoid_display(z: Array, out: Array | None = None, axis: int = 0) -> Array:
    out = np.negative(z, out)
    np.exp(out, out)
    np.add(out, 1.0, out)
    return np.reciprocal(out, out)


def _sigmoid_derivative_calls(z: Array, h: Array, out: Array) -> list[Call]:
    return [(np.subtract, (1.0, h, out)), (np.multiply, (h, out, out))]  # h·(1 − h)


def _relu(z: Array, out: Array | None = None, axis: int = 0) -> Array:
    return np.maximum(z, 0.0, out=out)  # Math.max(0, z): NaN stays NaN


def _relu_derivative_calls(z: Array, h: Array, out: Array) -> list[Call]:
    # z <= 0 ? 0 : 1, as the reference writes it (so NaN gives 1, like the reference)
    return [(np.less_equal, (z, 0.0, out)), (np.subtract, (1.0, out, out))]


def _linear(z: Array, out: Array | None = None, axis: int = 0) -> Array:
    if out is None:
        return np.array(z, dtype=np.result_type(z, np.float32))
    np.copyto(out, z)
    return out


def _linear_backward(z: Array, h: Array, grad_h: Array, out: Array, tmp: Array) -> list[Call]:
    return [] if out is grad_h else [(np.copyto, (out, grad_h))]


def _ones_calls(z: Array, h: Array, out: Array) -> list[Call]:
    return [(out.fill, (1.0,))]


# ----- beyond the reference (same rule: elementwise, fixed order, C library functions) ----


def _step(z: Array, out: Array | None = None, axis: int = 0) -> Array:
    if out is None:
        return (np.asarray(z) >= 0.0).astype(np.result_type(z, np.float32))
    return np.greater_equal(z, 0.0, out=out)  # the perceptron fires at z >= 0


def _zeros_calls(z: Array, h: Array, out: Array) -> list[Call]:
    return [(out.fill, (0.0,))]  # the step is flat everywhere: it passes no gradient back


LEAKY_SLOPE = 0.01


def _leaky(z: Array, out: Array | None = None, axis: int = 0) -> Array:
    return np.maximum(z, np.multiply(LEAKY_SLOPE, z), out=out)


def _leaky_derivative_calls(z: Array, h: Array, out: Array) -> list[Call]:
    def write(z: Array, out: Array) -> None:
        np.copyto(out, np.where(z > 0.0, 1.0, LEAKY_SLOPE))

    return [(write, (z, out))]


_GELU_C = math.sqrt(2.0 / math.pi)
_GELU_A = 0.044715


def _gelu_inner(z: Array, tanh: Callable[[Array], Array]) -> Array:
    """tanh(√(2/π)(z + 0.044715 z³)), z³ as z·z·z (no pow, whose SIMD version varies)."""
    return tanh(_GELU_C * (z + _GELU_A * (z * z * z)))


def _gelu_with(tanh: Callable[[Array], Array]) -> Callable[..., Array]:
    def forward(z: Array, out: Array | None = None, axis: int = 0) -> Array:
        """GELU, tanh form: ½ z (1 + tanh(√(2/π)(z + 0.044715 z³)))."""
        return np.multiply(0.5 * z, 1.0 + _gelu_inner(z, tanh), out=out)

    return forward


def _gelu_derivative_calls(z: Array, h: Array, out: Array) -> list[Call]:
    def write(z: Array, out: Array) -> None:
        t = _gelu_inner(z, exact.tanh)
        slope = _GELU_C * (1.0 + 3.0 * _GELU_A * (z * z))
        np.copyto(out, 0.5 * (1.0 + t) + 0.5 * z * (1.0 - t * t) * slope)

    return [(write, (z, out))]


def _softmax_with(exp: Callable[[Array], Array], total: Callable[[Array, int], Array]):
    def forward(z: Array, out: Array | None = None, axis: int = -2) -> Array:
        """exp(z − max z) / Σ exp(z − max z) along the class axis."""
        shifted = exp(z - np.max(z, axis=axis, keepdims=True))
        return np.divide(shifted, total(shifted, axis), out=out)

    return forward


def _ordered_total(values: Array, axis: int) -> Array:
    return np.expand_dims(exact.ordered_sum(np.moveaxis(values, axis, 0)), axis)


def _softmax_jvp(h: Array, grad_h: Array, out: Array, tmp: Array, axis: int = -2) -> Array:
    # ∂L/∂z_k = h_k (g_k − Σ_j g_j h_j): the softmax Jacobian applied to g
    np.multiply(grad_h, h, tmp)
    np.subtract(grad_h, _ordered_total(tmp, axis), out)
    return np.multiply(out, h, out)


def _softmax_backward(z: Array, h: Array, grad_h: Array, out: Array, tmp: Array) -> list[Call]:
    return [(_softmax_jvp, (h, grad_h, out, tmp))]


def _make(name, label, forward, display, derivative_calls, backward=None, low=-1.0,
          compiled=None) -> Activation:  # fmt: skip
    derivative = None if derivative_calls is None else _derivative_of(derivative_calls)
    if backward is None:
        backward = _chain_calls(derivative_calls)
    return Activation(name, label, forward, display, derivative, backward, low, compiled,
                      derivative_calls)  # fmt: skip


TANH = _make(
    "tanh", "Tanh", _elementwise(exact.tanh), _elementwise(np.tanh), _tanh_derivative_calls,
    compiled=exact.tanh_calls,
)  # fmt: skip
SIGMOID = _make(
    "sigmoid",
    "Sigmoid",
    _elementwise(_sigmoid),
    _sigmoid_display,
    _sigmoid_derivative_calls,
    low=0.0,
)
RELU = _make("relu", "ReLU", _relu, _relu, _relu_derivative_calls)
LINEAR = _make("linear", "Linear", _linear, _linear, _ones_calls, _linear_backward)
STEP = _make("step", "Step", _step, _step, _zeros_calls, low=0.0)
LEAKY_RELU = _make("leaky_relu", "Leaky ReLU", _leaky, _leaky, _leaky_derivative_calls)
GELU = _make("gelu", "GELU", _gelu_with(exact.tanh), _gelu_with(np.tanh), _gelu_derivative_calls)
SOFTMAX = Activation(
    "softmax",
    "Softmax",
    _softmax_with(exact.exp, _ordered_total),
    _softmax_with(np.exp, lambda values, axis: values.sum(axis=axis, keepdims=True)),
    None,
    _softmax_backward,
)

HIDDEN_ACTIVATIONS: dict[str, Activation] = {
    a.name: a for a in (RELU, TANH, SIGMOID, LINEAR, STEP, LEAKY_RELU, GELU)
}
# The step output is the lecture's perceptron (0 hidden layers, trained by its own rule).
OUTPUT_ACTIVATIONS: dict[str, Activation] = {
    a.name: a for a in (TANH, SIGMOID, LINEAR, RELU, SOFTMAX, STEP)
}


def curve(name: str, n_points: int = 41, limit: float = 4.0) -> dict[str, list[float]] | None:
    """φ and φ' of an activation sampled on [-limit, limit], for the page's plot (None for
    softmax, which is not elementwise)."""
    activation = HIDDEN_ACTIVATIONS.get(name) or OUTPUT_ACTIVATIONS[name]
    if not activation.elementwise:
        return None
    z = np.linspace(-limit, limit, n_points)
    h = activation.forward(z)
    return {
        "z": [round(float(v), 4) for v in z],
        "value": [round(float(v), 4) for v in h],
        "derivative": [round(float(v), 4) for v in activation.derivative(z, h)],
    }
