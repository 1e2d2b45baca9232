"""A run's points: generated or user-supplied, split into train, validation and test."""

from __future__ import annotations

import hashlib
from typing import Any

import numpy as np

from engine import datasets
from engine.activations import OUTPUT_ACTIVATIONS
from engine.options import DATASET_KEYS, LIMITS
from engine.rng import SeedRandom

Array = np.ndarray


class DataSplit:
    """Points (n, 2) and labels (n,) in split order: train, then validation, then test."""

    def __init__(self, points: Array, labels: Array, config: dict[str, Any], user: bool) -> None:
        self.points = np.ascontiguousarray(points, dtype=np.float64)
        self.labels = np.ascontiguousarray(labels, dtype=np.float64)
        self.user = user
        self.n_train, self.n_val = datasets.split_sizes(
            len(self.points), config["percTrainData"], config["percValData"]
        )

    @classmethod
    def generate(cls, config: dict[str, Any], rng: SeedRandom) -> DataSplit:
        """The reference's order: generate from the stream, then shuffle with it."""
        problem = config["problem"]
        points, labels = datasets.generate(
            problem, config[DATASET_KEYS[problem]], config["noise"] / 100, rng,
            config["numClasses"],
        )  # fmt: skip
        points, labels = datasets.shuffle(points, labels, rng)
        return cls(points, labels, config, user=False)

    def resplit(self, config: dict[str, Any]) -> DataSplit:
        return DataSplit(self.points, self.labels, config, self.user)

    def part(self, name: str) -> slice:
        """Row slice of "train", "validation" or "test"."""
        ends = {"train": (0, self.n_train), "validation": (self.n_train, self.n_train + self.n_val)}
        start, stop = ends.get(name, (self.n_train + self.n_val, len(self.points)))
        return slice(start, stop)

    def pair(self, name: str) -> tuple[Array, Array]:
        rows = self.part(name)
        return self.points[rows].copy(), self.labels[rows].copy()


THUMBNAIL_POINTS = 200


def draw_thumbnails(problem: str, rng: SeedRandom) -> None:
    """Consume the stream like the reference's dataset thumbnails: after a change of
    problem it draws 200 noiseless points of each of the problem's datasets, in menu
    order, between the new data and the new weights."""
    if problem in ("classification", "regression"):
        for generator in datasets.DATASETS[problem].values():
            generator(THUMBNAIL_POINTS, 0.0, rng)


def targets(labels: Array, problem: str, output: str, n_classes: int) -> Array:
    """What the output should be, shape (n, K): ±1 for classification (0/1 for an output
    whose `low` is 0: a sigmoid or a step), the value for regression, one-hot rows for
    several classes."""
    if problem == "multiclass":
        return np.eye(n_classes)[labels.astype(int)]
    if problem == "classification" and OUTPUT_ACTIVATIONS[output].low == 0.0:
        return ((labels + 1.0) / 2.0)[:, None]
    return labels[:, None].astype(np.float64)


def stable_order(points: Array, labels: Array) -> Array:
    """A permutation of the user's points that depends only on each point's own values, so
    adding or removing one point moves the train/test boundary by one point instead of
    reshuffling the others (a drawn point must not flip the split of the rest)."""
    rows = np.column_stack([points, labels]).astype("<f8")
    keys = [hashlib.blake2b(row.tobytes(), digest_size=8).digest() for row in rows]
    return np.array(sorted(range(len(keys)), key=keys.__getitem__), dtype=np.intp)


def user_points(points: Any, labels: Any, config: dict[str, Any]) -> tuple[Array, Array]:
    """Validated user points: (points (n, 2), labels (n,)) from either `points` (n, 3) rows
    [x, y, label] or points (n, 2) with labels (n,). ValueError names what is wrong."""
    try:
        array = np.asarray(points, dtype=np.float64)
        label_array = None if labels is None else np.asarray(labels, dtype=np.float64)
    except (TypeError, ValueError, OverflowError):  # OverflowError: an int such as 10**400
        raise ValueError("points: not a list of finite numbers [x, y, label]") from None
    if label_array is None:
        if array.ndim != 2 or array.shape[1] != 3:
            raise ValueError(f"points: shape {array.shape} is not allowed; use rows [x, y, label]")
        array, label_array = array[:, :2], array[:, 2]
    limit = LIMITS["points"]
    if array.ndim != 2 or array.shape[1] != 2 or label_array.shape != (len(array),):
        raise ValueError(f"points: shapes {array.shape} and {label_array.shape} do not match")
    if not limit["min"] <= len(array) <= limit["max"]:
        raise ValueError(f"points: {len(array)} points; use {limit['min']}..{limit['max']}")
    if not (np.isfinite(array).all() and np.isfinite(label_array).all()):
        raise ValueError("points: every x, y and label must be a finite number")
    _check_labels(label_array, config)
    return array.copy(), label_array.copy()


def _check_labels(labels: Array, config: dict[str, Any]) -> None:
    problem = config["problem"]
    if problem == "classification" and not np.isin(labels, (-1.0, 1.0)).all():
        raise ValueError("points: classification labels must be 1 (blue) or -1 (orange)")
    if problem == "multiclass":
        n_classes = config["numClasses"]
        valid = (labels == np.round(labels)) & (labels >= 0) & (labels < n_classes)
        if not valid.all():
            raise ValueError(f"points: class labels must be whole numbers 0..{n_classes - 1}")
