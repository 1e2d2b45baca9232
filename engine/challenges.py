"""A class's challenge as data: a goal on the test loss or accuracy within a size, and the
facts of a run it is checked against (architecture, parameter count, data fingerprint)."""

from __future__ import annotations

import hashlib
import math
from dataclasses import dataclass
from typing import Any

import numpy as np

METRICS = ("test_loss", "test_accuracy")  # "test loss below X", "accuracy above Y"
MAX_PARAMETERS = 100_000
MAX_LAYERS = 10


def parameter_count(layer_sizes: list[int]) -> int:
    """Weights and biases of a network of `layer_sizes` ([inputs, *hidden, outputs])."""
    return sum(
        (fan_in + 1) * fan_out
        for fan_in, fan_out in zip(layer_sizes, layer_sizes[1:], strict=False)
    )


def architecture(layer_sizes: list[int], activation: str) -> str:
    """What a teacher reads in the gallery: "7-8-8-1 relu" (a network without hidden
    layers has no hidden activation to name)."""
    shape = "-".join(str(size) for size in layer_sizes)
    return f"{shape} {activation}" if len(layer_sizes) > 2 else shape


def data_digest(train: tuple[np.ndarray, np.ndarray], test: tuple[np.ndarray, np.ndarray]) -> str:
    """A fingerprint of the points and labels of both splits, in order: two runs share it
    only when they train and test on the same data."""
    digest = hashlib.blake2b(digest_size=8)
    for points, labels in (train, test):
        digest.update(np.ascontiguousarray(points, dtype="<f8").tobytes())
        digest.update(np.ascontiguousarray(labels, dtype="<f8").tobytes())
        digest.update(b"|")
    return digest.hexdigest()


@dataclass(frozen=True)
class Goal:
    """Met when `metric` passes `target` (loss below, accuracy above) with at most
    `max_parameters` parameters and `max_layers` hidden layers, on the data whose digest
    is `data` (None: any data)."""

    metric: str
    target: float
    max_parameters: int | None = None
    max_layers: int | None = None
    data: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "metric": self.metric,
            "target": self.target,
            "max_parameters": self.max_parameters,
            "max_layers": self.max_layers,
            "data": self.data,
        }

    def met(self, facts: dict[str, Any]) -> bool:
        """`facts`: test_loss, test_accuracy (None without classes), parameters, layers
        (hidden), data (digest), diverged."""
        if facts.get("diverged"):
            return False
        if self.max_parameters is not None and facts["parameters"] > self.max_parameters:
            return False
        if self.max_layers is not None and facts["layers"] > self.max_layers:
            return False
        if self.data is not None and facts["data"] != self.data:
            return False
        value = facts.get(self.metric)
        if value is None or not math.isfinite(value):
            return False
        return value < self.target if self.metric == "test_loss" else value > self.target


def parse_goal(raw: Any) -> Goal:
    """A Goal from its JSON form; ValueError names the key that is wrong."""
    if not isinstance(raw, dict):
        raise ValueError("goal: expected an object with metric and target")
    unknown = sorted(set(raw) - {"metric", "target", "max_parameters", "max_layers", "data"})
    if unknown:
        raise ValueError(f"goal.{unknown[0]}: is not a goal's key")
    metric = raw.get("metric")
    if metric not in METRICS:
        raise ValueError(f"goal.metric: {str(metric)[:40]!r} is not one of {', '.join(METRICS)}")
    target = raw.get("target")
    if isinstance(target, bool) or not isinstance(target, int | float) or not math.isfinite(target):
        raise ValueError("goal.target: expected a finite number")
    if metric == "test_accuracy" and not 0.0 <= target <= 1.0:
        raise ValueError("goal.target: an accuracy is from 0 to 1")
    if metric == "test_loss" and target <= 0.0:
        raise ValueError("goal.target: a loss to beat is above 0")
    data = raw.get("data")
    if data is not None and (not isinstance(data, str) or len(data) != 16):
        raise ValueError("goal.data: expected a data digest (16 hex digits) or null")
    return Goal(
        metric,
        float(target),
        _limit(raw, "max_parameters", MAX_PARAMETERS),
        _limit(raw, "max_layers", MAX_LAYERS),
        data,
    )


def _limit(raw: dict, key: str, high: int) -> int | None:
    value = raw.get(key)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= high:
        raise ValueError(f"goal.{key}: expected a whole number from 0 to {high}, or null")
    return value


def run_facts(run) -> dict[str, Any]:
    """The figures a goal is checked against, read from a Run."""
    losses, accuracy = run.losses(), run.accuracy()
    sizes = run.layer_sizes
    return {
        "test_loss": losses.get("test"),
        "test_accuracy": None if accuracy is None else accuracy.get("test"),
        "parameters": parameter_count(sizes),
        "layers": len(sizes) - 2,
        "data": data_digest(run.train_data, run.test_data),
        "diverged": bool(run.diverged),
    }


def ranked(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Gallery rows in the goal's order: who met it first (lowest `met_epoch`), then the
    others by their best test loss (none last), names breaking ties."""

    def key(row: dict[str, Any]) -> tuple:
        met, best = row.get("met_epoch"), row.get("best_test_loss")
        return (
            met is None,
            met if met is not None else 0,
            best is None,
            best if best is not None else 0.0,
            str(row.get("name", "")),
        )

    return sorted(rows, key=key)
