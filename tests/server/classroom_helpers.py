"""Shared pieces of the class tests: start a class, read until a message, a student."""

from __future__ import annotations

import json

TEACHER_TIMEOUT = 120  # messages a busy machine takes long to send (a bound, not a speed)


def start_class(client) -> dict:
    reply = client.post("/class/new")
    assert reply.status_code == 200, reply.text
    return reply.json()


def until(ws, predicate, limit: int = 400):
    """Read (JSON text, answering frames with acks) until `predicate(message)` holds."""
    for _ in range(limit):
        raw = ws.receive()
        if raw.get("bytes") is not None:
            ws.send_text(json.dumps({"type": "ack", "frame": 1 << 31}))
            continue
        if raw.get("text") is None:
            raise AssertionError(f"the socket closed: {raw}")
        message = json.loads(raw["text"])
        if predicate(message):
            return message
    raise AssertionError("the message never came")


def of_kind(kind: str):
    return lambda message: message["type"] == kind


def student_in_gallery(name: str):
    def seen(message: dict) -> bool:
        return message["type"] == "gallery" and any(s["name"] == name for s in message["students"])

    return seen
