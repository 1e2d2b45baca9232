"""A student joins or leaves a class (the `join_class` and `leave_class` messages)."""

from __future__ import annotations

import logging

from engine.challenges import parse_goal
from server import protocol
from server.classroom.member import Member, new_student_id
from server.classroom.store import FULL, normalized_code
from server.protocol import ProtocolError

log = logging.getLogger("neural_playground.classroom")


async def answer(session, hub, max_class_size: int, wake) -> None:
    """Answer the session's class request (set by its join/leave message); any refusal
    becomes an error message and the session stays as it was."""
    command, session.class_request = session.class_request, None
    try:
        if command.type == protocol.LEAVE_CLASS:
            leave(session)
        else:
            await join(session, hub, command.fields, max_class_size, wake)
    except ProtocolError as exc:
        session.outbox.append(protocol.error_message(exc, command.seq))
    except Exception:  # the class store is unreachable (Redis down): the run goes on alone
        log.exception("a class request failed")
        error = ProtocolError(
            protocol.INTERNAL, "code", "code: the class could not be reached; try again soon"
        )
        session.outbox.append(protocol.error_message(error, command.seq))


def leave(session) -> None:
    if session.member is not None:
        session.member.close()
        session.member = None
        session.outbox.append({"type": protocol.CLASS_LEFT})


async def join(session, hub, fields: dict, max_class_size: int, wake) -> None:
    code = normalized_code(fields["code"])
    if code is None:
        raise ProtocolError(
            protocol.NO_CLASS,
            "code",
            f"code: {fields['code'][:20]!r} is not a class code (4 letters and digits, like 4F2K)",
        )
    old = session.member
    rejoin = old is not None and old.code == code
    student = old.student if rejoin else (fields["student"] or new_student_id())
    count = await hub.call("join", code, student, max_class_size)
    if count is None:
        raise ProtocolError(
            protocol.NO_CLASS, "code", f"code: there is no class {code} (ask the teacher)"
        )
    if count == FULL:
        raise ProtocolError(
            protocol.CLASS_FULL,
            "code",
            f"code: class {code} is full ({max_class_size} students); ask the teacher",
        )
    record = await hub.call("get", code) or {}
    if rejoin:  # the same tile again: no "left" for the gallery
        old.subscription.close()
    elif old is not None:
        leave(session)
    name = fields["name"] or (old.name if rejoin else f"Student {count}")
    member = Member(session, hub, code, name, student, wake)
    member.frozen = session.frozen = bool(record.get("frozen"))
    if record.get("goal") is not None:
        member.goal = parse_goal(record["goal"])
    if member.frozen:
        session.pause()
    session.member = member
    member.queue_class_state()
