"""One session against a fast client: frames/s at 1 epoch per frame, and epochs/s at top speed.

Starts a real server, connects one websocket client that acknowledges at once, and prints
the figures beside the budgets: DESIGN.md's ≥ 60 frames/s, and at "max" ≥ 500 epochs/s
with ≥ 30 frames/s (configuration A); issue 16's one session alone at top speed, A ≥ 800
and B ≥ 300 epochs/s (`--config B`).

Run: .venv/bin/python bench/stream.py [--config A|B]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import signal
import time

from common import CONFIGS, line
from load import free_port, start_server
from websockets.asyncio.client import connect

from server.frames import unpack_header

TOP_SPEED_BUDGET = {"A": 800, "B": 300}  # epochs/s alone (issue 16)


async def stream(url: str, speed, seconds: float, config: str = "A") -> tuple[float, float]:
    async with connect(url, max_size=2**24) as ws:
        await ws.send(json.dumps({"type": "load_hash", "hash": CONFIGS[config]}))
        await ws.send(json.dumps({"type": "speed", "epochs_per_frame": speed}))
        await ws.send(json.dumps({"type": "play"}))
        frames, first, last, start = 0, None, None, None
        end = time.monotonic() + seconds + 0.5
        while time.monotonic() < end:
            message = await ws.recv()
            if not isinstance(message, bytes):
                continue
            header = unpack_header(message)
            await ws.send(json.dumps({"type": "ack", "frame": header["frame_id"]}))
            if not header["flags"] & 1:
                continue
            if start is None:
                start, first = time.monotonic(), header["epoch"]
            frames += 1
            last = header["epoch"]
        elapsed = time.monotonic() - start
        return frames / elapsed, (last - first) / elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--config", choices=sorted(TOP_SPEED_BUDGET), default="A")
    name = parser.parse_args().config
    port = free_port()
    server = start_server(port, workers=1, max_sessions=10)
    try:
        url = f"ws://127.0.0.1:{port}/ws"
        fps, _ = asyncio.run(stream(url, 1, 5.0, name))
        print(line(f"{name}, 1 epoch/frame: frames/s to a fast client", fps, "fps", 60, False))
        fps, eps = asyncio.run(stream(url, "max", 5.0, name))
        budget = max(TOP_SPEED_BUDGET[name], 500 if name == "A" else 0)
        print(line(f"{name}, top speed: epochs/s", eps, "epochs/s", budget, False))
        print(line(f"{name}, top speed: frames/s", fps, "fps", 30, False))
    finally:
        server.send_signal(signal.SIGINT)
        server.wait(timeout=30)


if __name__ == "__main__":
    main()
