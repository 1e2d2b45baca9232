"""Frame encodings: the byte a page receives for each value, as docs/protocol.md says."""

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from server.frames import class_bytes, value_bytes


@given(st.lists(st.floats(-3, 3, width=32), min_size=1, max_size=50))
def test_value_encoding_matches_the_documented_formula(values):
    values = np.array(values, dtype=np.float32)
    exact = (np.clip(values.astype(np.float64), -1, 1) + 1) * 127.5
    # round(exact), up to float32 rounding right at a half-way point
    assert np.all(np.abs(value_bytes(values) - exact) <= 0.5 + 1e-4)


def test_value_encoding_ends_and_non_finite_values():
    encoded = value_bytes(np.array([-1.0, 0.0, 1.0, np.nan, np.inf, -np.inf, 7.0]))
    assert encoded.tolist() == [0, 128, 255, 128, 255, 0, 255]


def test_class_encoding_gives_class_and_probability():
    probabilities = np.array([[[0.2]], [[0.7]], [[0.1]]])
    (byte,) = class_bytes(probabilities).ravel()
    assert byte // 50 == 1 and abs((byte % 50) / 49 - 0.7) < 1 / 98
