"""The Session without a socket: every message, pacing, flow control, errors, restore."""

import json

import numpy as np
import pytest

from server import protocol
from tests.server.helpers import decode_frame, new_session, of_type, send


def test_start_sends_the_configuration_and_a_snapshot():
    session, _ = new_session()
    session.start()
    messages = session.take_outbox()
    assert [m["type"] for m in messages] == ["config", "snapshot", "state"]
    config = messages[0]
    assert config["config"]["activation"] == "tanh" and config["layer_sizes"] == [2, 4, 2, 1]
    assert len(config["data"]["train"]) == 250 and len(config["data"]["test"]) == 250
    assert set(config["feature_maps"]) == {
        "x",
        "y",
        "xSquared",
        "ySquared",
        "xTimesY",
        "sinX",
        "sinY",
    }


def test_hello_carries_registries_and_limits():
    session, _ = new_session()
    hello = session.hello()
    assert hello["protocol"] == 1
    names = [entry["name"] for entry in hello["registries"]["activations"]]
    assert {"relu", "tanh", "sigmoid", "linear", "step", "leaky_relu", "gelu"} <= set(names)
    assert hello["server"]["speeds"] == [1, 2, 5, 10, 25, "max"]
    previews = hello["previews"]
    assert set(previews["classification"]) == {"circle", "xor", "gauss", "spiral"}
    assert len(previews["multiclass"]["blobs"]) == 120
    assert {label for _, _, label in previews["classification"]["xor"]} == {-1.0, 1.0}
    # the menus' words are the engine's: the reference's titles, none made from a wire name
    registries = hello["registries"]
    assert registries["regularizations"][0] == {"name": "none", "label": "None"}
    assert registries["problems"][1] == {"name": "regression", "label": "Regression"}
    assert registries["datasets"]["regression"] == [
        {"name": "reg-plane", "label": "Plane"},
        {"name": "reg-gauss", "label": "Multi gaussian"},
    ]
    assert registries["datasets"]["classification"][1] == {"name": "xor", "label": "Exclusive or"}


def test_step_advances_exactly_and_frames_show_it():
    session, _ = new_session()
    session.take_outbox()
    messages = send(session, {"type": "step", "epochs": 3, "seq": 9})
    assert of_type(messages, "state") and of_type(messages, "snapshot")
    assert session.run.epoch == 3
    frame = decode_frame(session.frame())
    assert frame["epoch"] == 3 and frame["last_seq"] == 9 and frame["sizes"] == [2, 4, 2, 1]
    np.testing.assert_allclose(frame["weights"][0], session.run.weights[0], rtol=1e-6)


def test_live_change_keeps_the_weights_and_rebuild_changes_them():
    session, _ = new_session()
    before = [w.copy() for w in session.run.weights]
    reply = of_type(send(session, {"type": "configure", "config": {"learningRate": 0.3}}), "config")
    assert reply[0]["change"] == "live" and reply[0]["config"]["learningRate"] == 0.3
    assert all(np.array_equal(a, b) for a, b in zip(before, session.run.weights, strict=True))
    reply = of_type(send(session, {"type": "configure", "config": {"networkShape": [3]}}), "config")
    assert reply[0]["change"] == "rebuild" and reply[0]["layer_sizes"] == [2, 3, 1]


def test_a_live_echo_leaves_out_what_a_live_change_cannot_touch():
    """Data, loss history and feature maps stay with the page on a live change (a 2 KB echo
    instead of up to 100 KB); a rebuild or new data sends them again."""
    session, _ = new_session()
    send(session, {"type": "step", "epochs": 5})
    live = of_type(send(session, {"type": "configure", "config": {"learningRate": 0.1}}), "config")
    assert live[0]["change"] == "live"
    assert not {"data", "history", "feature_maps"} & live[0].keys()
    assert len(json.dumps(live[0])) < 4000
    rebuild = {"type": "configure", "config": {"networkShape": [3]}}
    rebuilt = of_type(send(session, rebuild), "config")
    assert len(rebuilt[0]["data"]["train"]) == len(session.run.train_data[0])
    assert rebuilt[0]["history"] and len(rebuilt[0]["feature_maps"]) == 7


def test_bad_configuration_is_refused_and_the_run_is_kept():
    session, _ = new_session()
    send(session, {"type": "step"})
    before = json.dumps(session.run.config)
    errors = of_type(
        send(session, {"type": "configure", "config": {"learningRate": -1}, "seq": 5}), "error"
    )
    assert errors[0]["code"] == "invalid_value" and errors[0]["seq"] == 5
    assert "learningRate" in errors[0]["field"] and "-1" in errors[0]["message"]
    assert json.dumps(session.run.config) == before and session.run.epoch == 1


def test_play_trains_at_the_chosen_pace():
    session, clock = new_session()
    send(session, {"type": "speed", "epochs_per_frame": 2})
    send(session, {"type": "play"})
    for _ in range(30):
        clock.advance(1 / 60)
        session.tick()
    assert session.run.epoch == 60  # 2 epochs per frame at 60 frames a second, for half a second
    send(session, {"type": "pause"})
    clock.advance(1)
    session.tick()
    assert session.run.epoch == 60


def test_at_most_two_frames_in_flight_until_acknowledged():
    session, clock = new_session()
    send(session, {"type": "play"})
    sent = []
    for _ in range(20):
        clock.advance(1 / 60)
        session.tick()
        if session.wants_frame():
            sent.append(decode_frame(session.frame()))
    assert len(sent) == 2 and session.in_flight == 2
    assert session.run.epoch > sent[-1]["epoch"]  # training did not wait for the client
    send(session, {"type": "ack", "frame": sent[0]["frame_id"]})
    clock.advance(1 / 60)
    session.tick()
    assert session.wants_frame() and session.in_flight == 1
    send(session, {"type": "ack", "frame": sent[1]["frame_id"] + 5})  # never past the last
    assert session.in_flight == 0
    for _ in range(3):
        clock.advance(1 / 60)
        session.tick()
        session.frame()
    send(session, {"type": "ack", "frame": session.frame_id})  # one ack covers them all
    assert session.in_flight == 0


def test_focus_shows_a_hidden_neuron_in_the_big_map():
    session, _ = new_session()
    output = decode_frame(session.frame())["big"].copy()
    send(session, {"type": "focus", "layer": 1, "neuron": 2})
    focused = decode_frame(session.frame())
    assert (focused["focus_layer"], focused["focus_neuron"]) == (1, 2)
    assert not np.array_equal(output, focused["big"])
    errors = of_type(send(session, {"type": "focus", "layer": 1, "neuron": 9}), "error")
    assert errors and errors[0]["field"] == "neuron"


def test_set_weight_and_bias_apply_and_bad_indices_are_named():
    session, _ = new_session()
    send(session, {"type": "set_weight", "layer": 0, "source": 1, "target": 3, "value": 2.5})
    send(session, {"type": "set_bias", "layer": 1, "neuron": 0, "value": -1.5})
    assert session.run.weights[0][1, 3] == 2.5 and session.run.biases[1][0] == -1.5
    errors = of_type(
        send(session, {"type": "set_weight", "layer": 0, "source": 5, "target": 0, "value": 1}),
        "error",
    )
    assert errors and errors[0]["code"] == "invalid_value"


def test_divergence_stops_playing_and_says_why():
    session, clock = new_session()
    send(session, {"type": "load_hash", "hash": "problem=regression&activation=relu&seed=1"})
    send(session, {"type": "configure", "config": {"learningRate": 10, "networkShape": [8, 8]}})
    send(session, {"type": "speed", "epochs_per_frame": "max"})
    send(session, {"type": "play"})
    for _ in range(200):
        clock.advance(0.01)
        session.tick()
        if not session.playing:
            break
    assert session.run.diverged and not session.playing
    states = of_type(session.take_outbox(), "state")
    assert states[-1]["diverged"]["message"]
    assert decode_frame(session.frame())["flags"] & protocol.FLAG_DIVERGED
    errors = of_type(send(session, {"type": "play"}), "error")
    assert "reset" in errors[0]["message"]
    send(session, {"type": "reset"})
    assert not session.run.diverged and session.run.epoch == 0


def test_rate_limit_drops_excess_messages_but_never_acks():
    session, _ = new_session(max_messages_per_second=10, message_burst=5)
    session.take_outbox()
    replies = [send(session, {"type": "focus", "layer": None}) for _ in range(8)]
    limited = [r for r in replies if of_type(r, "error")]
    assert len(limited) == 3 and limited[0][0]["code"] == "rate_limited"
    assert not of_type(send(session, {"type": "ack", "frame": 0}), "error")


def test_too_large_message():
    session, _ = new_session(max_message_bytes=100)
    errors = of_type(send(session, {"type": "load_hash", "hash": "x" * 200}), "error")
    assert errors[0]["code"] == "too_large"


def test_internal_error_restores_the_last_good_state(monkeypatch):
    session, _ = new_session()
    send(session, {"type": "step", "epochs": 2})
    weights = [w.copy() for w in session.run.weights]

    def broken(epochs=1):
        session.run.weights[0][:] = np.nan
        raise RuntimeError("boom")

    monkeypatch.setattr(session.run, "step", broken)
    errors = of_type(send(session, {"type": "step"}), "error")
    assert errors[0]["code"] == "internal" and "boom" not in errors[0]["message"]
    assert session.run.epoch == 2
    assert all(np.array_equal(a, b) for a, b in zip(weights, session.run.weights, strict=True))


@pytest.mark.parametrize("shape", [[4, 2], [3]])
def test_restore_is_bit_exact_and_continues_identically(shape):
    original, _ = new_session()
    send(
        original,
        {
            "type": "load_hash",
            "hash": "dataset=spiral&noise=20&batchSize=7&seed=0.3&networkShape="
            + ",".join(map(str, shape)),
        },
    )
    send(original, {"type": "configure", "config": {"optimizer": "adam"}})
    send(original, {"type": "step", "epochs": 5})
    snapshot = of_type(original.take_outbox() or send(original, {"type": "pause"}), "snapshot")[-1]
    restored, _ = new_session()
    send(restored, {"type": "restore", "snapshot": json.loads(json.dumps(snapshot["snapshot"]))})
    assert restored.run.epoch == original.run.epoch == 5
    for a, b in zip(
        original.run.weights + original.run.biases,
        restored.run.weights + restored.run.biases,
        strict=True,
    ):
        assert np.array_equal(a, b)
    send(original, {"type": "step", "epochs": 3})
    send(restored, {"type": "step", "epochs": 3})
    for a, b in zip(original.run.weights, restored.run.weights, strict=True):
        assert np.array_equal(a, b)
    assert original.run.losses() == restored.run.losses()


def test_load_hash_reports_unknown_keys_and_hidden_controls():
    session, _ = new_session()
    config = of_type(
        send(
            session, {"type": "load_hash", "hash": "#activation=relu&bogus=1&playButton_hide=true"}
        ),
        "config",
    )[0]
    assert config["config"]["activation"] == "relu"
    assert any("bogus" in notice for notice in config["notices"])
    assert "playButton" in config["hidden"]


def test_inspection_follows_each_step():
    session, _ = new_session()
    reply = of_type(
        send(
            session,
            {
                "type": "inspect",
                "kind": "weight",
                "layer": 1,
                "source": 0,
                "target": 1,
                "point": None,
            },
        ),
        "inspection",
    )
    assert reply and reply[0]["values"]
    after = of_type(send(session, {"type": "step"}), "inspection")
    assert after and after[0]["epoch"] == 1
    errors = of_type(
        send(
            session,
            {
                "type": "inspect",
                "kind": "weight",
                "layer": 7,
                "source": 0,
                "target": 0,
                "point": None,
            },
        ),
        "error",
    )
    assert errors


def test_frames_of_a_diverged_run_pack_infinite_losses():
    session, _ = new_session()
    send(session, {"type": "load_hash", "hash": "problem=regression&activation=relu&seed=1"})
    send(session, {"type": "configure", "config": {"learningRate": 10, "networkShape": [8, 8]}})
    send(session, {"type": "step", "epochs": 5})
    assert session.run.diverged
    frame = decode_frame(session.frame())
    assert frame["flags"] & protocol.FLAG_DIVERGED
    assert not of_type(session.take_outbox(), "error")


def test_a_failing_frame_becomes_an_internal_error_not_a_dead_session(monkeypatch):
    session, _ = new_session()
    send(session, {"type": "step"})
    monkeypatch.setattr(session.run, "evaluate_grid", lambda resolution: 1 / 0)
    assert session.frame() is None
    errors = of_type(session.take_outbox(), "error")
    assert errors[0]["code"] == "internal"
    assert decode_frame(session.frame())["epoch"] == 1  # restored run draws again


def test_csv_with_bad_rows_is_reported_and_not_half_applied():
    session, _ = new_session()
    before = session.run.train_data[0].copy()
    text = "x,y,label\n1,2,1\n-1,-2,-1\nabc,1,1\n3,3,7\n2,-2,1\n"
    report = of_type(send(session, {"type": "import_csv", "text": text}), "csv_report")[0]
    assert report["applied"] is False and report["accepted"] == 3
    assert [r["line"] for r in report["rejected"]] == [4, 5]
    assert "abc" in report["rejected"][0]["reason"]
    assert np.array_equal(session.run.train_data[0], before)
    replies = send(session, {"type": "import_csv", "text": text, "apply_valid": True})
    assert of_type(replies, "csv_report")[0]["applied"] is True
    config = of_type(replies, "config")[0]
    assert config["user_data"] is True
    assert sum(len(config["data"][part]) for part in ("train", "validation", "test")) == 3


def test_exports_and_model_import_round_trip():
    session, _ = new_session()
    send(session, {"type": "step", "epochs": 4})
    files = {
        kind: of_type(send(session, {"type": "export", "format": kind}), "exported")[0]
        for kind in ("csv", "model", "predict", "lesson_link")
    }
    assert files["csv"]["text"].startswith("x,y,label,split")
    assert (
        "def predict" in files["predict"]["text"] and files["predict"]["filename"] == "predict.py"
    )
    assert "weights=" in files["lesson_link"]["text"]
    other, _ = new_session()
    send(other, {"type": "import_model", "model": json.loads(files["model"]["text"])})
    grid = np.array([[x, y] for x in (-5, 0, 3) for y in (-4, 1, 5)], dtype=float)
    assert np.array_equal(other.run.predict(grid), session.run.predict(grid))
    linked, _ = new_session()
    send(linked, {"type": "load_hash", "hash": files["lesson_link"]["text"]})
    assert np.array_equal(linked.run.predict(grid), session.run.predict(grid))
    errors = of_type(send(session, {"type": "import_model", "model": {"format": "nope"}}), "error")
    assert errors and errors[0]["code"] == "invalid_value"


def test_config_carries_the_loss_history_for_the_chart():
    session, _ = new_session()
    send(session, {"type": "step", "epochs": 3})
    config = of_type(send(session, {"type": "regenerate"}), "config")[0]
    assert [point[0] for point in config["history"]] == [0, 1, 2, 3]


def test_csv_with_too_few_valid_rows_reports_every_reason_and_changes_nothing():
    session, _ = new_session()
    report = of_type(
        send(session, {"type": "import_csv", "text": "1,1,1\nq,2,1\n", "apply_valid": True}),
        "csv_report",
    )[0]
    assert report["applied"] is False and report["accepted"] == 1
    assert report["rejected"][0]["line"] == 2 and "not a number" in report["rejected"][0]["reason"]
    assert any("nothing was imported" in note for note in report["notes"])
    assert session.run.user_data is False
