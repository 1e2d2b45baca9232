"""Frame benchmark: bytes on the wire and the time to evaluate and pack one frame (A, B)."""

from __future__ import annotations

from common import CONFIGS, line, median_ms

import engine
from server.frames import FrameInfo, pack_frame

SIZE_BUDGET_KB = {"A": 12.0, "B": 20.0}


def main() -> None:
    info = FrameInfo(1, 0, True, 0.0, None, 0)
    for name in ("A", "B"):
        run = engine.Run.from_hash(CONFIGS[name])
        run.step(5)
        size_kb = len(pack_frame(run, info)) / 1024
        print(line(f"{name}: one frame on the wire", size_kb, "KB", SIZE_BUDGET_KB[name]))
        print(
            line(
                f"{name}: evaluate grid + pack one frame",
                median_ms(lambda r=run: pack_frame(r, info)),
                "ms",
                None,
            )
        )


if __name__ == "__main__":
    main()
