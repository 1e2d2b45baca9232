"""Hostile messages (issue 13): each gets an error naming its field; no session is wedged."""

from __future__ import annotations

import json

import pytest

from server import protocol
from server.session import Session
from server.settings import Settings
from tests.server.helpers import FakeClock, decode_frame, new_session, of_type, send


def errors_of(session: Session, text: str) -> list[dict]:
    session.receive(text)
    return of_type(session.take_outbox(), "error")


def the_error(session: Session, message: dict) -> dict:
    errors = of_type(send(session, message), "error")
    assert len(errors) == 1, errors
    assert errors[0]["code"] != protocol.INTERNAL
    return errors[0]


def a_frame_follows(session: Session) -> dict:
    session.receive(json.dumps({"type": "ack", "frame": session.frame_id}))
    session.needs_frame = True
    frame = session.frame()
    assert frame is not None and not of_type(session.take_outbox(), "error")
    return decode_frame(frame)


@pytest.mark.parametrize("epoch", [4294967295, 4294967296, 2**64, 10**30])
def test_a_restore_with_a_huge_epoch_is_refused_and_frames_go_on(epoch):
    session, _ = new_session()
    snapshot = json.loads(json.dumps(session.run.snapshot()))
    snapshot["epoch"] = epoch
    error = the_error(session, {"type": "restore", "snapshot": snapshot})
    assert error["field"] == "snapshot.epoch"
    send(session, {"type": "step"})
    assert a_frame_follows(session)["epoch"] == 1


def test_a_restore_with_a_400_digit_carry_count_is_refused():
    session, _ = new_session()
    snapshot = session.run.snapshot()
    text = json.dumps({"type": "restore", "snapshot": snapshot})
    text = text.replace('"carry_count": 0', '"carry_count": ' + "9" * 400)
    assert errors_of(session, text)[0]["field"] == "snapshot.carry_count"


def test_a_frame_that_fails_costs_no_credit(monkeypatch):
    """Two failed frames used to use up both credits: no frame ever came again."""
    session, _ = new_session()
    a_frame_follows(session)
    import server.racing as module  # where a session packs its frames

    real = module.pack_frame

    def failing(run, info):
        raise RuntimeError("cannot pack")

    monkeypatch.setattr(module, "pack_frame", failing)
    for _ in range(3):
        session.needs_frame = True
        assert session.frame() is None
    monkeypatch.setattr(module, "pack_frame", real)
    session.take_outbox()
    session.needs_frame = True
    assert session.has_credit() and session.frame() is not None


def test_an_epoch_past_a_frames_range_still_packs():
    session, _ = new_session()
    session.run.epoch = 2**40
    session.needs_frame = True
    assert decode_frame(session.frame())["epoch"] == 2**32 - 1


@pytest.mark.parametrize(
    ("message", "field"),
    [
        ({"type": "set_weight", "layer": 0, "source": 0, "target": 0, "value": 10**400}, "value"),
        ({"type": "set_bias", "layer": 0, "neuron": 0, "value": -(10**309)}, "value"),
        ({"type": "inspect", "kind": "bias", "layer": 0, "neuron": 0, "point": [10**400, 0]},
         "point"),
        ({"type": "set_data", "points": [[10**400, 0, 1], [0, 0, -1]]}, "points[0]"),
        ({"type": "configure", "config": {"learningRate": 10**400}}, "learningRate"),
        ({"type": "configure", "config": {"batchSize": 10**400}}, "batchSize"),
        ({"type": "configure", "config": {"noise": 10**400}}, "noise"),
        ({"type": "configure", "config": {"networkShape": [10**400]}}, "networkShape"),
        ({"type": "step", "epochs": 10**400}, "epochs"),
    ],
)  # fmt: skip
def test_integers_of_309_digits_are_invalid_values_naming_the_field(message, field):
    session, _ = new_session()
    error = the_error(session, message)
    assert (error["code"], error["field"]) == (protocol.INVALID_VALUE, field)
    a_frame_follows(session)


@pytest.mark.parametrize(
    "fragment", ["learningRate=0x" + "f" * 300, "networkShape=Infinity", "networkShape=1e400"]
)
def test_a_hash_with_an_enormous_number_gets_a_notice_not_an_internal_error(fragment):
    session, _ = new_session()
    replies = send(session, {"type": "load_hash", "hash": fragment})
    assert not of_type(replies, "error")
    assert of_type(replies, "config")[0]["notices"]


def test_a_deeply_nested_first_message_gets_an_error_and_the_default_run():
    session = Session(Settings(), clock=FakeClock())
    session.receive("[" * 100_000 + "]" * 100_000)
    replies = session.take_outbox()
    assert [m["code"] for m in of_type(replies, "error")] == [protocol.BAD_JSON]
    assert "nested" in of_type(replies, "error")[0]["message"]
    assert of_type(replies, "config") and session.frame() is not None


def test_an_oversized_first_message_is_not_parsed_before_it_is_refused():
    session = Session(Settings(max_message_bytes=1000), clock=FakeClock())
    session.receive(json.dumps({"type": "load_hash", "hash": "x" * 2000}))
    replies = session.take_outbox()
    assert [m["code"] for m in of_type(replies, "error")] == [protocol.TOO_LARGE]
    assert of_type(replies, "config")[0]["layer_sizes"] == [2, 4, 2, 1]


def test_an_infinite_learning_rate_in_a_snapshot_is_refused_and_no_reply_is_invalid_json():
    session, _ = new_session()
    send(session, {"type": "step"})
    text = json.dumps({"type": "restore", "snapshot": session.run.snapshot()})
    rate = json.dumps(session.run.snapshot()["last_update"]["learning_rate"])
    text = text.replace(f'"learning_rate": {rate}', '"learning_rate": 1e400')
    assert "1e400" in text
    errors = errors_of(session, text)
    assert errors[0]["field"] == "snapshot.last_update.learning_rate"


def test_replies_are_always_json_a_browser_parses():
    strict = json.JSONDecoder(parse_constant=lambda name: pytest.fail(f"{name} sent"))
    text = protocol.encode(
        {"type": "inspection", "values": {"z": float("inf"), "h": [float("nan")]}}
    )
    assert strict.decode(text) == {"type": "inspection", "values": {"z": None, "h": [None]}}


@pytest.mark.parametrize(
    ("message", "field"),
    [
        ({"type": "inspect", "kind": "bias", "layer": 1, "neuron": 7}, "neuron"),
        ({"type": "inspect", "kind": "bias", "layer": 9, "neuron": 0}, "layer"),
        ({"type": "inspect", "kind": "weight", "layer": 0, "source": 5, "target": 0}, "source"),
        ({"type": "inspect", "kind": "weight", "layer": 0, "source": 0, "target": 9}, "target"),
        ({"type": "inspect", "kind": "bias", "layer": 0, "neuron": 0, "point": [1e9, 0]}, "point"),
        ({"type": "inspect", "kind": "bias", "layer": 0, "neuron": 0, "point": [0, "a"]}, "point"),
        ({"type": "focus", "layer": 255, "neuron": 0}, "layer"),
        ({"type": "focus", "layer": 1, "neuron": 9}, "neuron"),
    ],
)
def test_errors_name_the_field_that_is_wrong(message, field):
    session, _ = new_session()
    error = the_error(session, message)
    assert (error["code"], error["field"]) == (protocol.INVALID_VALUE, field)
    assert error["message"].startswith(field)


def test_the_size_limit_counts_bytes_not_characters():
    session, _ = new_session()
    text = json.dumps({"type": "load_hash", "hash": "€" * 999_900}, ensure_ascii=False)
    assert len(text) < 1_000_000 < len(text.encode())
    error = errors_of(session, text)[0]
    assert error["code"] == protocol.TOO_LARGE and "bytes" in error["message"]


def test_hostile_values_are_quoted_short_in_notices_and_errors():
    session, _ = new_session()
    notices = of_type(send(session, {"type": "load_hash", "hash": "seed=" + "x" * 19_000}),
                      "config")[0]["notices"]  # fmt: skip
    assert notices and all(len(n) <= protocol.MAX_TEXT for n in notices)
    keys = "&".join(f"k{i}=1" for i in range(1000))
    notices = of_type(send(session, {"type": "load_hash", "hash": keys}), "config")[0]["notices"]
    assert len(notices) == protocol.MAX_NOTICES + 1 and "980 more" in notices[-1]
    error = the_error(session, {"type": "configure", "config": {"activation": "x" * 100_000}})
    assert len(error["message"]) <= protocol.MAX_TEXT
    error = the_error(session, {"type": "export", "format": "y" * 100_000})
    assert len(error["message"]) <= protocol.MAX_TEXT


def test_large_messages_cost_the_rate_limit_by_their_size():
    """120 messages of a 5000-row CSV each, at once, would hold a worker for many seconds:
    a large message counts as one message per message_cost_bytes."""
    session, clock = new_session()
    rows = "\n".join(
        f"{i % 11 - 5}.{i:06d},{i % 7 - 3}.5,{1 if i % 2 else -1}" for i in range(5000)
    )
    csv = json.dumps({"type": "import_csv", "text": rows, "apply_valid": True})
    tokens = 1 + len(csv) // Settings().message_cost_bytes
    replies = [errors_of(session, csv) for _ in range(20)]
    accepted = [r for r in replies if not r]
    assert len(accepted) == Settings().message_burst // tokens < 20
    assert "large message" in replies[-1][0]["message"]
    assert not of_type(send(session, {"type": "focus", "layer": None}), "error")
    clock.advance(tokens / Settings().max_messages_per_second)  # the bucket refills
    assert not errors_of(session, csv)


def test_a_deeply_nested_first_message_over_the_websocket_gets_an_error_not_a_dropped_socket():
    from fastapi.testclient import TestClient

    from server.app import create_app

    with TestClient(create_app()) as client:
        with client.websocket_connect("ws://localhost/ws") as ws:
            assert ws.receive_json()["type"] == "hello"
            ws.send_text("[" * 100_000 + "]" * 100_000)
            replies = [ws.receive_json() for _ in range(4)]  # the default run, then why
            assert [m["type"] for m in replies] == ["config", "snapshot", "state", "error"]
            assert replies[-1]["code"] == protocol.BAD_JSON
            assert ws.receive_bytes()  # and its frame: the session goes on
