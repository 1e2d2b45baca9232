"""Validation of client messages: each type's fields checked and normalized, or refused
with a ProtocolError naming the field, the value and what is allowed."""

from __future__ import annotations

import json
import math
import re
import sys
from typing import Any

from engine.validation import shown
from server import protocol
from server.protocol import Command, ProtocolError

_HEX = re.compile(r"[0-9a-f]+")


def check_size(text: str | bytes, limit: int) -> None:
    """Refuse a message of more than `limit` bytes as UTF-8 (what it costs on the wire):
    a million "€" is 3 MB, not 1 MB."""
    size, at_least = len(text), False
    if isinstance(text, str) and limit // 4 < size <= limit:  # a character is 1 to 4 bytes
        size = len(text.encode("utf-8", "surrogatepass"))
    elif isinstance(text, str) and size > limit:
        at_least = True  # so many characters are at least so many bytes
    if size > limit:
        raise ProtocolError(
            protocol.TOO_LARGE,
            None,
            f"the message has {'at least ' * at_least}{size} bytes; the limit is {limit}",
        )


def decode(text: str | bytes) -> dict:
    """Parse one websocket message into a JSON object, or raise ProtocolError."""
    if isinstance(text, bytes):
        raise ProtocolError(
            protocol.BAD_MESSAGE, None, "binary messages are not accepted; send JSON text"
        )
    try:
        message = json.loads(text, parse_constant=_refuse_constant)
    except (ValueError, RecursionError) as exc:
        reason = "nested too deeply" if isinstance(exc, RecursionError) else str(exc)[:200]
        raise ProtocolError(
            protocol.BAD_JSON, None, f"the message is not valid JSON ({reason})"
        ) from None
    if not isinstance(message, dict):
        kind = type(message).__name__
        raise ProtocolError(
            protocol.BAD_MESSAGE, None, f"a message must be a JSON object, not {kind}"
        )
    return message


def _refuse_constant(name: str) -> float:
    raise ValueError(f"{name} is not a number JSON allows")


def parse(message: dict) -> Command:
    """Validate a decoded message against its type's fields."""
    kind = message.get("type")
    if kind in protocol.TEACHER_TYPES:
        raise ProtocolError(
            protocol.NOT_TEACHER,
            "type",
            f"type: {kind} is the teacher's; only the class's dashboard link may send it",
        )
    if not isinstance(kind, str) or kind not in _PARSERS:
        allowed = ", ".join(protocol.CLIENT_TYPES)
        raise ProtocolError(
            protocol.UNKNOWN_TYPE, "type", f"type: {shown(kind)} is unknown; use one of {allowed}"
        )
    seq = message.get("seq")
    if seq is not None:
        seq = integer(message, "seq", 0, 2**32 - 1)
    return Command(kind, seq, _PARSERS[kind](message))


def integer(message: dict, field: str, low: int, high: int, default: int | None = None) -> int:
    value = message.get(field, default)
    if isinstance(value, bool) or not isinstance(value, int):
        raise ProtocolError(
            protocol.INVALID_VALUE,
            field,
            f"{field}: {shown(value)} is not an integer from {low} to {high}",
        )
    if not low <= value <= high:
        raise ProtocolError(
            protocol.INVALID_VALUE,
            field,
            f"{field}: {shown(value)} is out of range; use {low} to {high}",
        )
    return value


def number(message: dict, field: str, limit: float, name: str | None = None) -> float:
    """A finite number in -limit..limit; `name` is the field errors name (default `field`)."""
    value, name = message.get(field), name or field
    if not _real(value):
        raise ProtocolError(
            protocol.INVALID_VALUE, name, f"{name}: {shown(value)} is not a finite number"
        )
    if abs(value) > limit:
        raise ProtocolError(
            protocol.INVALID_VALUE,
            name,
            f"{name}: {shown(value)} is too large; use -{limit:g} to {limit:g}",
        )
    return float(value)


def _real(value: Any) -> bool:
    """A finite JSON number: an integer of 309 digits is too large for a float, so not."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return False
    return abs(value) <= sys.float_info.max if isinstance(value, int) else math.isfinite(value)


def boolean(message: dict, field: str, default: bool) -> bool:
    value = message.get(field, default)
    if not isinstance(value, bool):
        raise ProtocolError(
            protocol.INVALID_VALUE, field, f"{field}: {shown(value)} is not true or false"
        )
    return value


def obj(message: dict, field: str) -> dict:
    value = message.get(field)
    if not isinstance(value, dict):
        raise ProtocolError(
            protocol.INVALID_VALUE, field, f"{field}: expected an object, got {shown(value)}"
        )
    return value


def _no_fields(message: dict) -> dict:
    return {}


def _load_hash(message: dict) -> dict:
    value = message.get("hash", "")
    if not isinstance(value, str) or len(value) > 20_000:
        raise ProtocolError(
            protocol.INVALID_VALUE, "hash", "hash: expected a string of at most 20000 chars"
        )
    return {"hash": value}


def _step(message: dict) -> dict:
    return {"epochs": integer(message, "epochs", 1, protocol.MAX_STEP_EPOCHS, default=1)}


def _speed(message: dict) -> dict:
    value = message.get("epochs_per_frame")
    if value == "max":
        return {"epochs_per_frame": "max"}
    return {
        "epochs_per_frame": integer(message, "epochs_per_frame", 1, protocol.MAX_EPOCHS_PER_FRAME)
    }


def _set_weight(message: dict) -> dict:
    return {
        "layer": integer(message, "layer", 0, 255),
        "source": integer(message, "source", 0, 255),
        "target": integer(message, "target", 0, 255),
        "value": number(message, "value", protocol.MAX_WEIGHT),
    }


def _set_bias(message: dict) -> dict:
    return {
        "layer": integer(message, "layer", 0, 255),
        "neuron": integer(message, "neuron", 0, 255),
        "value": number(message, "value", protocol.MAX_WEIGHT),
    }


def _focus(message: dict) -> dict:
    if message.get("layer") is None:
        return {"layer": None, "neuron": 0}
    return {
        "layer": integer(message, "layer", 0, 255),
        "neuron": integer(message, "neuron", 0, 255),
    }


def _inspect(message: dict) -> dict:
    kind = message.get("kind")
    if kind is None:
        return {"kind": None}
    if kind not in ("weight", "bias"):
        raise ProtocolError(
            protocol.INVALID_VALUE, "kind", f"kind: {shown(kind)} is not 'weight', 'bias' or null"
        )
    fields: dict[str, Any] = {"kind": kind, "layer": integer(message, "layer", 0, 255)}
    if kind == "weight":
        fields["source"] = integer(message, "source", 0, 255)
        fields["target"] = integer(message, "target", 0, 255)
    else:
        fields["neuron"] = integer(message, "neuron", 0, 255)
    fields["point"] = _point(message.get("point"))
    return fields


def _point(value: Any) -> tuple[float, float] | None:
    if value is None:
        return None
    if not isinstance(value, list) or len(value) != 2:
        raise ProtocolError(
            protocol.INVALID_VALUE, "point", f"point: {shown(value)} is not [x, y] or null"
        )
    pair = {"point[0]": value[0], "point[1]": value[1]}
    return (number(pair, "point[0]", 100.0, "point"), number(pair, "point[1]", 100.0, "point"))


def _restore(message: dict) -> dict:
    return {"snapshot": obj(message, "snapshot")}


def _configure(message: dict) -> dict:
    return {"config": obj(message, "config")}


def _set_data(message: dict) -> dict:
    points = message.get("points")
    if not isinstance(points, list) or len(points) > protocol.MAX_POINTS:
        raise ProtocolError(
            protocol.INVALID_VALUE,
            "points",
            f"points: expected a list of at most {protocol.MAX_POINTS} [x, y, label]",
        )
    rows = []
    for index, row in enumerate(points):
        field = f"points[{index}]"
        if not isinstance(row, list) or len(row) != 3:
            raise ProtocolError(
                protocol.INVALID_VALUE, field, f"{field}: {shown(row)} is not [x, y, label]"
            )
        rows.append([number({field: value}, field, 1e6) for value in row])
    return {"points": rows}


def _import_csv(message: dict) -> dict:
    text = message.get("text")
    if not isinstance(text, str):
        raise ProtocolError(protocol.INVALID_VALUE, "text", "text: expected the CSV file's text")
    return {
        "text": text,
        "rescale": boolean(message, "rescale", False),
        "apply_valid": boolean(message, "apply_valid", False),
    }


def _export(message: dict) -> dict:
    kind = message.get("format")
    if kind not in protocol.EXPORT_FORMATS:
        allowed = ", ".join(protocol.EXPORT_FORMATS)
        raise ProtocolError(
            protocol.INVALID_VALUE, "format", f"format: {shown(kind)} is not one of {allowed}"
        )
    return {"format": kind, "include_weights": boolean(message, "include_weights", True)}


def _join_class(message: dict) -> dict:
    code = message.get("code")
    if not isinstance(code, str) or len(code) > 20:
        raise ProtocolError(protocol.INVALID_VALUE, "code", "code: expected the class's code")
    student = message.get("student")  # the page's id in this class, to rejoin as itself
    if student is not None and (
        not isinstance(student, str) or len(student) != 16 or not _HEX.fullmatch(student)
    ):
        raise ProtocolError(
            protocol.INVALID_VALUE, "student", "student: expected the id the class gave, or null"
        )
    return {"code": code, "name": display_name(message.get("name")), "student": student}


def display_name(value: Any) -> str | None:
    """A student's name as the gallery shows it: printable, single-line, short; None (or
    empty) leaves the class's "Student N"."""
    if value is None:
        return None
    if not isinstance(value, str):
        raise ProtocolError(protocol.INVALID_VALUE, "name", "name: expected text or null")
    name = " ".join("".join(c for c in value if c.isprintable()).split())
    if len(name) > protocol.MAX_NAME:
        raise ProtocolError(
            protocol.INVALID_VALUE,
            "name",
            f"name: {len(name)} characters is too long; at most {protocol.MAX_NAME}",
        )
    return name or None


def _ack(message: dict) -> dict:
    return {"frame": integer(message, "frame", 0, 2**32 - 1)}


def _lane_config(message: dict) -> dict:
    config = message.get("config", {})
    if not isinstance(config, dict):
        raise ProtocolError(
            protocol.INVALID_VALUE, "config", f"config: expected an object, got {shown(config)}"
        )
    return {"config": config}


def _target(message: dict) -> dict:
    value = number(message, "target_loss", 10.0)
    if value <= 0:
        raise ProtocolError(
            protocol.INVALID_VALUE, "target_loss", "target_loss: use a number in (0, 10)"
        )
    return {"target_loss": value}


def _view_layer(message: dict) -> dict:
    if message.get("layer") is None:
        return {"layer": None, "neurons": None}
    neurons = message.get("neurons")
    if neurons is not None:
        if not isinstance(neurons, list) or len(neurons) != 2:
            raise ProtocolError(
                protocol.INVALID_VALUE, "neurons", f"neurons: {shown(neurons)} is not [i, j]"
            )
        pair = {"neurons": neurons[0]}, {"neurons": neurons[1]}
        neurons = [integer(p, "neurons", 0, 255) for p in pair]
    return {"layer": integer(message, "layer", 0, 255), "neurons": neurons}


_PARSERS = {
    protocol.LOAD_HASH: _load_hash,
    protocol.CONFIGURE: _configure,
    protocol.PLAY: _no_fields,
    protocol.PAUSE: _no_fields,
    protocol.STEP: _step,
    protocol.STEP_BATCH: _no_fields,
    protocol.RESET: lambda message: {"same_weights": boolean(message, "same_weights", False)},
    protocol.REGENERATE: _no_fields,
    protocol.SPEED: _speed,
    protocol.SET_WEIGHT: _set_weight,
    protocol.SET_BIAS: _set_bias,
    protocol.FOCUS: _focus,
    protocol.INSPECT: _inspect,
    protocol.RESTORE: _restore,
    protocol.SET_DATA: _set_data,
    protocol.IMPORT_CSV: _import_csv,
    protocol.IMPORT_MODEL: lambda message: {"model": obj(message, "model")},
    protocol.EXPORT: _export,
    protocol.ACK: _ack,
    protocol.RACE_START: _lane_config,
    protocol.RACE_ADD: _lane_config,
    protocol.RACE_LANE: lambda message: {"lane": integer(message, "lane", 0, 255)},
    protocol.RACE_REMOVE: lambda message: {"lane": integer(message, "lane", 0, 255)},
    protocol.RACE_END: _no_fields,
    protocol.RACE_TARGET: _target,
    protocol.HISTORY: _no_fields,
    protocol.SCRUB: lambda message: {"epoch": integer(message, "epoch", 0, 10**9)},
    protocol.CONTINUE_HERE: _no_fields,
    protocol.BACK_TO_NOW: _no_fields,
    protocol.VIEW_LAYER: _view_layer,
    protocol.JOIN_CLASS: _join_class,
    protocol.LEAVE_CLASS: _no_fields,
    protocol.UNDO_PUSH: _no_fields,
}
