"""Shared pieces of the server tests: a fake clock, a socket-less session, frame decoding."""

from __future__ import annotations

import json

import numpy as np

from server.frames import HEADER_SIZE, unpack_header
from server.session import Session
from server.settings import Settings


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
