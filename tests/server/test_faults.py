"""Faults a classroom meets: clients that vanish, runaway settings, a worker process killed."""

import json
import os
import signal
import socket
from pathlib import Path

import pytest
from websockets.sync.client import connect

from server.frames import unpack_header
from tests.live_server import LiveServer, free_port, wait_until
from tests.server.helpers import new_session, of_type, send, start_workers, worker_pids

ROOT = Path(__file__).resolve().parents[2]


def ws_url(http_url: str) -> str:
    return http_url.replace("http", "ws") + "/ws"


def plays(url: str, epochs: int = 6, max_frames: int = 5000) -> int:
    """Open a session and play until a frame shows `epochs` epochs (or `max_frames` frames
    came without): the last epoch seen. Counts frames, never the clock, so a busy machine
    only makes it slower."""
    with connect(url, open_timeout=30) as ws:
        ws.send(json.dumps({"type": "play"}))
        epoch, frames = 0, 0
        while epoch < epochs and frames < max_frames:
            message = ws.recv(timeout=30)
            if isinstance(message, bytes):
                header = unpack_header(message)
                ws.send(json.dumps({"type": "ack", "frame": header["frame_id"]}))
                epoch, frames = header["epoch"], frames + 1
        return epoch


def test_a_client_that_vanishes_mid_frame_frees_its_session():
    server = LiveServer().start()
    try:
        host, port = "127.0.0.1", server.port
        for _ in range(3):
            raw = socket.create_connection((host, port))
            raw.sendall(
                b"GET /ws HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\n"
                b"Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                b"Sec-WebSocket-Version: 13\r\n\r\n"
            )
            raw.recv(300)  # the upgrade and the start of hello; then vanish without a close
            raw.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00")
            raw.close()  # linger 0: a reset, mid-message
        assert plays(ws_url(server.url)) > 5
        wait_until(lambda: not server.app.state.sessions.active)
        assert server.app.state.sessions.active == 0
    finally:
        server.stop()


@pytest.mark.parametrize(
    "config",
    [
        {"learningRate": 10, "activation": "relu", "problem": "regression"},
        {"learningRate": 1, "regularization": "L2", "regularizationRate": 10},
    ],
)
def test_runaway_settings_are_explained_and_reset_recovers(config):
    session, _ = new_session()
    send(session, {"type": "configure", "config": config})
    send(session, {"type": "step", "epochs": 30})
    assert session.run.diverged, "the run should have diverged"
    state = of_type(send(session, {"type": "pause"}), "state")[-1]
    assert "Likely cause" in state["diverged"]["message"]
    send(session, {"type": "configure", "config": {"learningRate": 0.03, "regularizationRate": 0}})
    send(session, {"type": "reset"})
    send(session, {"type": "step", "epochs": 5})
    assert not session.run.diverged and session.run.epoch == 5


def test_a_killed_worker_is_replaced_and_sessions_go_on():
    port = free_port()
    server = start_workers(port)
    url = f"ws://127.0.0.1:{port}/ws"
    try:
        assert plays(url) > 5
        victim = worker_pids(server.pid)[0]
        os.kill(victim, signal.SIGKILL)

        def replaced() -> bool:  # the supervisor starts a new worker
            workers = worker_pids(server.pid)
            return len(workers) == 2 and victim not in workers

        wait_until(replaced)
        assert victim not in worker_pids(server.pid) and len(worker_pids(server.pid)) == 2
        assert all(plays(url) > 5 for _ in range(4))
    finally:
        server.send_signal(signal.SIGINT)
        server.wait(timeout=30)
