"""Reported figures of a network on its data: mean loss and accuracy per split."""

from __future__ import annotations

import numpy as np

from engine.activations import OUTPUT_ACTIVATIONS
from engine.data import DataSplit
from engine.exact import ordered_total

Array = np.ndarray
PARTS = ("train", "test", "validation")


def mean_losses(point_losses: Array, data: DataSplit) -> dict[str, float]:
    """Mean per-point loss (no regularization term) of each split; validation only when
    the split has one."""
    result = {}
    for name in PARTS:
        rows = data.part(name)
        if name == "validation" and data.n_val == 0:
            continue
        n = rows.stop - rows.start
        # the reference's plain sum in point order, then / n
        result[name] = ordered_total(point_losses[rows]) / n if n else float("nan")
    return result


def predicted_labels(outputs: Array, problem: str, output: str) -> Array:
    """The label each output row stands for: argmax for several classes, else the side of
    the output activation's threshold (0, or 0.5 for a probability or a step) → +1, else -1."""
    if problem == "multiclass":
        return outputs.argmax(axis=1).astype(np.float64)
    threshold = OUTPUT_ACTIVATIONS[output].threshold
    return np.where(outputs[:, 0] >= threshold, 1.0, -1.0)


def accuracies(outputs: Array, data: DataSplit, problem: str, output: str) -> dict | None:
    """Share of correctly labelled points per split; None for regression."""
    if problem == "regression":
        return None
    correct = predicted_labels(outputs, problem, output) == data.labels
    result = {}
    for name in PARTS:
        rows = data.part(name)
        if name == "validation" and data.n_val == 0:
            continue
        values = correct[rows]
        result[name] = float(values.mean()) if len(values) else float("nan")
    return result
