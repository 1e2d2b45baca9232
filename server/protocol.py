"""Wire names of protocol v1 (docs/protocol.md): message types, error codes, flags, limits."""

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
MIN_FRAMES_PER_SECOND = 24  # a busy worker draws less often, but no less often than this
# A race's floor: its lanes are compared frame by frame, so a busy worker trains them fewer
# epochs before it draws them less often than this (above the 30 a second that a race of
# two lanes of the largest networks must show, so pacing jitter does not take it under).
RACE_MIN_FRAMES_PER_SECOND = 40
MAX_TEXT = 300  # characters of an error message or a notice: hostile values are quoted short
MAX_NOTICES = 20

# Client → server message types.
LOAD_HASH = "load_hash"
CONFIGURE = "configure"
PLAY = "play"
PAUSE = "pause"
STEP = "step"
STEP_BATCH = "step_batch"
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
RACE_START = "race_start"
RACE_ADD = "race_add"
RACE_LANE = "race_lane"
RACE_REMOVE = "race_remove"
RACE_END = "race_end"
RACE_TARGET = "race_target"
HISTORY = "history"  # also the reply's type
SCRUB = "scrub"
CONTINUE_HERE = "continue_here"
BACK_TO_NOW = "back_to_now"
VIEW_LAYER = "view_layer"
JOIN_CLASS = "join_class"  # a student's class messages (the teacher's are TEACHER_TYPES)
LEAVE_CLASS = "leave_class"
UNDO_PUSH = "undo_push"
CLIENT_TYPES = (
    LOAD_HASH,
    CONFIGURE,
    PLAY,
    PAUSE,
    STEP,
    STEP_BATCH,
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
    RACE_START,
    RACE_ADD,
    RACE_LANE,
    RACE_REMOVE,
    RACE_END,
    RACE_TARGET,
    HISTORY,
    SCRUB,
    CONTINUE_HERE,
    BACK_TO_NOW,
    VIEW_LAYER,
    JOIN_CLASS,
    LEAVE_CLASS,
    UNDO_PUSH,
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
RACE = "race"
REPLAY = "replay"
LAYER_VIEW = "layer_view"

# Error codes.
BAD_JSON = "bad_json"
BAD_MESSAGE = "bad_message"
UNKNOWN_TYPE = "unknown_type"
INVALID_VALUE = "invalid_value"
TOO_LARGE = "too_large"
RATE_LIMITED = "rate_limited"
ORIGIN_REFUSED = "origin_refused"
HOST_REFUSED = "host_refused"
SERVER_FULL = "server_full"
INTERNAL = "internal"

# Frame flags (uint16 at offset 16).
FLAG_PLAYING = 1
FLAG_DIVERGED = 2
FLAG_ACCURACY = 4
FLAG_MULTICLASS = 8
FLAG_VALIDATION = 16
FLAG_REGRESSION = 32
FLAG_REPLAY = 64  # the frame shows a kept epoch (a scrub), not the run now


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
    field = exc.field if exc.field is None else short_text(exc.field, 80)
    message = {"type": ERROR, "code": exc.code, "field": field, "message": short_text(exc.message)}
    if seq is not None:
        message["seq"] = seq
    return message


def short_text(text: str, limit: int = MAX_TEXT) -> str:
    """A text for the page, at most `limit` characters ("…" marks a cut)."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


def short_notices(notices: list[str]) -> list[str]:
    """At most MAX_NOTICES short notices; the count of the others in a last one."""
    kept = [short_text(n) for n in notices[:MAX_NOTICES]]
    if len(notices) > MAX_NOTICES:
        kept.append(f"and {len(notices) - MAX_NOTICES} more notices like these")
    return kept


COMPACT = (",", ":")


def encode(message: dict) -> str:
    """A message as JSON text the browser can parse: NaN and infinity (which JSON has not)
    become null, wherever they are. Compact: no spaces after separators."""
    try:
        return json.dumps(message, allow_nan=False, separators=COMPACT)
    except ValueError:
        return json.dumps(_finite(message), allow_nan=False, separators=COMPACT)


def _finite(value: Any) -> Any:
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, dict):
        return {key: _finite(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_finite(item) for item in value]
    return value


# ----- classes (docs/protocol.md, "Classes") -------------------------------------------

# The teacher's messages on /ws/class (TEACH first, with the secret); refused on /ws.
TEACH = "teach"
PUSH = "push"
FREEZE = "freeze"
SPOTLIGHT = "spotlight"
SET_GOAL = "set_goal"
EXPORT_RESULTS = "export_results"
TEACHER_TYPES = (TEACH, PUSH, FREEZE, SPOTLIGHT, SET_GOAL, EXPORT_RESULTS)
# What a frozen class's students may still send: nothing that changes or trains their run.
FROZEN_ALLOWED = (ACK, FOCUS, INSPECT, EXPORT, HISTORY, VIEW_LAYER, JOIN_CLASS, LEAVE_CLASS)

# Server → student.
CLASS = "class"  # joined, or the class's state changed (frozen, goal, standing)
CLASS_PUSHED = "class_pushed"  # the teacher replaced the run; undo_push brings it back
CLASS_LEFT = "class_left"
# Server → teacher.
CLASS_INFO = "class_info"
GALLERY = "gallery"
SPOTLIGHT_CONFIG = "spotlight_config"  # the spotlit student's config or state message
PUSHED = "pushed"

# Error codes.
NOT_TEACHER = "not_teacher"
FROZEN = "frozen"
NO_CLASS = "no_class"
CLASS_FULL = "class_full"

MAX_NAME = 40  # characters of a student's display name
