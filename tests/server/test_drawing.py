"""A worker's sessions of one shape get their frames drawn together, each as drawn alone."""

from __future__ import annotations

import pytest

from engine.grid import GridStack, grid_key
from server import drawing
from server.frames import FrameInfo, pack_frame, unpack_header
from server.grouping import TrainingPool
from server.pacing import Cadence
from server.session import Session
from server.settings import Settings
from tests.server.helpers import FakeClock, send

LINK = "#dataset=circle&networkShape=4,2&batchSize=10&seed="


def _class(clock: FakeClock, links: list[str], pool: TrainingPool) -> list[Session]:
    cadence = Cadence(clock=clock)
    sessions = []
    for link in links:
        session = Session(Settings(), clock=clock, cadence=cadence)
        pool.add(session)
        session.start()
        send(session, {"type": "load_hash", "hash": link})
        send(session, {"type": "play"})
        sessions.append(session)
    return sessions


def _alone(session: Session, frame: bytes) -> bytes:
    """The frame this session's run gives when it is drawn on its own."""
    header = unpack_header(frame)
    info = FrameInfo(
        header["frame_id"], header["last_seq"], session.playing, header["epochs_per_second"],
        *session.focus,
    )  # fmt: skip
    return pack_frame(session.run, info)


def _play(sessions: list[Session], clock: FakeClock, ticks: int) -> list[tuple[Session, bool]]:
    """Tick every session and take each frame it wants (its page acknowledges it); for
    each frame, whether it is the frame its run gives drawn alone at that moment."""
    sent = []
    for _ in range(ticks):
        clock.advance(1 / 60)
        for session in sessions:
            session.tick()
            if session.wants_frame() and (frame := session.frame()) is not None:
                sent.append((session, frame == _alone(session, frame)))
                if session is not sessions[-1]:  # the last page never acknowledges
                    send(session, {"type": "ack", "frame": session.frame_id})
    return sent


@pytest.fixture
def evaluations(monkeypatch) -> list[int]:
    """How many networks each grid evaluation drew at once."""
    counts: list[int] = []
    evaluate = GridStack.evaluate

    def counted(self, nets, transforms, resolution=100):
        counts.append(len(nets))
        return evaluate(self, nets, transforms, resolution)

    monkeypatch.setattr(GridStack, "evaluate", counted)
    return counts


def test_a_class_draws_together_and_each_frame_is_as_drawn_alone(monkeypatch, evaluations):
    monkeypatch.setattr(drawing, "DRAW_BUDGET_S", 1.0)  # however slow the machine is
    links = [LINK + s for s in "abcd"]
    links += [LINK + "e&standardize=true", LINK + "f&networkShape=3", LINK + "g"]
    clock, pool = FakeClock(), TrainingPool()
    sessions = _class(clock, links, pool)
    send(sessions[1], {"type": "focus", "layer": 1, "neuron": 2})
    send(sessions[2], {"type": "focus", "layer": 0, "neuron": 1})
    sent = _play(sessions, clock, 40)
    by_session = {session: [same for s, same in sent if s is session] for session in sessions}
    assert all(len(by_session[session]) >= 10 for session in sessions[:-1])
    assert all(same for _, same in sent)
    assert max(evaluations) >= 5, "the sessions of one shape should have been drawn together"
    drawn = len(evaluations) - len(sent)  # each comparison drew once alone
    assert drawn < len(sent) / 2
    # the page without credit got its frames' worth and no more; the other shape drew alone
    assert len(by_session[sessions[-1]]) == Settings().max_frames_in_flight


def test_a_picture_drawn_for_a_page_is_not_sent_once_its_network_changed(monkeypatch):
    monkeypatch.setattr(drawing, "DRAW_BUDGET_S", 1.0)
    clock, pool = FakeClock(), TrainingPool()
    sessions = _class(clock, [LINK + s for s in "abc"], pool)
    for session in sessions:
        send(session, {"type": "pause"})
    clock.advance(1.0)
    first, edited, _ = sessions
    assert first.wants_frame() and first.frame() is not None  # drawn with its two peers
    assert pool.drawing.kept(edited)
    send(edited, {"type": "set_weight", "layer": 1, "source": 0, "target": 1, "value": 2.5})
    assert not pool.drawing.kept(edited)
    frame = edited.frame()
    assert frame == _alone(edited, frame)  # shows the new weight, not the picture drawn before
    weights = edited.run.weights[1]
    assert weights[0, 1] == 2.5


def test_one_slow_drawing_does_not_stop_a_class_drawing_together(evaluations):
    """A drawing the worker was preempted in measures seconds per network: the class's
    next drawings still take peers (and measure again) instead of drawing alone from then on."""
    clock, pool = FakeClock(), TrainingPool()
    sessions = _class(clock, [LINK + s for s in "abcdef"], pool)
    key = grid_key(sessions[0].run.state.net)
    pool.drawing._seconds_per_run[key] = 1.0
    _play(sessions, clock, 10)
    assert max(evaluations) >= 2, "every frame was drawn alone after one slow drawing"
