"""Engine benchmarks: one epoch and the whole grid (thumbnails included) for configs A, B, C.

Run: .venv/bin/python bench/engine.py   (prints medians beside DESIGN.md's budgets)
"""

from __future__ import annotations

import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from engine import Run  # noqa: E402
from engine.grid import thumbnails  # noqa: E402
from engine.group import train_together  # noqa: E402

ALL_FEATURES = {
    name: True for name in ("x", "y", "xSquared", "ySquared", "xTimesY", "sinX", "sinY")
}
CONFIGS = {
    "A": {"dataset": "circle", "percTrainData": 50, "networkShape": [4, 2], "batchSize": 10},
    "B": {"dataset": "spiral", "networkShape": [8] * 6, "batchSize": 10, **ALL_FEATURES},
    "C": {"dataset": "spiral", "networkShape": [8] * 6, "batchSize": 1, **ALL_FEATURES},
}
BUDGETS_MS = {"epoch": {"A": 1.0, "B": 2.5, "C": 15.0}, "grid": {"A": 0.8, "B": 3.0}}
GROUPS = {"A": 40, "B": 10}  # a class of the same lesson, trained as one computation


def timings_ms(action: Callable[[], object], repeats: int) -> tuple[float, float]:
    """(median, fastest) in milliseconds; the fastest shows the cost on an idle machine."""
    action()  # warm up: compiles the epoch program, fills caches
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000, min(times) * 1000


def grid_with_thumbnails(run: Run) -> None:
    maps = run.evaluate_grid(100)
    for layer_maps in maps:
        thumbnails(layer_maps, 10)


def report(label: str, figures: tuple[float, float], budget: float) -> None:
    median, fastest = figures
    verdict = "ok" if median <= budget else "OVER"
    print(f"{label:<44}{median:>9.3f} ms{fastest:>9.3f} ms{budget:>8} ms  {verdict}")


def main() -> None:
    print(f"{'figure':<44}{'median':>12}{'fastest':>12}{'budget':>11}")
    for name, overrides in CONFIGS.items():
        run = Run({"seed": "0.5", "activation": "tanh", "learningRate": 0.03, **overrides})
        repeats = 100 if name == "C" else 500
        epoch = timings_ms(lambda run=run: run.step(1), repeats)
        report(f"{name}: one epoch (training + losses)", epoch, BUDGETS_MS["epoch"][name])
        if name in GROUPS:
            size = GROUPS[name]
            runs = [Run({"seed": f"s{i}", "learningRate": 0.03, **overrides}) for i in range(size)]
            groups: dict = {}
            median, fastest = timings_ms(
                lambda runs=runs, groups=groups: train_together(runs, [1] * len(runs), groups), 20
            )
            label = f"{name}: one epoch each in a group of {size}, per run"
            report(label, (median / size, fastest / size), BUDGETS_MS["epoch"][name])
        if name in BUDGETS_MS["grid"]:
            figures = timings_ms(lambda run=run: grid_with_thumbnails(run), 500)
            budget = BUDGETS_MS["grid"][name]
            report(f"{name}: every neuron on 100×100 + thumbnails", figures, budget)


if __name__ == "__main__":
    main()
