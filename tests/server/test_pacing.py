"""Pace and cadence: training keeps the chosen speed; a busy worker draws less often."""

import json

from server.pacing import Cadence
from server.session import Session
from server.settings import Settings


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_a_late_loop_lowers_the_frame_rate_to_its_floor_and_a_punctual_one_restores_it():
    cadence = Cadence(max_fps=75, min_fps=24)
    for _ in range(50):
        cadence.observe(30.0)
    assert cadence.fps == 24 and cadence.at_floor
    for _ in range(100):
        cadence.observe(0.5)
    assert cadence.fps == 75 and not cadence.at_floor
    cadence.observe(5.0)  # between punctual and late: no change
    assert cadence.fps == 75


def play_for(session: Session, clock: Clock, seconds: float) -> int:
    """Drive the session as server/ws.py does, the client acking every frame at once."""
    frames = 0
    end = clock.now + seconds
    while clock.now < end:
        session.tick()
        session.take_outbox()
        if session.wants_frame() and session.frame() is not None:
            frames += 1
            session.receive(json.dumps({"type": "ack", "frame": session.frame_id}))
        wait = session.idle_seconds()
        clock.now += wait if wait else 0.001
    return frames


def test_training_keeps_its_speed_whatever_the_frame_rate():
    results = {}
    for fps in (75, 24):
        clock = Clock()
        session = Session(Settings(), clock=clock, cadence=Cadence(max_fps=fps, min_fps=fps))
        session.receive(json.dumps({"type": "speed", "epochs_per_frame": 2}))
        session.receive(json.dumps({"type": "play"}))
        frames = play_for(session, clock, 2.0)
        results[fps] = (frames, session.run.epoch)
    (frames_fast, epochs_fast), (frames_slow, epochs_slow) = results[75], results[24]
    assert 140 <= frames_fast <= 151 and 46 <= frames_slow <= 49
    assert 238 <= epochs_fast <= 241 and 238 <= epochs_slow <= 241  # 120 epochs/s both
