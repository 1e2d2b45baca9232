"""Reported figures of a network on its data: mean loss and accuracy per split."""

from __future__ import annotations

import numpy as np

from engine.activations import OUTPUT_ACTIVATIONS
from engine.data import DataSplit

Array = np.ndarray
PARTS = ("train", "test", "validation")


def split_means(values: Array, data: DataSplit) -> dict[str, list[float]]:
    """Per split, the mean of each row of `values` (runs, n points in split order): the
    reference's plain sum in point order, then / n (NaN for an empty split; validation only
    when the split has one). One call per split serves a whole group of runs."""
    values = np.asarray(values, dtype=np.float64)
    result = {}
    for name in PARTS:
        rows = data.part(name)
        if name == "validation" and data.n_val == 0:
            continue
        n = rows.stop - rows.start
        totals = np.add.accumulate(values[:, rows], axis=1)[:, -1].tolist() if n else None
        result[name] = [t / n for t in totals] if n else [float("nan")] * len(values)
    return result


def mean_losses(point_losses: Array, data: DataSplit) -> dict[str, float]:
    """Mean per-point loss (no regularization term) of each split; validation only when
    the split has one."""
    return {name: means[0] for name, means in split_means(point_losses[None], data).items()}


def predicted_labels(outputs: Array, problem: str, output: str) -> Array:
    """The label each output row (…, K) stands for: argmax for several classes, else the
    side of the output activation's threshold (0, or 0.5 for a probability or a step) → +1,
    else -1."""
    if problem == "multiclass":
        return outputs.argmax(axis=-1).astype(np.float64)
    threshold = OUTPUT_ACTIVATIONS[output].threshold
    return np.where(outputs[..., 0] >= threshold, 1.0, -1.0)


def accuracies(outputs: Array, data: DataSplit, problem: str, output: str) -> dict | None:
    """Share of correctly labelled points per split; None for regression."""
    if problem == "regression":
        return None
    correct = predicted_labels(outputs, problem, output) == data.labels
    return {name: shares[0] for name, shares in split_means(correct[None], data).items()}
