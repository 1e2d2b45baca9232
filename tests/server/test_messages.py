"""Validation of client messages: every bad field is named, every good one normalized."""

import pytest

from server import messages, protocol
from server.protocol import ProtocolError


def parse(message: dict) -> protocol.Command:
    return messages.parse(message)


def refused(message) -> ProtocolError:
    with pytest.raises(ProtocolError) as info:
        if isinstance(message, str | bytes):
            messages.parse(messages.decode(message))
        else:
            messages.parse(message)
    return info.value


def test_malformed_json_is_bad_json():
    error = refused("{not json")
    assert error.code == protocol.BAD_JSON and "not valid JSON" in error.message


@pytest.mark.parametrize("text", ["[1, 2]", "3", '"play"', "null"])
def test_json_that_is_not_an_object(text):
    assert refused(text).code == protocol.BAD_MESSAGE


def test_binary_messages_are_refused():
    assert refused(b"\x00\x01").code == protocol.BAD_MESSAGE


@pytest.mark.parametrize(
    "text", ['{"type": "step", "epochs": NaN}', '{"type": "x", "v": Infinity}']
)
def test_nan_and_infinity_literals_are_not_json(text):
    assert refused(text).code == protocol.BAD_JSON


def test_unknown_type_lists_the_allowed_ones():
    error = refused({"type": "explode"})
    assert error.code == protocol.UNKNOWN_TYPE and error.field == "type"
    assert "play" in error.message and "configure" in error.message


@pytest.mark.parametrize(
    ("message", "field"),
    [
        ({"type": "step", "epochs": 0}, "epochs"),
        ({"type": "step", "epochs": 1001}, "epochs"),
        ({"type": "step", "epochs": 2.5}, "epochs"),
        ({"type": "step", "epochs": True}, "epochs"),
        ({"type": "speed", "epochs_per_frame": "fast"}, "epochs_per_frame"),
        ({"type": "set_weight", "layer": 0, "source": 0, "target": 0}, "value"),
        ({"type": "set_weight", "layer": 0, "source": 0, "target": 0, "value": 1e9}, "value"),
        ({"type": "set_bias", "layer": -1, "neuron": 0, "value": 1}, "layer"),
        ({"type": "focus", "layer": 1}, "neuron"),
        ({"type": "inspect", "kind": "link"}, "kind"),
        (
            {
                "type": "inspect",
                "kind": "weight",
                "layer": 0,
                "source": 0,
                "target": 0,
                "point": [1],
            },
            "point",
        ),
        ({"type": "configure", "config": [1]}, "config"),
        ({"type": "restore", "snapshot": "abc"}, "snapshot"),
        ({"type": "set_data", "points": [[1, 2]]}, "points[0]"),
        ({"type": "set_data", "points": [[1, 2, "a"]]}, "points[0]"),
        ({"type": "ack"}, "frame"),
        ({"type": "play", "seq": -1}, "seq"),
        ({"type": "load_hash", "hash": 5}, "hash"),
    ],
)
def test_invalid_fields_are_named(message, field):
    error = refused(message)
    assert error.code == protocol.INVALID_VALUE
    assert error.field == field
    assert field in error.message


def test_good_messages_are_normalized():
    assert parse({"type": "step"}).fields == {"epochs": 1}
    assert parse({"type": "speed", "epochs_per_frame": "max"}).fields == {"epochs_per_frame": "max"}
    assert parse({"type": "reset", "seq": 4}).seq == 4
    assert parse({"type": "focus", "layer": None}).fields["layer"] is None
    command = parse({"type": "set_weight", "layer": 1, "source": 2, "target": 0, "value": -3})
    assert command.fields == {"layer": 1, "source": 2, "target": 0, "value": -3.0}
    inspect = parse({"type": "inspect", "kind": "bias", "layer": 0, "neuron": 1, "point": [1, -2]})
    assert inspect.fields["point"] == (1.0, -2.0)
