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

ALL_FEATURES = {
    name: True for name in ("x", "y", "xSquared", "ySquared", "xTimesY", "sinX", "sinY")
}
CONFIGS = {
    "A": {"dataset": "circle", "percTrainData": 50, "networkShape": [4, 2], "batchSize": 10},
    "B": {"dataset": "spiral", "networkShape": [8] * 6, "batchSize": 10, **ALL_FEATURES},
    "C": {"dataset": "spiral", "networkShape": [8] * 6, "batchSize": 1, **ALL_FEATURES},
}
BUDGETS_MS = {"epoch": {"A": 0.6, "B": 2.5, "C": 15.0}, "grid": {"A": 0.8, "B": 3.0}}


def median_ms(action: Callable[[], object], repeats: int) -> float:
    action()  # warm up: compiles the epoch program, fills caches
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def grid_with_thumbnails(run: Run) -> None:
    maps = run.evaluate_grid(100)
    for layer_maps in maps:
        thumbnails(layer_maps, 10)


def main() -> None:
    print(f"{'figure':<40}{'median':>10}{'budget':>10}")
    for name, overrides in CONFIGS.items():
        run = Run({"seed": "0.5", "activation": "tanh", "learningRate": 0.03, **overrides})
        repeats = 50 if name == "C" else 300
        epoch = median_ms(lambda run=run: run.step(1), repeats)
        budget = BUDGETS_MS["epoch"][name]
        print(f"{name}: one epoch (train + losses){epoch:>14.3f} ms{budget:>7} ms")
        if name in BUDGETS_MS["grid"]:
            figure = median_ms(lambda run=run: grid_with_thumbnails(run), 300)
            budget = BUDGETS_MS["grid"][name]
            print(f"{name}: every neuron on 100×100 + thumbs{figure:>9.3f} ms{budget:>7} ms")


if __name__ == "__main__":
    main()
