"""SeedRandom and to_fixed against seedrandom 2.4.4 and Node's Number.prototype.toFixed."""

from __future__ import annotations

import json
import math
import random
import re

import pytest

from engine.rng import SeedRandom, random_seed, to_fixed
from tests.engine.reference_vectors import load

STREAMS = load()["random"]
TO_FIXED_CASES = load()["to_fixed"]


def test_published_hello_vector():
    # seedrandom's README: Math.seedrandom('hello.') gives 0.9282578795792454 first.
    stream = SeedRandom("hello.")
    assert stream.random() == 0.9282578795792454
    assert stream.random() == 0.3752569768646784


@pytest.mark.parametrize("stream", STREAMS, ids=lambda s: repr(s["seed"][:16]))
def test_random_equals_npm_seedrandom(stream):
    rng = SeedRandom(stream["seed"])
    values = [rng.random() for _ in stream["values"]]
    first_mismatch = next(
        (k for k, (a, b) in enumerate(zip(values, stream["values"], strict=True)) if a != b), None
    )
    assert first_mismatch is None, f"draw {first_mismatch} differs"


@pytest.mark.parametrize("stream", STREAMS, ids=lambda s: repr(s["seed"][:16]))
def test_regenerate_style_seeds_equal_npm(stream):
    values = stream["values"][: len(stream["to_fixed_5"])]
    assert [to_fixed(v, 5) for v in values] == stream["to_fixed_5"]


def test_uniform_is_random_times_span_plus_low():
    plain, scaled = SeedRandom("0.59704"), SeedRandom("0.59704")
    for low, high in [(-5, 5), (0, 2 * math.pi), (3.5, 5), (-6, 6)] * 50:
        assert scaled.uniform(low, high) == plain.random() * (high - low) + low


def test_normal_has_requested_mean_and_variance():
    rng = SeedRandom("normal")
    draws = [rng.normal(2.0, 4.0) for _ in range(4000)]
    mean = sum(draws) / len(draws)
    variance = sum((d - mean) ** 2 for d in draws) / len(draws)
    assert abs(mean - 2.0) < 0.1
    assert abs(variance - 4.0) < 0.3


def test_to_fixed_equals_node():
    mismatches = [
        (c["value"], c["digits"], c["text"], to_fixed(c["value"], c["digits"]))
        for c in TO_FIXED_CASES
        if to_fixed(c["value"], c["digits"]) != c["text"]
    ]
    assert not mismatches
    assert len(TO_FIXED_CASES) > 1000


@pytest.mark.parametrize(
    ("value", "digits", "text"),
    [
        (0.015625, 5, "0.01563"),  # exact binary tie: JavaScript goes up, Python's format to even
        (0.5, 0, "1"),
        (2.5, 0, "3"),
        (-1.5, 0, "-2"),
        (0.125, 2, "0.13"),
        (1.005, 2, "1.00"),  # 1.005 is really 1.00499999999999989...
        (0.59704, 5, "0.59704"),
        (0.0, 5, "0.00000"),
        (-0.0, 2, "0.00"),
        (-1e-7, 2, "-0.00"),
        (123.456, 0, "123"),
        (1e21, 2, "1e+21"),
        (float("nan"), 2, "NaN"),
        (float("inf"), 2, "Infinity"),
        (float("-inf"), 0, "-Infinity"),
    ],
)
def test_to_fixed_known_values(value, digits, text):
    assert to_fixed(value, digits) == text


def test_to_fixed_differs_from_python_format_on_ties():
    assert format(0.015625, ".5f") == "0.01562"
    assert to_fixed(0.015625, 5) == "0.01563"


@pytest.mark.parametrize("digits", [-1, 101, 2.5, True])
def test_to_fixed_rejects_bad_digits(digits):
    with pytest.raises(ValueError, match="digits"):
        to_fixed(0.5, digits)


def test_state_round_trip_continues_identically():
    original = SeedRandom("0.59704")
    for _ in range(137):
        original.random()
    saved = json.loads(json.dumps(original.get_state()))
    restored = SeedRandom.from_state(saved)
    assert restored.seed == "0.59704"
    assert [restored.random() for _ in range(500)] == [original.random() for _ in range(500)]


def test_get_state_is_a_snapshot():
    rng = SeedRandom("abc")
    state = rng.get_state()
    rng.random()
    assert state != rng.get_state()
    assert SeedRandom.from_state(state).random() == SeedRandom("abc").random()


def _corrupt(field, value):
    state = SeedRandom("abc").get_state()
    if value is _MISSING:
        del state[field]
    else:
        state[field] = value
    return state


_MISSING = object()
_SWAPPED = list(range(256))
_SWAPPED[3] = 4


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("i", _MISSING),
        ("i", 256),
        ("i", -1),
        ("i", 1.0),
        ("i", True),
        ("j", "7"),
        ("S", _MISSING),
        ("S", list(range(255))),
        ("S", _SWAPPED),
        ("S", [float(v) for v in range(256)]),
        ("S", "0123"),
        ("seed", 12),
        ("seed", _MISSING),
    ],
)
def test_from_state_rejects_bad_field(field, value):
    with pytest.raises(ValueError, match=f"'{field}'"):
        SeedRandom.from_state(_corrupt(field, value))


def test_from_state_rejects_non_object():
    with pytest.raises(ValueError, match="object"):
        SeedRandom.from_state([1, 2, 3])


def test_seed_must_be_a_string():
    with pytest.raises(TypeError, match="seed"):
        SeedRandom(0.59704)


def test_random_seed_looks_like_the_reference_and_leaves_global_random_alone():
    random.seed(7)
    before = random.getstate()
    seeds = {random_seed() for _ in range(20)}
    assert random.getstate() == before
    assert all(re.fullmatch(r"[01]\.\d{5}", seed) for seed in seeds)
    assert len(seeds) > 1
    assert 0 <= SeedRandom(seeds.pop()).random() < 1
