"""One run against a real uvicorn with the `websockets` client: play, frames, pause, silence."""

import json

import pytest
from websockets.exceptions import ConnectionClosed
from websockets.sync.client import connect

from server.frames import unpack_header
from tests.live_server import LiveServer


@pytest.fixture
def server():
    live = LiveServer().start()
    yield live
    live.stop()


def test_play_streams_frames_and_pause_stops_them(server):
    with connect(server.url.replace("http", "ws") + "/ws") as ws:
        assert json.loads(ws.recv())["type"] == "hello"
        ws.send(json.dumps({"type": "speed", "epochs_per_frame": 5}))
        ws.send(json.dumps({"type": "play", "seq": 1}))
        epochs = []
        while len(epochs) < 20:
            message = ws.recv(timeout=5)
            if isinstance(message, bytes):
                header = unpack_header(message)
                epochs.append(header["epoch"])
                ws.send(json.dumps({"type": "ack", "frame": header["frame_id"]}))
        assert epochs[-1] > epochs[0] and epochs == sorted(epochs)
        ws.send(json.dumps({"type": "pause", "seq": 2}))
        last = None
        while True:  # drain until the frame that reflects the pause
            message = ws.recv(timeout=5)
            if isinstance(message, bytes):
                header = unpack_header(message)
                ws.send(json.dumps({"type": "ack", "frame": header["frame_id"]}))
                if header["last_seq"] == 2:
                    last = header
                    break
        assert not last["flags"] & 1
        with pytest.raises(TimeoutError):
            while True:
                message = ws.recv(timeout=0.5)
                assert not isinstance(message, bytes), "a frame arrived after pause"


def test_server_stop_closes_the_socket(server):
    with connect(server.url.replace("http", "ws") + "/ws") as ws:
        assert json.loads(ws.recv())["type"] == "hello"
        server.stop()
        with pytest.raises((ConnectionClosed, TimeoutError, OSError)):
            for _ in range(100):
                ws.recv(timeout=2)
