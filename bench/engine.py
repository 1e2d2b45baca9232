"""Engine benchmarks: one epoch and the whole grid (thumbnails included) for configs A, B, C,
alone and for a class of one shape as one computation (training, grids, whole frames).

Run: .venv/bin/python bench/engine.py   (prints medians beside DESIGN.md's budgets)

Times are the benchmark thread's CPU time (time.thread_time), so other processes on a busy
machine do not inflate them; the fastest of many repeats is the cost on an idle core.
"""

from __future__ import annotations

import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from engine import Run  # noqa: E402
from engine.grid import GridStack, grid_bytes, thumbnails  # noqa: E402
from engine.group import train_together  # noqa: E402
from server.drawing import STACK_BYTES  # noqa: E402
from server.frames import FrameInfo, assemble, draw, pack_frame  # noqa: E402

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
INFO, FOCUS = FrameInfo(2, 0, True, 60.0, None, 0), (None, 0)  # a frame of the output
_STACKS: dict[int, GridStack] = {}


def timings_ms(action: Callable[[], object], repeats: int) -> tuple[float, float]:
    """(median, fastest) CPU time in milliseconds; the fastest shows the cost on an idle
    machine."""
    action()  # warm up: compiles the epoch program, fills caches
    times = []
    for _ in range(repeats):
        start = time.thread_time()
        action()
        times.append(time.thread_time() - start)
    return statistics.median(times) * 1000, min(times) * 1000


def grid_with_thumbnails(run: Run) -> None:
    maps = run.evaluate_grid(100)
    for layer_maps in maps:
        thumbnails(layer_maps, 10)


def stacked_grid_with_thumbnails(stack: GridStack, runs: list[Run]) -> None:
    nets, transforms = [r.state.net for r in runs], [r.state.transform for r in runs]
    for layer_maps in stack.evaluate(nets, transforms, 100):
        thumbnails(layer_maps, 10)


def stacked_frames(runs: list[Run]) -> None:
    """Every run's whole frame, drawn as one computation (server.drawing does this)."""
    nets, transforms = [r.state.net for r in runs], [r.state.transform for r in runs]
    maps = _STACKS[len(runs)].evaluate(nets, transforms, 100)
    for run, picture in zip(runs, draw(runs, maps, [FOCUS] * len(runs)), strict=True):
        assemble(run, INFO, picture)


def grids(name: str, run: Run, runs: list[Run]) -> None:
    """The grid and the whole frame of one run alone, and per run of a class drawn at once."""
    budget = BUDGETS_MS["grid"][name]
    figures = timings_ms(lambda: grid_with_thumbnails(run), 1000)
    report(f"{name}: every neuron on 100×100 + thumbnails", figures, budget)
    runs = runs[: STACK_BYTES // grid_bytes(run.state.net, 100)]  # as the server stacks them
    size = len(runs)
    _STACKS[size] = stack = GridStack(runs[0].state.net, size)
    median, fastest = timings_ms(lambda: stacked_grid_with_thumbnails(stack, runs), 100)
    report(
        f"{name}: the same in a stack of {size}, per run", (median / size, fastest / size), budget
    )
    figures = timings_ms(lambda: pack_frame(run, INFO), 1000)
    report(f"{name}: one whole frame alone", figures, budget)
    median, fastest = timings_ms(lambda: stacked_frames(runs), 100)
    report(
        f"{name}: whole frames of {size} drawn at once, per run",
        (median / size, fastest / size),
        budget,
    )


def report(label: str, figures: tuple[float, float], budget: float) -> None:
    median, fastest = figures
    verdict = "ok" if median <= budget else "OVER"
    print(f"{label:<54}{median:>9.3f} ms{fastest:>9.3f} ms{budget:>8} ms  {verdict}")


def main() -> None:
    print(f"{'figure (CPU time)':<54}{'median':>12}{'fastest':>12}{'budget':>11}")
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
            grids(name, run, runs)


if __name__ == "__main__":
    main()
