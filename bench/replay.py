"""Replay at configuration B: what a scrub costs the server, and what the history holds.

Prints, for a run of B trained some epochs (SGD and Adam):
- a fork from a kept epoch (what one step of the replay slider makes the server do:
  Run.fork, from the run's snapshot and the kept checkpoint), CPU time (time.thread_time,
  so other processes on the cores do not inflate it), minimum and median of many;
- a frame of the forked run (what the scrub then draws), CPU time, minimum and median;
- the kept epochs and their bytes after the run, and after 100,000 epochs of checkpoints
  (memory accounting only: counted bytes, a deterministic figure).
Budget (issue 19): scrubbing answers within 100 ms a step of the slider.
"""

from __future__ import annotations

import argparse
import statistics
import time

from common import CONFIGS, line

from engine import Run
from engine.replay import BUDGET_BYTES, Replay
from server.frames import FrameInfo, pack_frame

SCRUB_BUDGET_MS = 100.0


def cpu_ms(function, repeats: int) -> list[float]:
    times = []
    for _ in range(repeats):
        started = time.thread_time()
        function()
        times.append(1000 * (time.thread_time() - started))
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=int, default=300)
    parser.add_argument("--repeats", type=int, default=60)
    options = parser.parse_args()
    info = FrameInfo(1, 0, False, 0.0, None, 0, replay=True)
    for optimizer in ("sgd", "adam"):
        run = Run.from_hash(CONFIGS["B"])
        run.configure({"optimizer": optimizer})
        run.step(options.epochs)
        kept = run.replay.epochs
        targets = iter(kept * options.repeats)
        forks = cpu_ms(lambda run=run, targets=targets: run.fork(next(targets)), options.repeats)
        then = run.fork(kept[len(kept) // 2])
        frames = cpu_ms(lambda then=then: pack_frame(then, info), options.repeats)
        label = f"B ({optimizer}), {options.epochs} epochs"
        print(line(f"{label}: fork from a kept epoch (min)", min(forks), "ms", SCRUB_BUDGET_MS))
        print(line(f"{label}: fork (median)", statistics.median(forks), "ms", SCRUB_BUDGET_MS))
        print(line(f"{label}: its frame (median)", statistics.median(frames), "ms", None))
        print(line(f"{label}: kept epochs", len(kept), "", None))
        print(line(f"{label}: history bytes", run.replay.nbytes, "B", BUDGET_BYTES))
        history, checkpoint = Replay(), run.replay.at(kept[-1])
        for epoch in range(100_001):
            if history.wants(epoch):
                history.keep(type(checkpoint)(**{**checkpoint.__dict__, "epoch": epoch}))
        print(line(f"B ({optimizer}), 100000 epochs: kept epochs", len(history.epochs), "", None))
        print(line(f"B ({optimizer}), 100000 epochs: history bytes", history.nbytes, "B",
                   BUDGET_BYTES))  # fmt: skip


if __name__ == "__main__":
    main()
