"""The inspector's update: training's own rule replayed on copies, with the optimizer's numbers.

The update the inspector shows is never recomputed by a formula of its own: the gradient
sum, the optimizer state and the parameters from before the update go through
engine.training.apply_update (the function training calls) on copies, and the optimizer's
`explain` reads its velocity or moments from the copy afterwards.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from engine.network import Network
from engine.optimizers import OPTIMIZERS
from engine.regularization import DERIVATIVES
from engine.training import LastUpdate, apply_update

Array = np.ndarray


def _before(run, last: LastUpdate | None, inputs: Array, targets: Array):
    """(params, alive, optimizer state or None, gradient sum, count, α, R, λ) before the
    update: the last update's own record, or now for the next batch or a picked point
    (its gradient summed by training's own batch code)."""
    trainer, net = run.state.trainer, run.state.net
    if last is not None:
        state = last.optimizer_before
        return (last.params_before, last.alive_before, state, last.grad_sum.copy(), last.count,
                last.learning_rate, last.regularization, last.regularization_rate)  # fmt: skip
    c = run.config
    state = {k: v.copy() if isinstance(v, np.ndarray) else v
             for k, v in trainer.optimizer.state().items()}  # fmt: skip
    state["name"] = trainer.optimizer.name
    grad = trainer.gradient_sum(inputs, targets)
    return (net.params, net.alive, state, grad, len(inputs), c["learningRate"],
            c["regularization"], c["regularizationRate"])  # fmt: skip


def replay(run, last: LastUpdate | None, index: int, inputs: Array, targets: Array,
           batch: str) -> dict[str, Any]:  # fmt: skip
    """α, the optimizer's rows, the penalty and the weight after the update of `index`."""
    params, alive, state, grad, count, rate, reg, reg_rate = _before(run, last, inputs, targets)
    weight = float(params[index])
    base = {"weight": weight, "learning_rate": rate, "regularization_rate": reg_rate,
            "regularization_name": reg, "dead": alive is not None and not alive[index],
            "optimizer": (state or {}).get("name", run.state.trainer.optimizer.name)}  # fmt: skip
    if batch == "no_update":
        return {**base, "applies": False, "steps": [], "update": 0.0, "weight_after": weight,
                "regularization": 0.0, "killed": False}  # fmt: skip
    net = run.state.net
    copy = Network(net.layer_sizes, net.hidden, net.output, params)
    if alive is not None:
        copy.alive[:] = alive
        copy.any_dead = bool((alive == 0.0).any())
    optimizer = OPTIMIZERS[base["optimizer"]](net.n_params)
    replayable = state is not None or not optimizer.slots  # plain SGD keeps no state
    if state is not None:
        optimizer.load(state)
    apply_update(copy, optimizer, grad, count, rate, reg, reg_rate, np.zeros(net.n_params),
                 net.weight_mask == 0.0)  # fmt: skip
    after = float(last.params_after[index]) if last is not None else float(copy.params[index])
    steps = (
        optimizer.explain(
            state, index, float(grad[index]), count, rate, not net.weight_mask[index]
        )  # fmt: skip
        if replayable and not base["dead"]
        else []
    )
    penalty = _penalty(reg, reg_rate, weight, bool(net.weight_mask[index]))
    steps += _penalty_rows(rate, reg_rate, weight, penalty) if penalty is not None else []
    step = next((r["value"] for r in steps if r["key"] == "step"), weight - after)
    return {
        **base,
        "applies": True,
        "replayed": replayable,
        "replayed_weight_after": float(copy.params[index]),
        "steps": steps,
        "update": 0.0 if base["dead"] else step,
        "regularization": 0.0 if penalty is None else reg_rate * penalty,
        "weight_after": after,
        "killed": bool(copy.alive[index] == 0.0) and not base["dead"],
    }


def _penalty(reg: str, reg_rate: float, weight: float, is_weight: bool) -> float | None:
    """R'(w) before the update, or None without a penalty (or for a bias)."""
    derivative = DERIVATIVES[reg] if reg_rate and is_weight else None
    return None if derivative is None else float(derivative(np.array(weight)))


def _penalty_rows(rate: float, reg_rate: float, weight: float, slope: float) -> list[dict]:
    """λ, R'(w) and the penalty step (α·λ)·R'(w), as training applies it after the step."""
    return [
        {"key": "lambda", "symbol": "λ (regularization rate)", "formula": None,
         "value": reg_rate},
        {"key": "slope", "symbol": "R′(w) (the penalty's slope at w)", "formula": None,
         "value": slope},
        {"key": "penalty", "symbol": "penalty = α·λ·R′(w)",
         "formula": "{alpha} × {lambda} × {slope}", "value": (rate * reg_rate) * slope},
    ]  # fmt: skip
