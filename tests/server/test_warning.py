"""A run frozen in saturation is explained once and trains on, as the reference does."""

from tests.server.helpers import new_session, of_type, send


def test_a_frozen_run_is_warned_about_and_keeps_training():
    session, _ = new_session()
    send(session, {"type": "configure", "config": {"learningRate": 10, "seed": "0.5"}})
    replies = send(session, {"type": "step", "epochs": 100})
    while session.steps_owed:  # a step is trained chunk by chunk
        session.tick()
    replies += session.take_outbox()
    assert session.run.epoch == 100 and not session.run.diverged
    states = of_type(replies, "state")
    assert states and "stopped moving" in states[-1]["warning"]["message"]
    assert states[-1]["diverged"] is None
