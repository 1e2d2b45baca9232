"""Shared pieces of the benchmarks: the DESIGN.md configurations and a median timer."""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

ALL_FEATURES = "x=true&y=true&xSquared=true&ySquared=true&xTimesY=true&sinX=true&sinY=true"
CONFIGS = {
    "A": "dataset=circle&percTrainData=50&x=true&y=true&networkShape=4,2&activation=tanh"
    "&batchSize=10&seed=0.5",
    "B": f"dataset=spiral&percTrainData=50&{ALL_FEATURES}&networkShape=8,8,8,8,8,8"
    "&activation=tanh&batchSize=10&seed=0.5",
    "C": f"dataset=spiral&percTrainData=50&{ALL_FEATURES}&networkShape=8,8,8,8,8,8"
    "&activation=tanh&batchSize=1&seed=0.5",
}


def median_ms(function, repeat: int = 200, warmup: int = 20) -> float:
    for _ in range(warmup):
        function()
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        function()
        samples.append((time.perf_counter() - start) * 1000)
    return statistics.median(samples)


def line(label: str, value: float, unit: str, budget: float | None, lower_is_better=True) -> str:
    if budget is None:
        return f"{label:<48} {value:9.3f} {unit}"
    ok = value <= budget if lower_is_better else value >= budget
    sign = "≤" if lower_is_better else "≥"
    verdict = "ok" if ok else "OVER BUDGET"
    return f"{label:<48} {value:9.3f} {unit}   budget {sign} {budget:g} {unit}   {verdict}"
