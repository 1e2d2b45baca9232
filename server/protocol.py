"""Wire names of protocol v1 and the validation of client messages (docs/protocol.md)."""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from typing import Any

PROTOCOL_VERSION = 1
SPEEDS = (1, 2, 5, 10, 25, "max")
MAX_STEP_EPOCHS = 1000
MAX_EPOCHS_PER_FRAME = 1000
MAX_WEIGHT = 1000.0
MAX_POINTS = 5000
FRAMES_PER_SECOND = 60  # a speed of n epochs per frame trains 60·n epochs a second
MAX_FRAMES_PER_SECOND = (
    75  # frame cap: above the display rate, so pacing jitter never drops below 60
)

# Client → server message types.
LOAD_HASH = "load_hash"
CONFIGURE = "configure"
PLAY = "play"
PAUSE = "pause"
STEP = "step"
RESET = "reset"
REGENERATE = "regenerate"
SPEED = "speed"
SET_WEIGHT = "set_weight"
SET_BIAS = "set_bias"
FOCUS = "focus"
INSPECT = "inspect"
RESTORE = "restore"
SET_DATA = "set_data"
IMPORT_CSV = "import_csv"
IMPORT_MODEL = "import_model"
EXPORT = "export"
ACK = "ack"
CLIENT_TYPES = (
    LOAD_HASH,
    CONFIGURE,
    PLAY,
    PAUSE,
    STEP,
    RESET,
    REGENERATE,
    SPEED,
    SET_WEIGHT,
    SET_BIAS,
    FOCUS,
    INSPECT,
    RESTORE,
    SET_DATA,
    IMPORT_CSV,
    IMPORT_MODEL,
    EXPORT,
    ACK,
)
EXPORT_FORMATS = ("csv", "model", "predict", "lesson_link")

# Server → client message types.
HELLO = "hello"
CONFIG = "config"
STATE = "state"
SNAPSHOT = "snapshot"
INSPECTION = "inspection"
CSV_REPORT = "csv_report"
EXPORTED = "exported"
ERROR = "error"

# Error codes.
BAD_JSON = "bad_json"
BAD_MESSAGE = "bad_message"
UNKNOWN_TYPE = "unknown_type"
INVALID_VALUE = "invalid_value"
TOO_LARGE = "too_large"
RATE_LIMITED = "rate_limited"
ORIGIN_REFUSED = "origin_refused"
SERVER_FULL = "server_full"
INTERNAL = "internal"

# Frame flags (uint16 at offset 16).
FLAG_PLAYING = 1
FLAG_DIVERGED = 2
FLAG_ACCURACY = 4
FLAG_MULTICLASS = 8
FLAG_VALIDATION = 16
FLAG_REGRESSION = 32


class ProtocolError(Exception):
    """A message the session refuses; becomes an `error` message, never a crash."""

    def __init__(self, code: str, field: str | None, message: str) -> None:
        super().__init__(message)
        self.code, self.field, self.message = code, field, message


@dataclass(frozen=True)
class Command:
    """A validated client message: its type, its seq (if any) and its normalized fields."""

    type: str
    seq: int | None
    fields: dict[str, Any]


def error_message(exc: ProtocolError, seq: int | None = None) -> dict:
    message = {"type": ERROR, "code": exc.code, "field": exc.field, "message": exc.message}
    if seq is not None:
        message["seq"] = seq
    return message


def decode(text: str | bytes) -> dict:
    """Parse one websocket message into a JSON object, or raise ProtocolError."""
    if isinstance(text, bytes):
        raise ProtocolError(BAD_MESSAGE, None, "binary messages are not accepted; send JSON text")
    try:
        message = json.loads(text, parse_constant=_refuse_constant)
    except (ValueError, RecursionError) as exc:
        raise ProtocolError(BAD_JSON, None, f"the message is not valid JSON ({exc})") from None
    if not isinstance(message, dict):
        kind = type(message).__name__
        raise ProtocolError(BAD_MESSAGE, None, f"a message must be a JSON object, not {kind}")
    return message


def _refuse_constant(name: str) -> float:
    raise ValueError(f"{name} is not a number JSON allows")


def parse(message: dict) -> Command:
    """Validate a decoded message against its type's fields."""
    kind = message.get("type")
    if not isinstance(kind, str) or kind not in _PARSERS:
        allowed = ", ".join(CLIENT_TYPES)
        raise ProtocolError(
            UNKNOWN_TYPE, "type", f"type: {kind!r} is unknown; use one of {allowed}"
        )
    seq = message.get("seq")
    if seq is not None:
        seq = integer(message, "seq", 0, 2**32 - 1)
    return Command(kind, seq, _PARSERS[kind](message))


def integer(message: dict, field: str, low: int, high: int, default: int | None = None) -> int:
    value = message.get(field, default)
    if isinstance(value, bool) or not isinstance(value, int):
        raise ProtocolError(
            INVALID_VALUE, field, f"{field}: {value!r} is not an integer from {low} to {high}"
        )
    if not low <= value <= high:
        raise ProtocolError(
            INVALID_VALUE, field, f"{field}: {value} is out of range; use {low} to {high}"
        )
    return value


def number(message: dict, field: str, limit: float) -> float:
    value = message.get(field)
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise ProtocolError(INVALID_VALUE, field, f"{field}: {value!r} is not a finite number")
    if abs(value) > limit:
        raise ProtocolError(
            INVALID_VALUE, field, f"{field}: {value} is too large; use -{limit:g} to {limit:g}"
        )
    return float(value)


def boolean(message: dict, field: str, default: bool) -> bool:
    value = message.get(field, default)
    if not isinstance(value, bool):
        raise ProtocolError(INVALID_VALUE, field, f"{field}: {value!r} is not true or false")
    return value


def obj(message: dict, field: str) -> dict:
    value = message.get(field)
    if not isinstance(value, dict):
        raise ProtocolError(INVALID_VALUE, field, f"{field}: expected an object, got {value!r:.80}")
    return value


def _no_fields(message: dict) -> dict:
    return {}


def _load_hash(message: dict) -> dict:
    value = message.get("hash", "")
    if not isinstance(value, str) or len(value) > 20_000:
        raise ProtocolError(INVALID_VALUE, "hash", "hash: expected a string of at most 20000 chars")
    return {"hash": value}


def _step(message: dict) -> dict:
    return {"epochs": integer(message, "epochs", 1, MAX_STEP_EPOCHS, default=1)}


def _speed(message: dict) -> dict:
    value = message.get("epochs_per_frame")
    if value == "max":
        return {"epochs_per_frame": "max"}
    return {"epochs_per_frame": integer(message, "epochs_per_frame", 1, MAX_EPOCHS_PER_FRAME)}


def _set_weight(message: dict) -> dict:
    return {
        "layer": integer(message, "layer", 0, 255),
        "source": integer(message, "source", 0, 255),
        "target": integer(message, "target", 0, 255),
        "value": number(message, "value", MAX_WEIGHT),
    }


def _set_bias(message: dict) -> dict:
    return {
        "layer": integer(message, "layer", 0, 255),
        "neuron": integer(message, "neuron", 0, 255),
        "value": number(message, "value", MAX_WEIGHT),
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
            INVALID_VALUE, "kind", f"kind: {kind!r} is not 'weight', 'bias' or null"
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
        raise ProtocolError(INVALID_VALUE, "point", f"point: {value!r:.80} is not [x, y] or null")
    pair = {"x": value[0], "y": value[1]}
    return (number(pair, "x", 100.0), number(pair, "y", 100.0))


def _restore(message: dict) -> dict:
    return {"snapshot": obj(message, "snapshot")}


def _configure(message: dict) -> dict:
    return {"config": obj(message, "config")}


def _set_data(message: dict) -> dict:
    points = message.get("points")
    if not isinstance(points, list) or len(points) > MAX_POINTS:
        raise ProtocolError(
            INVALID_VALUE,
            "points",
            f"points: expected a list of at most {MAX_POINTS} [x, y, label]",
        )
    rows = []
    for index, row in enumerate(points):
        field = f"points[{index}]"
        if not isinstance(row, list) or len(row) != 3:
            raise ProtocolError(INVALID_VALUE, field, f"{field}: {row!r:.60} is not [x, y, label]")
        rows.append([number({field: value}, field, 1e6) for value in row])
    return {"points": rows}


def _import_csv(message: dict) -> dict:
    text = message.get("text")
    if not isinstance(text, str):
        raise ProtocolError(INVALID_VALUE, "text", "text: expected the CSV file's text")
    return {
        "text": text,
        "rescale": boolean(message, "rescale", False),
        "apply_valid": boolean(message, "apply_valid", False),
    }


def _export(message: dict) -> dict:
    kind = message.get("format")
    if kind not in EXPORT_FORMATS:
        allowed = ", ".join(EXPORT_FORMATS)
        raise ProtocolError(INVALID_VALUE, "format", f"format: {kind!r} is not one of {allowed}")
    return {"format": kind, "include_weights": boolean(message, "include_weights", True)}


def _ack(message: dict) -> dict:
    return {"frame": integer(message, "frame", 0, 2**32 - 1)}


_PARSERS = {
    LOAD_HASH: _load_hash,
    CONFIGURE: _configure,
    PLAY: _no_fields,
    PAUSE: _no_fields,
    STEP: _step,
    RESET: lambda message: {"same_weights": boolean(message, "same_weights", False)},
    REGENERATE: _no_fields,
    SPEED: _speed,
    SET_WEIGHT: _set_weight,
    SET_BIAS: _set_bias,
    FOCUS: _focus,
    INSPECT: _inspect,
    RESTORE: _restore,
    SET_DATA: _set_data,
    IMPORT_CSV: _import_csv,
    IMPORT_MODEL: lambda message: {"model": obj(message, "model")},
    EXPORT: _export,
    ACK: _ack,
}
