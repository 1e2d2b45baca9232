"""The long fuzz: tests/server/test_fuzz.py's properties with many more examples.

`make test` runs them on a quick, derandomized profile (a dozen examples a message type);
this runs the "long" profile (1 000 new examples a type, about a quarter of an hour on one
core) and prints how long it took. A failure prints hypothesis's smallest failing message.

    python bench/fuzz.py [--examples N] [pytest options]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--examples", type=int, help="examples per property (default 1000)")
    args, pytest_args = parser.parse_known_args()
    env = {**os.environ, "FUZZ_PROFILE": "long"}
    if args.examples:
        env["FUZZ_EXAMPLES"] = str(args.examples)
    started = time.perf_counter()
    command = [sys.executable, "-m", "pytest", "-q", "tests/server/test_fuzz.py", *pytest_args]
    code = subprocess.run(command, cwd=ROOT, env=env).returncode
    print(
        f"long fuzz: {'passed' if code == 0 else 'FAILED'} in {time.perf_counter() - started:.0f} s"
    )
    return code


if __name__ == "__main__":
    raise SystemExit(main())
