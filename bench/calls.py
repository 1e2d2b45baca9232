"""NumPy calls per epoch of configurations A, B and C: a deterministic figure (no clock).

Run: .venv/bin/python bench/calls.py

Every numpy function and ufunc (with its methods: reduce, accumulate) is wrapped before the
engine is imported, and a profile hook counts ndarray methods called from the engine's own
code (fill, copy, reshape, tolist, ...), so each call the engine makes counts once. An
epoch of a run alone is `run.step(1)`: training, then the losses the chart plots.
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
ENGINE = str(ROOT / "engine")
COUNT = [0]


class _Counted:
    """A ufunc or function that counts its calls (and its ufunc methods' calls)."""

    def __init__(self, function) -> None:
        self._function = function

    def __call__(self, *args, **kwargs):
        COUNT[0] += 1
        return self._function(*args, **kwargs)

    def __getattr__(self, name):
        attribute = getattr(self._function, name)
        if name in ("reduce", "accumulate", "reduceat", "outer", "at"):

            def method(*args, **kwargs):
                COUNT[0] += 1
                return attribute(*args, **kwargs)

            return method
        return attribute


def _wrap_numpy() -> None:
    for name, value in list(vars(np).items()):  # not dir(): it would import submodules
        if name.startswith("_") or isinstance(value, type) or not callable(value):
            continue
        setattr(np, name, _Counted(value))


def _profile(frame, event, arg) -> None:
    """ndarray methods (C functions) called from the engine's code."""
    if event == "c_call" and frame.f_code.co_filename.startswith(ENGINE):
        if isinstance(getattr(arg, "__self__", None), np.ndarray):
            COUNT[0] += 1


def calls_per_epoch(run, epochs: int = 10) -> float:
    run.step(2)  # compiled and warm
    COUNT[0] = 0
    sys.setprofile(_profile)
    try:
        run.step(epochs)
    finally:
        sys.setprofile(None)
    return COUNT[0] / epochs


def main() -> None:
    _wrap_numpy()
    sys.path.insert(0, str(ROOT))
    from bench.engine import CONFIGS  # noqa: PLC0415  (after numpy is wrapped)
    from engine import Run  # noqa: PLC0415

    print(f"{'configuration':<16}{'numpy calls an epoch':>24}")
    for name, overrides in CONFIGS.items():
        run = Run({"seed": "0.5", "activation": "tanh", "learningRate": 0.03, **overrides})
        print(f"{name:<16}{calls_per_epoch(run):>24.1f}")


if __name__ == "__main__":
    main()
