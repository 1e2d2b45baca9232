"""Admission from capacity (issue 13, item 5): a class that joins at once is admitted only as
far as everyone, the newcomer included, can play at the frame rate's floor."""

from __future__ import annotations

import json

from server import protocol
from server.admission import Admission
from server.pacing import Cadence
from server.session import Session
from server.settings import Settings
from tests.server.helpers import FakeClock


def join_at_once(admission: Admission, clock: FakeClock, limit: int = 200) -> list[Session]:
    """Pages opening within the same instant: nothing has played or been measured yet."""
    sessions = []
    while len(sessions) < limit and admission.refusal() is None:
        admission.active += 1  # acquire() without its lag probe: no time passes here
        sessions.append(Session(Settings(), clock=clock, cadence=admission.cadence))
    return sessions


def play_all(sessions: list[Session], epoch_s: float, frame_s: float) -> Cadence:
    """Everyone presses play; their epochs and frames measure what is given; the plan."""
    for session in sessions:
        session.receive(json.dumps({"type": "play"}))
        session.pace.trained(10, 10 * epoch_s)
        session.pace.frame_sent(frame_s)
    cadence = sessions[0].pace.cadence
    cadence.plan()
    return cadence


def test_a_class_joining_at_once_is_admitted_only_as_far_as_it_can_play():
    clock = FakeClock()
    admission = Admission(max_sessions=60, max_lag_ms=50, clock=clock)
    sessions = join_at_once(admission, clock)
    assert 10 <= len(sessions) < 60  # refused before the lag could show anything
    assert "busy" in admission.refusal()
    real_frame_s = Cadence.TYPICAL_FRAME_S + Cadence.FRAME_OVERHEAD_S  # packing and sending
    cadence = play_all(sessions, Cadence.TYPICAL_EPOCH_S, real_frame_s)
    assert cadence.fps >= protocol.MIN_FRAMES_PER_SECOND
    assert cadence.share >= Cadence.FULL_SHARE  # the documented floor holds once all play


def test_one_more_than_admitted_would_have_played_below_the_floor():
    clock = FakeClock()
    sessions = join_at_once(Admission(max_sessions=60, max_lag_ms=50, clock=clock), clock)
    admission = Admission(max_sessions=60, max_lag_ms=50, clock=clock)
    sessions = join_at_once(admission, clock, limit=len(sessions) + 1) + [
        Session(Settings(), clock=clock, cadence=admission.cadence)
    ]
    real_frame_s = Cadence.TYPICAL_FRAME_S + Cadence.FRAME_OVERHEAD_S
    cadence = play_all(sessions, Cadence.TYPICAL_EPOCH_S, real_frame_s)
    assert cadence.share < Cadence.FULL_SHARE or cadence.fps < protocol.MIN_FRAMES_PER_SECOND


def test_heavier_networks_admit_fewer_and_a_session_that_ends_makes_room():
    clock = FakeClock()
    light = Admission(max_sessions=60, max_lag_ms=50, clock=clock)
    light_sessions = join_at_once(light, clock, limit=5)
    play_all(light_sessions, epoch_s=0.0004, frame_s=0.0002)
    heavy = Admission(max_sessions=60, max_lag_ms=50, clock=clock)
    heavy_sessions = join_at_once(heavy, clock, limit=5)
    play_all(heavy_sessions, epoch_s=0.003, frame_s=0.003)
    light_sessions += join_at_once(light, clock)
    heavy_sessions += join_at_once(heavy, clock)
    assert len(heavy_sessions) < len(light_sessions)
    gone = heavy_sessions.pop()
    heavy.release(gone.pace)
    assert heavy.refusal() is None


def test_a_sessions_first_frame_does_not_count_as_what_its_frames_cost():
    """The first frame builds buffers and caches (several times a later one's cost): a class
    that has just opened its pages must not look heavier than it is."""
    clock = FakeClock()
    session = Session(Settings(), clock=clock, cadence=Cadence(clock=clock))
    session.start()
    assert session.frame() is not None and session.frame_id == 1
    assert session.pace.frame_cost.seconds is None
    session.receive(json.dumps({"type": "ack", "frame": 1}))
    session.needs_frame = True
    assert session.frame() is not None and session.pace.frame_cost.seconds is not None
