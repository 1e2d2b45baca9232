"""The reference's rounding, vectorized: sums in index order and the C library's functions.

The reference adds `b + w1·x1 + w2·x2 + …` left to right and calls the C library's exp and
tanh (through the browser). Two things in NumPy would decide a result's last bits on their
own: a BLAS or pairwise reduction picks its own summation order (and fused multiply-adds),
and NumPy's float64 exp, expm1 and tanh have SIMD versions that differ from the C library
by an ulp on a few per cent of arguments, and only on CPUs that have those instructions.
Here every sum goes through `sum_calls` (index order, each addition rounded alone) and every
transcendental function through the C library: NumPy's complex128 exp, expm1 and sin of a
real argument evaluate the C library's real function (checked by tests/engine/test_exact.py
on millions of arguments against Python's math module, which is the C library). Like
NumPy's own functions they warn on overflow: training and evaluation run them under
np.errstate(all="ignore") (a diverging run's infinities are expected there).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import numpy as np

Array = np.ndarray
SMALL = 256  # up to this many elements, calling the C library once per element is cheaper
Call = tuple[Callable[..., Any], tuple[Any, ...]]


def sum_calls(terms: Array, out: Array, axis: int = 0) -> list[Call]:
    """The numpy calls that write Σ_i terms[..., i, ...] (along `axis`) into `out`, added in
    the order i = 0, 1, … (each addition rounded on its own).

    numpy reduces an axis in order when a later axis is left to loop over elementwise (row
    after row), but pairwise when the summed axis is the innermost one left (one neuron and
    one point): then an accumulate, which is sequential by definition.
    """
    length = terms.shape[axis]
    if 1 <= length <= 2:  # one term, or one addition: the same numbers in a cheaper call
        parts = [terms[(slice(None),) * (axis % terms.ndim) + (i,)] for i in range(length)]
        return [(np.copyto, (out, parts[0]))] if length == 1 else [(np.add, (*parts, out))]
    inner = int(np.prod(terms.shape[axis + 1 :], dtype=np.int64)) if axis != -1 else 1
    if inner >= 2:
        return [(np.add.reduce, (terms, axis, None, out))]
    scratch = np.empty(terms.shape)
    axis %= terms.ndim  # the last partial sum, as a view (a 0-d one for a 1-D sum)
    last = np.squeeze(scratch[(slice(None),) * axis + (slice(-1, None),)], axis)
    return [(np.add.accumulate, (terms, axis, None, scratch)), (np.copyto, (out, last))]


def ordered_sum(terms: Array, axis: int = 0) -> Array:
    """Σ along `axis` in index order, as a new array."""
    terms = np.asarray(terms, dtype=np.float64)
    axis = axis % terms.ndim
    if terms.shape[axis] == 0:
        return np.zeros(terms.shape[:axis] + terms.shape[axis + 1 :])
    out = np.empty(terms.shape[:axis] + terms.shape[axis + 1 :])
    for function, arguments in sum_calls(terms, out, axis):
        function(*arguments)
    return out


def ordered_total(values: Array) -> float:
    """The plain left-to-right sum of a 1-D array (0.0 when empty)."""
    values = np.asarray(values, dtype=np.float64)
    return float(np.add.accumulate(values)[-1]) if values.size else 0.0


def _real_of_complex(function: np.ufunc, z: Array, out: Array | None) -> Array:
    """function(z + 0i).real: NumPy's complex loops call the C library's real function."""
    value = function(np.asarray(z, dtype=np.float64).astype(np.complex128)).real
    if out is None:
        return value.copy()
    np.copyto(out, value)
    return out


def exp(z: Array, out: Array | None = None) -> Array:
    """The C library's exp (what the reference's Math.exp gives), elementwise."""
    return _real_of_complex(np.exp, z, out)


def expm1(z: Array, out: Array | None = None) -> Array:
    """The C library's expm1, elementwise."""
    return _real_of_complex(np.expm1, z, out)


def sin(z: Array, out: Array | None = None) -> Array:
    """The C library's sin (the reference's Math.sin), elementwise."""
    return _real_of_complex(np.sin, z, out)


def tanh(z: Array, out: Array | None = None) -> Array:
    """The C library's tanh, elementwise (see `tanh_calls`)."""
    z = np.asarray(z, dtype=np.float64)
    out = np.empty(z.shape) if out is None else out
    for function, arguments in tanh_calls(z, out):
        function(*arguments)
    return out


class TanhScratch:
    """Scratch for the vectorized tanh calls of one compiled program, up to `size` values a
    call: the calls run one after another, so every layer's tanh shares it."""

    def __init__(self, size: int) -> None:
        self.floats, self.mask = np.empty((2, size)), np.empty(size, dtype=bool)
        self.complex = np.zeros((2, size), dtype=np.complex128)  # imaginary parts stay 0

    def views(self, shape: tuple[int, ...]) -> tuple[Array, ...]:
        """(a, d, big, u, t) of `shape`: two floats, a mask, two complex arrays."""
        n = math.prod(shape)
        assert n <= self.mask.size
        a, d = (self.floats[i, :n].reshape(shape) for i in range(2))
        u, t = (self.complex[i, :n].reshape(shape) for i in range(2))
        return a, d, self.mask[:n].reshape(shape), u, t


def tanh_calls(z: Array, out: Array, scratch: TanhScratch | None = None) -> list[Call]:
    """The calls that write tanh(z) into `out` each time a compiled program runs.

    For a few values in contiguous float64 buffers: the C library's tanh element by element
    read through a memoryview made once (one numpy call). Else fdlibm's algorithm (the C
    library's, and the reference's) on the C library's expm1, over scratch made once:
    |z| < 1: t = expm1(-2|z|), tanh = -t / (t + 2); |z| >= 1: t = expm1(2|z|), tanh =
    1 - 2 / (t + 2). fdlibm's own branches need no call of their own: beyond 22 the second
    formula rounds to 1 as fdlibm's 1 - tiny does, and for a tiny |z| the first gives |z|
    (expm1 of a tiny value is the value, and 2 - tiny rounds to 2), as fdlibm's z(1 + z).
    The selections are arithmetic, not np.where: a data-dependent branch per element cost
    more than the rest of the function. `scratch`: shared by a program's calls (else its own).
    """
    fits = z.size <= SMALL and z.shape == out.shape and z.dtype == out.dtype == np.float64
    if fits and z.flags.c_contiguous and out.flags.c_contiguous:
        return _tanh_by_element(z, out)
    shape = np.broadcast_shapes(z.shape, out.shape)
    a, d, big, u, t = (scratch or TanhScratch(math.prod(shape))).views(shape)
    return [
        (np.abs, (z, a)),
        (np.greater_equal, (a, 1.0, big)),
        (np.multiply, (big, 4.0, d)),
        (np.subtract, (d, 2.0, d)),  # 2 where |z| >= 1, else -2
        (np.multiply, (a, d, u.real)),  # ±2|z| exactly; the imaginary part stays 0
        (np.expm1, (u, t)),  # the C library's expm1 of the real part
        (np.add, (t.real, 2.0, d)),
        (np.divide, (t.real, d, a)),  # -t / (t + 2) up to its sign (t <= 0 there)
        (np.divide, (2.0, d, d)),
        (np.subtract, (1.0, d, d)),  # 1 - 2 / (t + 2)
        (np.copyto, (a, d, "same_kind", big)),
        (np.copysign, (a, z, out)),  # fdlibm's sign: tanh(-z) = -tanh(z), tanh(±0) = ±0
    ]


def _tanh_by_element(z: Array, out: Array) -> list[Call]:
    source, target, size = memoryview(z).cast("B").cast("d"), out.reshape(-1), z.size
    assert np.shares_memory(target, out)

    def apply() -> None:
        target[:] = np.fromiter(map(math.tanh, source), np.float64, size)

    return [(apply, ())]


def _mapped(function: Callable[[float], float]) -> Callable[[Array], Array]:
    """An elementwise C library function through Python's math module (one call per
    element: for the few functions whose complex NumPy loops do not reduce to it)."""

    def apply(z: Array) -> Array:
        z = np.asarray(z, dtype=np.float64)
        flat = np.fromiter(map(function, z.ravel().tolist()), np.float64, z.size)
        return flat.reshape(z.shape)

    return apply


log1p = _mapped(math.log1p)  # arguments are >= 0 where it is used (the losses)
log = _mapped(math.log)  # arguments are >= 1 where it is used (log-sum-exp)
