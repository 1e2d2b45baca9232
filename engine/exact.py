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
    """The C library's tanh, elementwise: fdlibm's algorithm on the C library's expm1.

    |z| < 1: t = expm1(-2|z|), tanh = -t / (t + 2); 1 <= |z| < 22: t = expm1(2|z|),
    tanh = 1 - 2 / (t + 2); beyond: ±1. Tiny |z| comes out as z itself, as in fdlibm.
    """
    z = np.asarray(z, dtype=np.float64)
    if z.size <= SMALL:  # the C library's own tanh, element by element: fewer numpy calls
        value = np.fromiter(map(math.tanh, z.ravel().tolist()), np.float64, z.size)
        if out is None:
            return value.reshape(z.shape)
        np.copyto(out, value.reshape(z.shape))
        return out
    a = np.abs(z)
    big = a >= 1.0
    twice = a + a
    t = expm1(np.where(big, twice, -twice))
    d = t + 2.0
    value = np.where(big, 1.0 - 2.0 / d, -t / d)
    value[a >= 22.0] = 1.0
    return np.copysign(value, z, out=out)


def tanh_calls(z: Array, out: Array) -> list[Call]:
    """The calls that write tanh(z) into `out` each time a compiled program runs: for a few
    values in contiguous float64 buffers, the C library's tanh element by element read
    through a memoryview made once (one numpy call instead of six), else `tanh`."""
    fits = z.size <= SMALL and z.shape == out.shape and z.dtype == out.dtype == np.float64
    if not (fits and z.flags.c_contiguous and out.flags.c_contiguous):
        return [(tanh, (z, out))]
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
