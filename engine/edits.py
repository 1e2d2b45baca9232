"""Checks for values a user edits directly: indices, single numbers, whole layers."""

from __future__ import annotations

import math
import sys
from typing import Any

import numpy as np

Array = np.ndarray


def checked_index(name: str, value: Any, size: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int | np.integer) or not 0 <= value < size:
        raise ValueError(f"{name}: {value!r} is not allowed; use an integer in 0..{size - 1}")
    return int(value)


def checked_value(value: Any, name: str = "value") -> float:
    if isinstance(value, bool) or not isinstance(value, int | float | np.floating | np.integer):
        raise ValueError(f"{name}: {value!r} is not allowed; use a finite number")
    too_large = isinstance(value, int | np.integer) and abs(int(value)) > sys.float_info.max
    if too_large or not math.isfinite(value):  # 10**400 is an int no float can hold
        shown = "an integer too large for a float" if too_large else repr(value)
        raise ValueError(f"{name}: {shown} is not allowed; use a finite number")
    return float(value)


def checked_layers(name: str, values: Any, shapes: list[tuple[int, ...]]) -> list[Array]:
    """A list of finite float64 arrays with exactly these shapes."""
    if not isinstance(values, list | tuple) or len(values) != len(shapes):
        raise ValueError(f"{name}: expected a list of {len(shapes)} arrays with shapes {shapes}")
    arrays = []
    for layer, (value, shape) in enumerate(zip(values, shapes, strict=True)):
        try:
            array = np.array(value, dtype=np.float64)
        except (TypeError, ValueError, OverflowError):
            raise ValueError(f"{name}[{layer}]: not an array of finite numbers") from None
        if array.shape != shape:
            raise ValueError(f"{name}[{layer}]: shape {array.shape} is not allowed; use {shape}")
        if not np.isfinite(array).all():
            raise ValueError(f"{name}[{layer}]: every value must be a finite number")
        arrays.append(array)
    return arrays
