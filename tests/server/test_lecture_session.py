"""The lecture's messages in a Session: one batch at a time, the inspector after it, and a
focused neuron that disappears with its feature."""

from tests.server.helpers import decode_frame, new_session, of_type, send

BATCHES = {"seed": "s", "percTrainData": 10, "batchSize": 10}  # 50 points: 5 updates an epoch


def test_step_batch_trains_one_update_and_the_inspector_follows():
    session, _ = new_session()
    send(session, {"type": "configure", "config": BATCHES})
    send(session, {"type": "inspect", "kind": "weight", "layer": 0, "source": 0, "target": 0})
    before = session.run.weights[0][0, 0]
    replies = send(session, {"type": "step_batch", "seq": 4})
    inspection = of_type(replies, "inspection")[0]["values"]
    assert of_type(replies, "state")[0]["playing"] is False and of_type(replies, "snapshot")
    assert inspection["batch"] == "last_update" and inspection["batch_position"] == [1, 5]
    assert inspection["weight"] == before != session.run.weights[0][0, 0]
    assert session.run.epoch == 0  # one batch of five
    for _ in range(4):
        send(session, {"type": "step_batch"})
    assert session.run.epoch == 1 and decode_frame(session.frame())["epoch"] == 1


def test_switching_off_the_focused_input_shows_the_output_again():
    session, _ = new_session()
    send(session, {"type": "focus", "layer": 0, "neuron": 1})
    replies = send(session, {"type": "configure", "config": {"x": False, "y": False}})
    assert not of_type(replies, "error")
    frame = decode_frame(session.frame())  # the focused input is gone: no internal error
    assert frame["focus_layer"] == -1 and not of_type(session.take_outbox(), "error")
    assert session.run.layer_sizes[0] == 0
