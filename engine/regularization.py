"""Weight penalties R(w) and their derivatives R'(w), keyed by the reference's names."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

Array = np.ndarray


def _l1_penalty(w: Array) -> float:
    return float(np.abs(w).sum())


def _l2_penalty(w: Array) -> float:
    return float(0.5 * (w * w).sum())


# R'(w): L1 → sign(w) (0 at 0), L2 → w; "none" has no penalty.
DERIVATIVES: dict[str, Callable[[Array], Array] | None] = {
    "none": None,
    "L1": np.sign,
    "L2": lambda w: w,
}
PENALTIES: dict[str, Callable[[Array], float] | None] = {
    "none": None,
    "L1": _l1_penalty,
    "L2": _l2_penalty,
}
REGULARIZATIONS = list(DERIVATIVES)
LABELS = {"none": "None", "L1": "L1", "L2": "L2"}  # as the reference's menu shows them


def penalty_step(params: np.ndarray, penalty: np.ndarray, scale, l1: bool) -> np.ndarray | None:
    """The reference's penalty step after the gradient step: w − (α·λ)·R'(w), with R' taken
    before the update (`penalty`) and α·λ as `scale` (a number, or (runs, 1) for a stack of
    runs). Returns where an L1 step crossed zero (those links die), None for L2."""
    stepped = params - scale * penalty
    crossed = params * stepped < 0 if l1 else None
    np.copyto(params, stepped)
    return crossed
