"""Loads the npm seedrandom/d3 reference vectors and compares dataset points with them."""

from __future__ import annotations

import functools
import json
from pathlib import Path
from typing import Any

import numpy as np

VECTORS_PATH = Path(__file__).parent / "vectors" / "reference_vectors.json"

# Datasets whose coordinates go through Math.sin, Math.cos or Math.log: JavaScript's and
# Python's can differ in the last bit, so those coordinates may differ by about 1e-16.
TRANSCENDENTAL_DATASETS = {"circle", "gauss", "spiral"}
COORDINATE_TOLERANCE = 1e-15


@functools.cache
def load() -> dict[str, Any]:
    """The parsed reference_vectors.json (see generate_vectors.js beside it)."""
    return json.loads(VECTORS_PATH.read_text())


def case_id(case: dict[str, Any]) -> str:
    return f"{case['seed']}-{case['dataset']}-noise{case['noise']}"


def assert_points_match(dataset: str, actual: np.ndarray, expected: np.ndarray) -> None:
    """Exactly equal, or within 1e-15 for datasets that use sin, cos or log."""
    assert actual.shape == expected.shape
    assert actual.dtype == np.float64
    if dataset in TRANSCENDENTAL_DATASETS:
        np.testing.assert_allclose(actual, expected, rtol=0, atol=COORDINATE_TOLERANCE)
    else:
        np.testing.assert_array_equal(actual, expected)
