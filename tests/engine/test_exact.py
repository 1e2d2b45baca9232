"""The engine's arithmetic is the reference's: the C library's functions, sums in order."""

from __future__ import annotations

import math

import numpy as np
import pytest

from engine import exact

RNG = np.random.default_rng(12)
EDGES = [0.0, -0.0, 1.0, -1.0, 22.0, -22.0, 2.0**-55, 2.0**-54, 5e-324, 0.5, 709.0, -745.0]
ARGUMENTS = np.concatenate([
    RNG.uniform(-1, 1, 100_000), RNG.uniform(-25, 25, 100_000), RNG.normal(0, 3, 100_000),
    RNG.uniform(-1e-8, 1e-8, 1_000), EDGES,
])  # fmt: skip


def _c_library(function, values):
    out = []
    for v in values.tolist():
        try:
            out.append(function(v))
        except OverflowError:
            out.append(math.inf)
    return np.array(out)


@pytest.fixture(params=["reversed float64 loop", "complex128 loop"])
def loop(request, monkeypatch):
    """Both ways to the C library's functions: NumPy's float64 loop over a reversed input
    (where the import-time check finds it is the C library's) and the complex fallback."""
    if request.param == "complex128 loop":
        monkeypatch.setattr(exact, "_C_LOOP", dict.fromkeys(exact._C_LOOP, False))
    return request.param


def test_the_import_check_refuses_a_loop_one_ulp_off_on_one_argument():
    def off_once(source, out):
        np.expm1(source, out=out)
        out[out == np.expm1(0.5)] = np.nextafter(np.expm1(0.5), 1.0)  # the probe holds 0.5
        return out

    check = exact._reversed_loop_is_the_c_librarys
    assert check(np.expm1, math.expm1, 700.0) == exact._C_LOOP[np.expm1]
    assert not check(off_once, math.expm1, 700.0)
    assert not check(np.expm1, math.exp, 700.0)


@pytest.mark.usefixtures("loop")
@pytest.mark.parametrize("name", ["tanh", "exp", "expm1", "sin"])
def test_each_function_is_the_c_librarys_on_every_argument(name):
    with np.errstate(all="ignore"):
        ours = getattr(exact, name)(ARGUMENTS)
    expected = _c_library(getattr(math, name), ARGUMENTS)
    assert np.array_equal(ours, expected), int((ours != expected).sum())
    assert np.array_equal(np.signbit(ours), np.signbit(expected))


@pytest.mark.usefixtures("loop")
@pytest.mark.parametrize("size", [1, 7, exact.SMALL, exact.SMALL + 1, 256, 257, 4000])
def test_tanh_is_the_same_element_by_element_and_vectorized(size):
    values = ARGUMENTS[:size].reshape(-1, 1)
    out = np.empty_like(values)
    exact.tanh(values, out)
    assert np.array_equal(out[:, 0], _c_library(math.tanh, values[:, 0]))


@pytest.mark.usefixtures("loop")
@pytest.mark.parametrize("size", [1, 10, exact.SMALL, exact.SMALL + 1, 257])
@pytest.mark.parametrize("contiguous", [True, False])
def test_compiled_tanh_is_the_c_librarys_on_each_run(size, contiguous):
    buffer = np.ones((size + 1, 2))  # a layer's outputs above a row of ones, as training's
    out = buffer[:-1] if contiguous else buffer[:-1, :1]
    values = np.empty(out.shape)
    calls = exact.tanh_calls(values, out)
    for chunk in (ARGUMENTS[: values.size], ARGUMENTS[-values.size :]):  # the same calls, twice
        values[...] = chunk.reshape(values.shape)
        with np.errstate(all="ignore"):
            for function, arguments in calls:
                function(*arguments)
        assert np.array_equal(out.ravel(), _c_library(math.tanh, values.ravel()))
        assert (buffer[-1] == 1.0).all()


def _left_to_right(terms: np.ndarray, axis: int) -> np.ndarray:
    terms = np.moveaxis(terms, axis, 0)
    total = terms[0].copy()
    for row in terms[1:]:
        total = total + row
    return total


@pytest.mark.parametrize(
    ("shape", "axis"),
    [((9, 1), 0), ((20, 1, 1), 0), ((3, 9, 1), 1), ((2, 11, 1, 1), 1), ((4, 9, 8, 10), 1),
     ((40, 11, 35), 1), ((1, 130, 1), 1), ((9, 3), -2), ((2, 9, 1), -2), ((300,), 0)],
)  # fmt: skip
def test_sums_run_in_index_order_whatever_the_shape(shape, axis):
    # terms of wildly different sizes: any other order (pairwise, SIMD lanes) rounds
    # differently
    terms = RNG.standard_normal(shape) * np.exp(RNG.uniform(-40, 40, shape))
    assert np.array_equal(exact.ordered_sum(terms, axis), _left_to_right(terms, axis))


def test_a_total_is_the_plain_sum_in_order():
    values = np.array([1e16, 1.0, -1e16, 1.0] * 50)
    expected = 0.0
    for v in values.tolist():
        expected += v
    assert exact.ordered_total(values) == expected != math.fsum(values)


@pytest.mark.parametrize("size", [3, 300])  # element by element, and vectorized
def test_tanh_of_infinities_and_nan_is_the_c_librarys(size):
    values = np.resize([math.inf, -math.inf, math.nan, 1e308, -710.0, 355.0], size)
    with np.errstate(all="ignore"):
        ours = exact.tanh(values)
    expected = np.array([math.tanh(v) for v in values.tolist()])
    assert np.array_equal(ours, expected, equal_nan=True)
