"""Replies sized to what changed: a paused live change gets its echo and a small state, the
snapshot only when more than the configuration changed, and no frame."""

import engine
from tests.server.helpers import new_session, of_type, send


def paused_session():
    session, clock = new_session()
    send(session, {"type": "step", "epochs": 3, "seq": 1})
    session.frame()
    send(session, {"type": "ack", "frame": session.frame_id})
    session.take_outbox()
    assert not session.frame_wanted()
    return session


def kept_snapshot_after(replies, snapshot):
    """What the page keeps: the latest snapshot sent, with a live echo's configuration."""
    for message in replies:
        if message["type"] == "snapshot":
            snapshot = message["snapshot"]
        elif message["type"] == "config" and message["change"] == "live":
            snapshot = {**snapshot, "config": message["config"]}
    return snapshot


def test_a_paused_learning_rate_change_sends_its_echo_and_a_state_no_snapshot_no_frame():
    session = paused_session()
    replies = send(session, {"type": "configure", "config": {"learningRate": 0.1}, "seq": 2})
    assert [m["type"] for m in replies] == ["config", "state"]
    assert replies[1]["seq"] == 2 and replies[1]["playing"] is False
    assert not session.frame_wanted()  # the frame on the page still shows this run


def test_the_snapshot_the_page_keeps_after_live_changes_restores_the_exact_run():
    session = paused_session()
    kept = session.run.snapshot()
    for seq, change in enumerate(
        [{"learningRate": 0.3}, {"showTestData": True}, {"discretize": True},
         {"regularization": "L2", "regularizationRate": 0.01}, {"optimizer": "adam"}],
        start=2,
    ):  # fmt: skip
        kept = kept_snapshot_after(
            send(session, {"type": "configure", "config": change, "seq": seq}), kept
        )
    send(session, {"type": "step", "epochs": 2, "seq": 9})
    restored = engine.Run.from_snapshot(kept)
    restored.step(2)
    assert restored.snapshot() == session.run.snapshot()


def test_a_new_optimizers_state_goes_out_in_a_snapshot():
    session = paused_session()
    replies = send(session, {"type": "configure", "config": {"optimizer": "adam"}, "seq": 2})
    assert of_type(replies, "snapshot")[0]["snapshot"]["config"]["optimizer"] == "adam"


def test_a_change_a_frame_shows_still_gets_a_frame():
    session = paused_session()
    replies = send(session, {"type": "set_bias", "layer": 1, "neuron": 0, "value": 0.5, "seq": 2})
    assert not of_type(replies, "state") and session.frame_wanted()
    session.take_outbox()
    replies = send(session, {"type": "configure", "config": {"activation": "relu"}, "seq": 3})
    assert of_type(replies, "snapshot") and session.frame_wanted()


def test_while_playing_a_live_change_still_shows_in_a_frame_at_once():
    session = paused_session()
    send(session, {"type": "play", "seq": 2})
    replies = send(session, {"type": "configure", "config": {"learningRate": 0.1}, "seq": 3})
    assert not [m for m in replies if m["type"] == "state" and "seq" in m]
    assert session.needs_frame


def test_no_snapshot_follows_a_paused_live_change_later_either():
    session = paused_session()
    session.clock.advance(10 * session.settings.snapshot_interval_s)
    send(session, {"type": "configure", "config": {"learningRate": 0.1}, "seq": 2})
    session.tick()
    assert not of_type(session.take_outbox(), "snapshot")
