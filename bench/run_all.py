"""`make bench`: every benchmark in turn (engine, frames, replay, stream, load, browser, a
race in the browser, a class with its dashboard, proxy), then the long fuzz."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
STEPS = [
    ["engine.py"],
    ["calls.py"],
    ["epochs.py"],
    ["frames.py"],
    ["replay.py"],
    ["stream.py"],
    ["load.py", "--sessions", "40", "--seconds", "60", "--workers", "2"],
    ["browser.py"],
    ["browser.py", "--race"],
    ["classroom.py", "--sessions", "40", "--seconds", "30"],
    ["proxy.py"],
    ["fuzz.py"],
]


def main() -> int:
    failed = []
    for step in STEPS:
        print(f"\n== bench/{' '.join(step)}", flush=True)
        if subprocess.run([sys.executable, str(HERE / step[0]), *step[1:]], cwd=HERE).returncode:
            failed.append(step[0])
    if failed:
        print(f"\nbenchmarks that did not finish or missed a budget: {', '.join(failed)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
