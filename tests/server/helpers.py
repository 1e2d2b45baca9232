"""Shared pieces of the server tests: a fake clock, a socket-less session, frame decoding."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
from pathlib import Path

import numpy as np

from server.frames import HEADER_SIZE, unpack_header
from server.session import Session
from server.settings import Settings
from tests.live_server import wait_until


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


def new_session(**settings) -> tuple[Session, FakeClock]:
    clock = FakeClock()
    session = Session(Settings(**settings), clock=clock)
    session.start()
    session.take_outbox()  # tests look at the replies to their own messages
    return session, clock


def send(session: Session, message: dict) -> list[dict]:
    session.receive(json.dumps(message))
    return session.take_outbox()


def of_type(messages: list[dict], kind: str) -> list[dict]:
    return [m for m in messages if m["type"] == kind]


def decode_frame(frame: bytes) -> dict:
    """Decode a whole frame as the page does (docs/protocol.md)."""
    header = unpack_header(frame)
    offset = HEADER_SIZE
    n_layers = header["n_layers"]
    sizes = list(frame[offset : offset + n_layers])
    offset += n_layers
    gradients = np.frombuffer(frame, "<f4", n_layers - 1, offset)
    offset += 4 * (n_layers - 1)
    resolution, thumb = header["resolution"], header["thumbnail"]
    big = np.frombuffer(frame, np.uint8, resolution * resolution, offset).reshape(
        resolution, resolution
    )
    offset += resolution * resolution
    n_thumbs = sum(sizes[1:])
    thumbs = np.frombuffer(frame, np.uint8, n_thumbs * thumb * thumb, offset)
    offset += thumbs.size
    weights, biases = [], []
    for fan_in, fan_out in zip(sizes[:-1], sizes[1:], strict=True):
        weights.append(
            np.frombuffer(frame, "<f4", fan_in * fan_out, offset).reshape(fan_in, fan_out)
        )
        offset += 4 * fan_in * fan_out
    for fan_out in sizes[1:]:
        biases.append(np.frombuffer(frame, "<f4", fan_out, offset))
        offset += 4 * fan_out
    assert offset == len(frame), "the frame has trailing bytes"
    return {
        **header,
        "sizes": sizes,
        "gradients": gradients,
        "big": big,
        "thumbs": thumbs,
        "weights": weights,
        "biases": biases,
    }


ROOT = Path(__file__).resolve().parents[2]


def worker_pids(parent: int) -> list[int]:
    pids = []
    for proc in Path("/proc").iterdir():
        if proc.name.isdigit():
            try:
                status = (proc / "status").read_text()
            except OSError:
                continue
            command = (proc / "cmdline").read_text()
            # multiprocessing's resource tracker is a child too, but not a worker
            if f"PPid:\t{parent}\n" in status and "python" in command:
                if "resource_tracker" not in command:
                    pids.append(int(proc.name))
    return pids


def start_workers(port: int, workers: int = 2, *options: str) -> subprocess.Popen:
    """`python -m server --workers N` on `port`, once every worker runs and the port answers."""
    command = [sys.executable, "-m", "server", "--port", str(port), "--workers", str(workers),
               "--log-level", "warning", *options]  # fmt: skip
    server = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.DEVNULL)

    def answers() -> bool:
        with socket.socket() as probe:
            return probe.connect_ex(("127.0.0.1", port)) == 0

    if wait_until(lambda: len(worker_pids(server.pid)) >= workers) and wait_until(answers):
        return server
    server.kill()
    raise RuntimeError("the server did not start")
