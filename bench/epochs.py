"""An epoch alone of A, B and C: fastest and median CPU time over many repeats, for this
checkout or another one (to compare before and after a change under the same load).

Run: .venv/bin/python bench/epochs.py [--tree PATH] [--configs ABC]

Alternate runs of two trees (before, after, before, after, ...) and compare their fastest
figures: on a shared machine a single run can be off by the load of that moment.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

REPEATS = {"A": 1500, "B": 400, "C": 60}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tree", default=str(Path(__file__).resolve().parents[1]))
    parser.add_argument("--configs", default="ABC")
    args = parser.parse_args()
    sys.path.insert(0, args.tree)
    from bench.engine import CONFIGS  # noqa: PLC0415  (from the tree measured)
    from engine import Run  # noqa: PLC0415

    for name in args.configs:
        run = Run({"seed": "0.5", "activation": "tanh", "learningRate": 0.03, **CONFIGS[name]})
        run.step(3)  # compiled and warm
        times = []
        for _ in range(REPEATS[name]):
            start = time.thread_time()
            run.step(1)
            times.append(time.thread_time() - start)
        fastest, median = min(times) * 1000, statistics.median(times) * 1000
        print(f"{args.tree} {name}: one epoch alone, CPU time fastest {fastest:.3f} ms, "
              f"median {median:.3f} ms", flush=True)  # fmt: skip


if __name__ == "__main__":
    main()
