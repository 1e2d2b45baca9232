"""Detect a run whose numbers left the finite range, and explain it to a student."""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from engine.features import FEATURES, SCALE_KEYS, enabled_features
from engine.network import Network

LARGE_SCALE = 10.0  # a feature multiplied by this much or more counts as unscaled
HIGH_LEARNING_RATE = 1.0
# Bounded outputs (tanh, sigmoid) never overflow: an update that overshoots saturates the
# neurons instead, and the loss jumps up and freezes. That counts as diverged when the
# last STUCK_POINTS recorded training losses are all >= STUCK_RATIO × the untrained loss
# and spread by less than STUCK_SPREAD (relative).
STUCK_POINTS, STUCK_RATIO, STUCK_SPREAD = 20, 1.5, 1e-3


def check(
    net: Network, losses: dict[str, float], epoch: int, config: dict, finite: bool | None = None
) -> dict | None:
    """None while every parameter and loss is finite, else {"quantity", "epoch", "message"}:
    the run stops there (the reference would count on in NaN). `finite`: whether every
    parameter is, when the caller already knows (a group checks all its runs at once)."""
    if finite is None:
        finite = bool(np.isfinite(net.params).all())
    if all(math.isfinite(v) for v in losses.values()) and finite:
        return None
    quantity, value = _first_bad(net, losses)
    message = (
        f"Training diverged at epoch {epoch}: {quantity} became {value}. "
        f"Likely cause: {likely_cause(config)} Press reset to start again."
    )
    return {"quantity": quantity, "epoch": epoch, "message": message}


def stuck(history: list[tuple[float, ...]], epoch: int, config: dict) -> dict | None:
    """A warning (training goes on, as in the reference) when the training loss jumped up
    to well above the untrained loss and froze there: saturated or dead neurons. A run that
    settles below where it started has converged, and gets none."""
    if len(history) <= STUCK_POINTS or history[-1][0] != epoch:
        return None
    untrained, recent = history[0][1], [point[1] for point in history[-STUCK_POINTS:]]
    low, high = min(recent), max(recent)
    if low < STUCK_RATIO * untrained or high - low > STUCK_SPREAD * high:
        return None
    message = (
        f"The training loss jumped to {high:.3f} at about epoch {epoch} (it was "
        f"{untrained:.3f} before training) and stopped moving: the neurons are saturated "
        f"or dead, so their gradients vanish. Likely cause: {likely_cause(config)} "
        "Training goes on; press reset to start again."
    )
    return {"quantity": "the training loss", "epoch": epoch, "message": message}


def _describe(value: float) -> str:
    return "NaN (not a number)" if math.isnan(value) else "infinite"


def _first_bad(net: Network, losses: dict[str, float]) -> tuple[str, str]:
    n_layers = len(net.views)
    for layer, view in enumerate(net.views):
        target = "the output" if layer == n_layers - 1 else f"hidden layer {layer + 1}"
        for part, values in (("weights into", view[:-1]), ("biases of", view[-1])):
            bad = values[~np.isfinite(values)]
            if bad.size:
                return f"the {part} {target}", _describe(float(bad[0]))
    for name, value in losses.items():
        if not math.isfinite(value):
            return f"the {name} loss", _describe(value)
    return "a number", "non-finite"


def likely_cause(config: dict[str, Any]) -> str:
    """The most probable reason, in the lecture's terms."""
    if not config["standardize"]:
        for name in enabled_features(config):
            scale = config[SCALE_KEYS[name]]
            if scale >= LARGE_SCALE:
                return (
                    f"the feature {FEATURES[name].label} is multiplied by {scale:g}, so its "
                    "values and gradients are huge compared with the others (scale matters). "
                    "Standardize the features or bring the scale back to 1."
                )
    rate = config["learningRate"]
    if rate >= HIGH_LEARNING_RATE:
        return (
            f"the learning rate {rate:g} is too high: each update overshoots the minimum and "
            "the weights grow without bound. Try 0.03 or lower."
        )
    if config["regularization"] != "none" and config["regularizationRate"] * rate >= 1:
        return "the regularization rate is too high for this learning rate. Lower one of them."
    return "the updates overshoot: lower the learning rate (or standardize the features)."
