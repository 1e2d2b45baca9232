"""The reference's rounding, vectorized: sums in index order and the C library's functions.

The reference adds `b + w1·x1 + w2·x2 + …` left to right and calls the C library's exp and
tanh (through the browser). Two things in NumPy would decide a result's last bits on their
own: a BLAS or pairwise reduction picks its own summation order (and fused multiply-adds),
and NumPy's float64 exp, expm1 and tanh have SIMD versions that differ from the C library
by an ulp on a few per cent of arguments, and only on CPUs that have those instructions.
Here every sum goes through `sum_calls` (index order, each addition rounded alone) and every
transcendental function through the C library. NumPy's float64 loops call the C library's
function element by element wherever their SIMD version does not apply, and it does not
where input and output run in opposite directions through memory (a reversed input, a
forward output: the iterator cannot turn both round into one forward loop). So each
function reads its arguments from a reversed scratch (`backwards`). Whether that holds is
checked once, at import, against Python's math module (the C library) on thousands of
arguments and several sizes (`_reversed_loop_is_the_c_librarys`): where it does not (another
NumPy), the function falls back to NumPy's complex128 loop of a real argument, which also
evaluates the C library's real function, at 1.5-4 times the cost. tests/engine/test_exact.py
checks both paths on millions of arguments. Like NumPy's own functions they warn on
overflow: training and evaluation run them under np.errstate(all="ignore") (a diverging
run's infinities are expected there).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import numpy as np

Array = np.ndarray
# Up to this many elements, calling the C library once per element is cheaper (80 values:
# 4.4 µs against 5.4 vectorized; 200 values: 10.3 against 7.0)
SMALL = 100
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
    scratch = np.empty_like(terms)  # in terms' layout (engine.passes.stacked)
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


def backwards(size: int) -> Array:
    """A new 1-D scratch of `size` float64 values whose view runs backwards through memory:
    a float64 ufunc reading it and writing a forward array runs the C library's function
    element by element (see the module's note)."""
    return np.empty(size)[::-1]


def _reversed_loop_is_the_c_librarys(function: np.ufunc, reference: Callable, span: float) -> bool:
    """Whether function(reversed input, out=forward output) gives the C library's numbers on
    this machine and NumPy: arguments spread over ±span, tiny ones, zeros of both signs,
    in 1-D runs of several lengths (NumPy's SIMD loops treat short runs apart)."""
    rng = np.random.default_rng(0)
    probe = np.concatenate([
        rng.uniform(-1, 1, 2000), rng.uniform(-span, span, 2000), rng.normal(0, 3, 2000),
        rng.uniform(-1e-8, 1e-8, 100), [0.0, -0.0, 1.0, -1.0, 0.5, -0.5, 2.0**-54],
    ])  # fmt: skip
    expected = np.array([reference(v) for v in probe.tolist()])
    for length in (1, 2, 3, 7, 8, 9, 16, 17, 33, len(probe)):
        for start in range(0, len(probe) - length + 1, max(length, len(probe) // 7)):
            source = backwards(length)
            source[...] = probe[start : start + length]
            out = np.empty(length)
            function(source, out=out)
            if out.tobytes() != expected[start : start + length].tobytes():
                return False
    return True


with np.errstate(all="ignore"):
    _C_LOOP = {
        np.exp: _reversed_loop_is_the_c_librarys(np.exp, math.exp, 700.0),
        np.expm1: _reversed_loop_is_the_c_librarys(np.expm1, math.expm1, 700.0),
        np.sin: _reversed_loop_is_the_c_librarys(np.sin, math.sin, 1e6),
    }


def _c_library(function: np.ufunc, z: Array, out: Array | None) -> Array:
    """The C library's function of each element of z (float64), into out or a new array."""
    z = np.asarray(z, dtype=np.float64)
    if _C_LOOP[function]:
        source = backwards(z.size)
        source[...] = z.ravel()
        value = function(source, out=np.empty(z.size)).reshape(z.shape)
    else:  # function(z + 0i).real: NumPy's complex loops call the C library's real function
        value = function(z.astype(np.complex128)).real.copy()
    if out is None:
        return value
    np.copyto(out, value)
    return out


def exp(z: Array, out: Array | None = None) -> Array:
    """The C library's exp (what the reference's Math.exp gives), elementwise."""
    return _c_library(np.exp, z, out)


def expm1(z: Array, out: Array | None = None) -> Array:
    """The C library's expm1, elementwise."""
    return _c_library(np.expm1, z, out)


def sin(z: Array, out: Array | None = None) -> Array:
    """The C library's sin (the reference's Math.sin), elementwise."""
    return _c_library(np.sin, z, out)


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
        self.floats, self.mask = np.empty((3, size)), np.empty(size, dtype=bool)
        if _C_LOOP[np.expm1]:
            self.source = backwards(size)  # expm1's arguments, read backwards
        else:
            self.complex = np.zeros((2, size), dtype=np.complex128)  # imaginary parts stay 0

    def views(self, shape: tuple[int, ...], like: Array | None = None) -> tuple[Array, ...]:
        """(a, d, big, u, t, order) of `shape`: two floats, a mask, then expm1's argument
        and result: 1-D, the argument read backwards (or `shape`, complex128: the
        fallback). a, d and big lie in memory in the order of `like`'s axes (`order`,
        outermost first; see `memory_order`), so the calls on them and on `like` loop over
        memory in one order (a group's runs innermost: engine.passes.stacked)."""
        n = math.prod(shape)
        assert n <= self.mask.size
        order = memory_order(like) if like is not None and like.shape == shape else None
        order = order or list(range(len(shape)))
        laid = tuple(shape[i] for i in order)
        inverse = np.argsort(order)
        a, d = (self.floats[i, :n].reshape(laid).transpose(inverse) for i in range(2))
        if _C_LOOP[np.expm1]:
            u, t = self.source[self.source.size - n :], self.floats[2, :n]
        else:
            u, t = (self.complex[i, :n].reshape(laid).transpose(inverse) for i in range(2))
        return a, d, self.mask[:n].reshape(laid).transpose(inverse), u, t, order


def memory_order(array: Array) -> list[int]:
    """`array`'s axes from the one of largest stride to the one of smallest (the innermost
    loop of numpy's iterator); axes of one element last."""
    return sorted(range(array.ndim), key=lambda i: -abs(array.strides[i]) * (array.shape[i] > 1))


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
    like = z if z.shape == shape else None
    a, d, big, u, t, order = (scratch or TanhScratch(math.prod(shape))).views(shape, like)
    flat = tuple(v.transpose(order).reshape(-1) for v in (a, d, big))  # 1-D, memory order
    if u.dtype == np.complex128:  # the fallback: expm1 of the real part, imaginary parts 0
        product = (a, d, u.real)
        value = t.real
    else:  # 1-D: the argument read backwards (the C library's loop), the result forward
        product = (*flat[:2], u)
        value = t.reshape(tuple(shape[i] for i in order)).transpose(np.argsort(order))
    assert all(np.shares_memory(v, s) for v, s in zip(product, (a, d, u), strict=True))
    assert all(np.shares_memory(v, s) for v, s in zip(flat, (a, d, big), strict=True))
    return [
        (np.abs, (z, a)),
        (np.greater_equal, (a, 1.0, big)),
        (np.multiply, (big, 4.0, d)),
        (np.subtract, (d, 2.0, d)),  # 2 where |z| >= 1, else -2
        (np.multiply, product),  # ±2|z| exactly
        (np.expm1, (u, t)),  # the C library's expm1
        (np.add, (value, 2.0, d)),
        (np.divide, (value, d, a)),  # -t / (t + 2) up to its sign (t <= 0 there)
        (np.divide, (2.0, d, d)),
        (np.subtract, (1.0, d, d)),  # 1 - 2 / (t + 2)
        (np.putmask, (flat[0], flat[2], flat[1])),  # d where |z| >= 1 (3 x copyto's speed)
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
