"""The websocket through Starlette's TestClient: admission, every reply, errors, flow control."""

import json

import pytest
from fastapi.testclient import TestClient
from starlette.websockets import WebSocketDisconnect

from server.app import create_app
from server.settings import Settings
from tests.server.helpers import decode_frame


def connect(client: TestClient, **headers):
    """The page's websocket; the server answers to loopback names such as localhost."""
    return client.websocket_connect("ws://localhost/ws", headers=dict(headers))


def opening(ws) -> tuple[dict, dict, bytes]:
    """hello, then config and snapshot, then the first frame."""
    hello = ws.receive_json()
    config = ws.receive_json()
    snapshot = ws.receive_json()
    state = ws.receive_json()
    frame = ws.receive_bytes()
    kinds = (hello["type"], config["type"], snapshot["type"], state["type"])
    assert kinds == ("hello", "config", "snapshot", "state")
    return hello, config, frame


def until(ws, kind: str, limit: int = 50):
    for _ in range(limit):
        message = ws.receive()
        if message.get("text") is not None:
            data = json.loads(message["text"])
            if data["type"] == kind:
                return data
        elif kind == "frame" and message.get("bytes") is not None:
            return decode_frame(message["bytes"])
    raise AssertionError(f"no {kind} message arrived")


def test_opening_messages_and_first_frame():
    with TestClient(create_app()) as client, connect(client) as ws:
        hello, config, frame = opening(ws)
        assert hello["protocol"] == 1 and config["layer_sizes"] == [2, 4, 2, 1]
        assert decode_frame(frame)["epoch"] == 0


def test_a_page_opening_with_its_link_gets_that_run_first():
    """The page answers hello with its link: the first run built and sent is the link's,
    not a default one it would throw away."""
    with TestClient(create_app()) as client, connect(client) as ws:
        assert ws.receive_json()["type"] == "hello"
        ws.send_json({"type": "load_hash", "hash": "dataset=xor&networkShape=3&seed=a", "seq": 1})
        config, snapshot, state = ws.receive_json(), ws.receive_json(), ws.receive_json()
        assert (config["type"], config["seq"], config["layer_sizes"]) == ("config", 1, [2, 3, 1])
        assert config["config"]["dataset"] == "xor"
        assert (snapshot["type"], state["type"]) == ("snapshot", "state")
        assert decode_frame(ws.receive_bytes())["last_seq"] == 1


def test_a_bad_opening_link_gets_an_error_and_the_default_run():
    with TestClient(create_app()) as client, connect(client) as ws:
        assert ws.receive_json()["type"] == "hello"
        ws.send_json({"type": "load_hash", "hash": 5, "seq": 1})
        error, config = ws.receive_json(), ws.receive_json()
        assert error["type"] == "error" and error["field"] == "hash"
        assert config["type"] == "config" and config["layer_sizes"] == [2, 4, 2, 1]


def test_step_then_frame_reflects_it():
    with TestClient(create_app()) as client, connect(client) as ws:
        _, _, frame = opening(ws)
        ws.send_json({"type": "ack", "frame": decode_frame(frame)["frame_id"]})
        ws.send_json({"type": "step", "seq": 1})
        frame = until(ws, "frame")
        assert frame["epoch"] == 1 and frame["last_seq"] == 1


def test_malformed_json_gets_an_error_and_the_session_continues():
    with TestClient(create_app()) as client, connect(client) as ws:
        opening(ws)
        ws.send_text("{oops")
        error = until(ws, "error")
        assert error["code"] == "bad_json" and "Traceback" not in error["message"]
        ws.send_json({"type": "configure", "config": {"activation": "relu"}})
        assert until(ws, "config")["config"]["activation"] == "relu"


def test_foreign_origin_is_refused():
    with TestClient(create_app()) as client, connect(client, origin="http://evil.example") as ws:
        error = ws.receive_json()
        assert error["code"] == "origin_refused"
        with pytest.raises(WebSocketDisconnect) as info:
            ws.receive_json()
        assert info.value.code == 1008


def test_own_and_allowed_origins_are_accepted():
    app = create_app(Settings(allow_origins=("https://school.example",)))
    with TestClient(app) as client:
        for origin in ("http://localhost", "https://school.example"):
            with connect(client, origin=origin) as ws:
                assert ws.receive_json()["type"] == "hello"


def test_full_server_refuses_with_a_reason():
    with TestClient(create_app(Settings(max_sessions=1))) as client, connect(client) as first:
        opening(first)
        with connect(client) as second:
            error = second.receive_json()
            assert error["code"] == "server_full" and "full" in error["message"]
            with pytest.raises(WebSocketDisconnect) as info:
                second.receive_json()
            assert info.value.code == 1013


def test_slow_client_gets_at_most_two_frames_while_training_goes_on():
    with TestClient(create_app()) as client, connect(client) as ws:
        _, _, first = opening(ws)
        ws.send_json({"type": "speed", "epochs_per_frame": "max"})
        ws.send_json({"type": "play"})
        second = until(ws, "frame")  # one more frame fits in the window; then none until an ack
        ws.send_json({"type": "pause"})
        while until(ws, "state")["playing"]:  # the play's own state may come first
            pass
        ws.send_json({"type": "ack", "frame": decode_frame(first)["frame_id"]})
        third = until(ws, "frame")
        assert third["frame_id"] == second["frame_id"] + 1
        assert third["epoch"] > second["epoch"]  # training went on without frames
