"""A student's membership without a socket: what the teacher's commands do to the session,
and what the gallery is told (on the session's injected clock)."""

import base64
import zlib

from server import protocol
from server.classroom import hub as topics
from server.classroom.hub import Hub
from server.classroom.member import IDLE_S, Member
from tests import aio
from tests.server.helpers import new_session, of_type, send

ADA, BO = "a" * 16, "b" * 16


def member(session, student=ADA) -> Member:
    session.member = Member(session, Hub(), "4F2K", "Ada", student, wake=lambda: None)
    return session.member


def test_a_push_to_the_selected_students_reaches_only_them():
    ada_session, _ = new_session()
    bo_session, _ = new_session()
    ada, bo = member(ada_session, ADA), member(bo_session, BO)
    bo.hub = ada.hub = Hub()  # one process: one hub
    for m in (ada, bo):
        m.subscription = m.hub.subscribe(topics.students_topic("4F2K"), m._heard)
    ada.hub.publish(topics.students_topic("4F2K"), {"kind": "push", "hash": "networkShape=5",
                                                      "students": [BO]})  # fmt: skip
    assert not ada.inbox and len(bo.inbox) == 1
    bo.apply_inbox()
    assert bo_session.run.layer_sizes == [2, 5, 1] and ada_session.run.layer_sizes == [2, 4, 2, 1]
    assert of_type(bo_session.take_outbox(), protocol.CLASS_PUSHED)


def test_undo_brings_back_the_run_from_before_the_push_with_its_training():
    session, _ = new_session()
    send(session, {"type": "step", "epochs": 5})
    while session.steps_owed:
        session.tick()
    trained = session.run.snapshot()
    ada = member(session)
    ada.inbox.append({"kind": "push", "hash": "networkShape=1", "students": None})
    ada.apply_inbox()
    assert session.run.epoch == 0
    send(session, {"type": "undo_push"})
    assert session.run.epoch == trained["epoch"] == 5
    assert session.run.snapshot()["params"] == trained["params"]


def test_a_frozen_student_is_paused_and_refused_until_released():
    session, _ = new_session()
    send(session, {"type": "play"})
    ada = member(session)
    ada.inbox.append({"kind": "freeze", "frozen": True, "students": None})
    ada.apply_inbox()
    assert not session.playing
    for message in ({"type": "play"}, {"type": "step"}, {"type": "configure", "config": {}},
                    {"type": "undo_push"}, {"type": "race_start"}):  # fmt: skip
        assert of_type(send(session, message), protocol.ERROR)[0]["code"] == protocol.FROZEN
    assert not of_type(send(session, {"type": "focus", "layer": 1, "neuron": 0}), protocol.ERROR)
    ada.inbox.append({"kind": "freeze", "frozen": False, "students": None})
    ada.apply_inbox()
    assert not of_type(send(session, {"type": "play"}), protocol.ERROR) and session.playing


def test_the_gallery_marks_an_idle_student_and_a_diverged_run():
    session, clock = new_session()
    ada = member(session)
    summary = ada.summary()
    assert not summary["idle"] and len(zlib.decompress(base64.b64decode(summary["map"]))) == 20 * 20
    clock.advance(IDLE_S + 1)
    assert ada.summary()["idle"]
    send(session, {"type": "load_hash", "hash": "seed=0.5&problem=regression&learningRate=10"})
    clock.advance(IDLE_S + 1)
    send(session, {"type": "step", "epochs": 50})
    while session.steps_owed:
        session.tick()
    summary = ada.summary()
    assert summary["diverged"] and not summary["idle"]  # the step was a sign of life


def test_the_spotlight_sends_the_students_config_and_frames_while_its_lease_lasts():
    async def scenario():
        session, clock = new_session()
        ada = member(session)
        seen = []
        ada.hub.subscribe(topics.spotlight_topic("4F2K"), seen.append)
        ada._heard({"kind": "spotlight", "student": ADA, "students": None})
        ada.apply_inbox()
        assert seen[0]["type"] == protocol.SPOTLIGHT_CONFIG and seen[0]["message"]["data"]
        ada.sent([], session.frame())
        assert seen[-1][:16] == ADA.encode() and seen[-1][16:20] == b"NPF1"
        clock.advance(20)  # the dashboard stopped renewing it
        count = len(seen)
        clock.advance(1)
        ada.sent([], session.frame())
        assert len(seen) == count

    aio.run(scenario())
