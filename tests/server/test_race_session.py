"""Races, replay and the hidden-layer view through the protocol, without a socket."""

import base64
import json

import numpy as np
from fastapi.testclient import TestClient

from engine import Run
from server import protocol
from server.app import create_app
from server.racing import unpack_race
from server.session import Session
from server.settings import Settings
from tests.server.helpers import FakeClock, decode_frame, new_session, of_type, send

SPIRAL = "dataset=spiral&seed=0.123&networkShape=6,4&activation=tanh"


def race_session():
    """A session racing tanh (lane 0) against relu (lane 1) on the spiral."""
    session, clock = new_session()
    send(session, {"type": "load_hash", "hash": SPIRAL})
    replies = send(session, {"type": "race_start", "config": {"activation": "relu"}, "seq": 4})
    return session, clock, replies


def lane_frames(session) -> list[dict]:
    lane, frames = unpack_race(session.frame())
    assert lane == session.lane
    return [decode_frame(frame) for frame in frames]


def play(session, clock, frames: int = 20) -> None:
    send(session, {"type": "play"})
    for _ in range(frames):
        clock.advance(1 / 60)
        session.tick()
    send(session, {"type": "pause"})


def test_race_this_makes_two_lanes_from_the_same_start():
    session, _, replies = race_session()
    config = of_type(replies, "config")[0]
    race = of_type(replies, "race")[0]["race"]
    assert config["seq"] == 4 and config["config"]["activation"] == "relu"  # the new lane
    assert [lane["config"]["activation"] for lane in race["lanes"]] == ["tanh", "relu"]
    assert race["lane"] == 1 and race["winner"] is None and "race=activation%3Drelu" in race["hash"]
    assert config["hash"] == race["hash"]  # the page's link is the race
    tanh, relu = lane_frames(session)
    assert tanh["epoch"] == relu["epoch"] == 0
    for a, b in zip(tanh["weights"], relu["weights"], strict=True):
        assert a.tobytes() == b.tobytes()


def test_one_play_trains_every_lane_epoch_for_epoch_as_each_alone():
    session, clock, _ = race_session()
    play(session, clock)
    tanh, relu = lane_frames(session)
    assert tanh["epoch"] == relu["epoch"] == session.race.epoch > 0
    alone = Run.from_hash(SPIRAL + "&activation=relu")
    alone.step(relu["epoch"])
    assert session.race.lanes[1].weights[0].tobytes() == alone.weights[0].tobytes()
    assert relu["test_loss"] == np.float32(alone.losses()["test"])


class SlowClock(FakeClock):
    """Time moves 5 ms at every reading: a lane's epoch outlasts a chunk (4 ms), as the
    largest networks' do on a busy machine."""

    def __call__(self) -> float:
        self.now += 0.005
        return self.now


def test_a_chunk_trains_one_lane_and_the_lanes_are_shown_and_kept_at_one_epoch():
    clock = SlowClock()
    session = Session(Settings(), clock=clock)
    session.start()
    send(session, {"type": "load_hash", "hash": SPIRAL})
    send(session, {"type": "race_start", "config": {"activation": "relu"}})
    session.frame()
    send(session, {"type": "ack", "frame": session.frame_id})
    send(session, {"type": "play"})
    clock.advance(0.1)
    session.tick()  # lane 0's epoch, then the chunk's time is up
    tanh, relu = session.race.lanes
    assert (tanh.epoch, relu.epoch) == (1, 0)
    assert not session.wants_frame() and session.idle_seconds() == 0.0  # lane 1 is due now
    session.tick()
    assert tanh.epoch == relu.epoch == 1 and session.wants_frame()
    assert [f["epoch"] for f in lane_frames(session)] == [1, 1]
    session.tick()
    assert (tanh.epoch, relu.epoch) == (2, 1)
    replies = send(session, {"type": "pause"})  # a message sees every lane at one epoch
    snapshot = of_type(replies, "snapshot")[-1]["snapshot"]
    assert snapshot["epoch"] == snapshot["race"]["lanes"][0]["epoch"] == 2
    assert tanh.epoch == relu.epoch == 2 and not session.mid_round()
    alone = Run.from_hash(SPIRAL + "&activation=relu")
    alone.step(2)
    assert relu.weights[0].tobytes() == alone.weights[0].tobytes()


def test_the_winner_is_sent_when_a_lane_reaches_the_target():
    session, _ = new_session()
    send(session, {"type": "load_hash", "hash": "dataset=circle&seed=0.7&learningRate=0.1"})
    send(session, {"type": "race_start", "config": {"activation": "relu"}})
    target = 0.98 * min(lane.losses()["test"] for lane in session.race.lanes)
    reply = of_type(send(session, {"type": "race_target", "target_loss": target}), "race")
    assert reply[0]["race"]["winner"] is None and reply[0]["race"]["target_loss"] == target
    races = of_type(send(session, {"type": "step", "epochs": 40}), "race")
    while session.steps_owed:
        session.tick()
        races += of_type(session.take_outbox(), "race")
    winner = races[0]["race"]["winner"]
    assert len(races) == 1 and 1 <= winner["epoch"] <= 40 and winner["test_loss"] <= target
    assert winner["lane"] in (0, 1) and winner["seconds"] > 0
    errors = of_type(send(session, {"type": "race_target", "target_loss": -1}), "error")
    assert errors[0]["field"] == "target_loss"


def test_a_lane_s_controls_edit_that_lane_only():
    session, _, _ = race_session()
    send(session, {"type": "race_lane", "lane": 0})
    change = {"type": "configure", "config": {"learningRate": 0.1}}
    config = of_type(send(session, change), "config")
    assert config[0]["config"]["learningRate"] == 0.1
    rates = [lane.config["learningRate"] for lane in session.race.lanes]
    assert rates == [0.1, 0.03]
    error = of_type(send(session, {"type": "configure", "config": {"dataset": "xor"}}), "error")
    assert "share their data" in error[0]["message"] and session.race.lanes[0].config["dataset"]
    assert of_type(send(session, {"type": "regenerate"}), "error")[0]["field"] == "type"
    assert of_type(send(session, {"type": "race_lane", "lane": 5}), "error")[0]["field"] == "lane"


def test_the_race_link_reopens_both_lanes():
    session, _, replies = race_session()
    link = of_type(replies, "race")[0]["race"]["hash"]
    other, _ = new_session()
    replies = send(other, {"type": "load_hash", "hash": link})
    race = of_type(replies, "race")[0]["race"]
    assert [lane["config"]["activation"] for lane in race["lanes"]] == ["tanh", "relu"]
    assert len(lane_frames(other)) == 2


def test_a_race_is_restored_from_its_snapshot_where_it_was():
    session, clock, _ = race_session()
    play(session, clock)
    snapshot = of_type(send(session, {"type": "pause"}), "snapshot")[-1]["snapshot"]
    restored, _ = new_session()
    replies = send(restored, {"type": "restore", "snapshot": snapshot})
    assert of_type(replies, "race")[0]["race"]["lane"] == 1
    before, after = session.race.lanes, restored.race.lanes
    assert [r.epoch for r in after] == [r.epoch for r in before]
    assert all(
        a.weights[0].tobytes() == b.weights[0].tobytes() for a, b in zip(after, before, strict=True)
    )
    bad = {**snapshot, "race": {**snapshot["race"], "lane": 9}}
    error = of_type(send(restored, {"type": "restore", "snapshot": bad}), "error")[0]
    assert error["field"] == "snapshot.race.lane" and restored.race is not None


def test_race_end_keeps_the_lane_the_controls_edit():
    session, _, _ = race_session()
    replies = send(session, {"type": "race_end"})
    assert "race" not in of_type(replies, "config")[0] and session.race is None
    assert session.run.config["activation"] == "relu"
    assert decode_frame(session.frame())["epoch"] == 0  # a plain frame again


def test_scrub_shows_a_kept_epoch_and_continue_goes_on_from_it():
    session, _ = new_session()
    send(session, {"type": "load_hash", "hash": SPIRAL})
    send(session, {"type": "step", "epochs": 30})
    history = of_type(send(session, {"type": "history"}), "history")[0]
    assert history["lanes"] == [list(range(31))] and history["now"] == 30
    now = decode_frame(session.frame())
    replay = of_type(send(session, {"type": "scrub", "epoch": 5, "seq": 7}), "replay")[0]
    assert replay == {"type": "replay", "viewing": True, "epoch": 5, "requested": 5, "now": 30,
                      "seq": 7}  # fmt: skip
    then = decode_frame(session.frame())
    assert then["epoch"] == 5 and then["flags"] & protocol.FLAG_REPLAY
    assert not np.array_equal(then["big"], now["big"])  # the map as it was then
    assert session.run.epoch == 30  # scrubbing changes nothing
    back = of_type(send(session, {"type": "back_to_now"}), "replay")[0]
    assert back["viewing"] is False and decode_frame(session.frame())["epoch"] == 30
    send(session, {"type": "scrub", "epoch": 12})
    config = of_type(send(session, {"type": "continue_here"}), "config")[0]
    assert session.run.epoch == 12 and config["history"][-1][0] == 12
    send(session, {"type": "step", "epochs": 3})
    assert decode_frame(session.frame())["epoch"] == 15
    original = Run.from_hash(SPIRAL)
    original.step(15)
    assert session.run.weights[0].tobytes() == original.weights[0].tobytes()


def test_any_other_control_returns_a_scrub_to_now():
    session, _ = new_session()
    send(session, {"type": "step", "epochs": 4})
    send(session, {"type": "scrub", "epoch": 1})
    send(session, {"type": "play"})
    assert session.viewing is None
    errors = of_type(send(session, {"type": "continue_here"}), "error")
    assert "scrub to a kept epoch first" in errors[0]["message"]


def test_a_race_scrubs_and_continues_every_lane():
    session, clock, _ = race_session()
    send(session, {"type": "step", "epochs": 8})
    while session.steps_owed:
        session.tick()
    send(session, {"type": "scrub", "epoch": 3})
    assert [f["epoch"] for f in lane_frames(session)] == [3, 3]
    send(session, {"type": "continue_here"})
    assert [lane.epoch for lane in session.race.lanes] == [3, 3]
    assert session.run is session.race.lanes[1]


def test_the_hidden_layer_view_comes_with_each_frame():
    session, _ = new_session()
    send(session, {"type": "load_hash", "hash": SPIRAL})
    send(session, {"type": "view_layer", "layer": 2, "neurons": [0, 3]})
    session.frame()
    view = of_type(session.take_outbox(), "layer_view")[0]
    assert view["frame"] == session.frame_id and view["layer"] == 2 and view["neurons"] == [0, 3]
    lines = np.frombuffer(base64.b64decode(view["lines"]), "<u2")
    assert lines.size == view["n_lines"] * view["n_samples"] * 2
    points = np.frombuffer(base64.b64decode(view["points"]), "<u2")
    assert points.size == 2 * len(view["labels"]) == 2 * 500
    x0, x1, _, _ = view["bounds"]
    expected = session.run.layer_outputs(session.run.points[0])[2][:, 0]
    np.testing.assert_allclose(x0 + points[0::2] / 65535 * (x1 - x0), expected, atol=1e-3)
    error = of_type(send(session, {"type": "view_layer", "layer": 1, "neurons": [0, 9]}), "error")
    assert error[0]["field"] == "neurons"
    send(session, {"type": "view_layer", "layer": None})
    session.frame()
    assert not of_type(session.take_outbox(), "layer_view")


def test_over_the_websocket_a_race_frame_holds_both_lanes_and_a_layer_view_follows_it():
    with TestClient(create_app()) as client, client.websocket_connect("ws://localhost/ws") as ws:
        assert ws.receive_json()["type"] == "hello"
        ws.send_json({"type": "load_hash", "hash": SPIRAL, "seq": 1})
        ws.send_json({"type": "race_start", "config": {"activation": "relu"}, "seq": 2})
        ws.send_json({"type": "view_layer", "layer": 1, "neurons": [0, 1], "seq": 3})
        ws.send_json({"type": "step", "epochs": 2, "seq": 4})
        frame, view = None, None
        for _ in range(60):
            message = ws.receive()
            if message.get("bytes") is not None:
                data = message["bytes"]
                ws.send_json({"type": "ack", "frame": 10**6})  # every credit back
                if not data.startswith(b"NPR1"):
                    continue  # the run's frame from before the race
                lane, frames = unpack_race(data)
                decoded = [decode_frame(f) for f in frames]
                if decoded[0]["last_seq"] == 4 and decoded[0]["epoch"] == 2:
                    frame = (lane, decoded)
            elif frame is not None and json.loads(message["text"])["type"] == "layer_view":
                view = json.loads(message["text"])
                break
        assert frame is not None and view is not None
        lane, decoded = frame
        assert lane == 1 and [f["epoch"] for f in decoded] == [2, 2]
        assert len({f["frame_id"] for f in decoded}) == 1  # one frame id: one credit, one ack
        assert view["frame"] == decoded[0]["frame_id"] and view["layer"] == 1
