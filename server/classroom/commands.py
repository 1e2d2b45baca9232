"""The teacher's messages on /ws/class, checked and normalized (or refused, naming the field)."""

from __future__ import annotations

from typing import Any

from engine.challenges import parse_goal
from server import messages, protocol
from server.protocol import Command, ProtocolError

MAX_TARGETS = 200


def parse(text: str | bytes, max_bytes: int) -> Command:
    messages.check_size(text, max_bytes)
    message = messages.decode(text)
    kind = message.get("type")
    if kind not in _PARSERS:
        allowed = ", ".join(_PARSERS)
        raise ProtocolError(
            protocol.UNKNOWN_TYPE,
            "type",
            f"type: {str(kind)[:40]!r} is unknown; use one of {allowed}",
        )
    seq = message.get("seq")
    if seq is not None:
        seq = messages.integer(message, "seq", 0, 2**32 - 1)
    return Command(kind, seq, _PARSERS[kind](message))


def _teach(message: dict) -> dict:
    code, secret = message.get("code"), message.get("secret")
    if not isinstance(code, str) or not isinstance(secret, str):
        raise ProtocolError(protocol.NOT_TEACHER, "secret", "teach: expected code and secret")
    return {"code": code, "secret": secret}


def _students(message: dict) -> list[str] | None:
    value = message.get("students")
    if value is None:
        return None
    if (
        not isinstance(value, list)
        or len(value) > MAX_TARGETS
        or not all(isinstance(s, str) and len(s) == 16 for s in value)
    ):
        raise ProtocolError(
            protocol.INVALID_VALUE, "students", "students: expected null (everyone) or student ids"
        )
    return value


def _push(message: dict) -> dict:
    link = message.get("hash")
    if not isinstance(link, str) or not link.strip("#") or len(link) > 20_000:
        raise ProtocolError(
            protocol.INVALID_VALUE, "hash", "hash: expected a playground or lesson link"
        )
    return {
        "hash": link[link.index("#") + 1 :] if "#" in link else link,
        "include_data": messages.boolean(message, "include_data", True),
        "include_weights": messages.boolean(message, "include_weights", True),
        "students": _students(message),
    }


def _spotlight(message: dict) -> dict:
    student = message.get("student")
    if student is not None and (not isinstance(student, str) or len(student) != 16):
        raise ProtocolError(
            protocol.INVALID_VALUE, "student", "student: expected a student's id or null"
        )
    return {"student": student}


def _goal(message: dict) -> dict:
    raw: Any = message.get("goal")
    try:
        goal = None if raw is None else parse_goal(raw)
    except ValueError as exc:
        field = str(exc).split(":", 1)[0]
        raise ProtocolError(protocol.INVALID_VALUE, field, str(exc)) from None
    return {"goal": goal, "on_pushed_data": messages.boolean(message, "on_pushed_data", False)}


def _export(message: dict) -> dict:
    if message.get("format", "csv") != "csv":
        raise ProtocolError(protocol.INVALID_VALUE, "format", "format: the results are a csv")
    return {"format": "csv"}


_PARSERS = {
    protocol.TEACH: _teach,
    protocol.PUSH: _push,
    protocol.FREEZE: lambda message: {"frozen": messages.boolean(message, "frozen", True)},
    protocol.SPOTLIGHT: _spotlight,
    protocol.SET_GOAL: _goal,
    protocol.EXPORT_RESULTS: _export,
    protocol.ACK: lambda message: {"frame": messages.integer(message, "frame", 0, 2**32 - 1)},
}
