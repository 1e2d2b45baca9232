"""Wire names of protocol v1 (docs/protocol.md): message types, error codes, flags, limits."""

from __future__ import annotations

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
MIN_FRAMES_PER_SECOND = 24  # a busy worker draws less often, but no less often than this

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
