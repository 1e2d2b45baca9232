"""Pace and cadence: training keeps the chosen speed; a busy worker draws less often."""

import json

from server import protocol
from server.pacing import Cadence, Pacer
from server.session import Session
from server.settings import Settings


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def playing_pacers(cadence: Cadence, count: int, epoch_s: float, frame_s: float) -> list:
    """`count` sessions playing at speed 1 whose epochs and frames cost what is given."""
    pacers = []
    for _ in range(count):
        pacer = Pacer(Clock(), 4.0, cadence)
        pacer.playing = True
        pacer.trained(10, 10 * epoch_s)
        pacer.frame_sent(frame_s)
        pacers.append(pacer)
    return pacers


def test_a_worker_plans_frames_first_then_training_from_what_they_cost():
    clock = Clock()
    cadence = Cadence(max_fps=75, min_fps=24, clock=clock)
    pacers = playing_pacers(cadence, 5, epoch_s=0.0004, frame_s=0.0005)
    cadence.plan()  # 5 × (60 × 0.4 ms + 75 × 0.5 ms) = 0.31 s a second: all fits
    assert (cadence.fps, cadence.share) == (75, 1.0)
    pacers += playing_pacers(cadence, 10, epoch_s=0.0004, frame_s=0.0005)
    cadence.plan()  # 15 sessions: frames give way first
    assert 24 < cadence.fps < 75 and cadence.share == 1.0
    pacers += playing_pacers(cadence, 25, epoch_s=0.0004, frame_s=0.0005)
    for _ in range(60):  # 40 sessions: frames at their floor, training at a share
        cadence.plan()
        clock.now += 0.05
    assert cadence.fps == 24 and 0.4 < cadence.share < 0.5 and cadence.seconds_full() == 0
    pacers += playing_pacers(cadence, 15, epoch_s=0.0004, frame_s=0.0005)
    for _ in range(60):  # 55: fewer epochs than 24 a second, so fewer frames too
        cadence.plan()
        clock.now += 0.05
    assert cadence.fps < 24 and cadence.share < 0.4 and cadence.fps == 60 * cadence.share
    assert cadence.seconds_full() > 2.0  # admission calls this worker full
    del pacers[20:]  # most of the class leaves: everything comes back
    cadence.plan()
    assert cadence.fps > 24 and cadence.share == 1.0 and cadence.seconds_full() == 0.0


def test_a_class_too_large_keeps_a_smooth_picture_before_its_last_third_of_speed():
    """Issue 16's rows: a class that edited its networks wants >= 30 frames/s at >= 40 of
    its 60 epochs/s; a lecture hall >= 24 frames/s at >= 30. Frames stop at SMOOTH_FPS
    while training gives up to a third of its speed; only then do frames fall further."""
    plans = {}
    for count in (20, 25, 30, 40):
        cadence = Cadence(max_fps=75, min_fps=24)
        pacers = playing_pacers(cadence, count, epoch_s=0.0004, frame_s=0.0005)  # noqa: F841
        cadence.plan()
        plans[count] = (round(cadence.fps, 6), round(cadence.share, 6))
    # 20: 0.48 s of training a second, 10 ms per frame a second: 42 frames/s at full speed
    assert plans[20] == (42.0, 1.0)
    # 25: 32 frames/s leave 0.5 s for 0.6 s of training: five sixths of the speed
    assert plans[25] == (32.0, round(5 / 6, 6))
    # 30: two thirds of the speed (0.48 s) leave room for 28 frames/s
    assert plans[30] == (28.0, round(2 / 3, 6))
    # 40: frames at their floor, training at what is left (0.42 of 0.96 s)
    assert plans[40] == (24.0, 0.4375)


def test_a_loop_that_still_runs_late_shrinks_the_plan_and_a_punctual_one_restores_it():
    cadence = Cadence(max_fps=75, min_fps=24)
    pacers = playing_pacers(cadence, 12, epoch_s=0.0004, frame_s=0.0005)  # noqa: F841
    cadence.plan()
    planned = cadence.fps
    for _ in range(20):  # other processes take the core: lag of a whole frame period
        cadence.observe(1000 / cadence.fps)
    assert cadence.fps < planned
    for _ in range(200):
        cadence.observe(0.1)
    assert cadence.fps == planned and cadence.factor == 1.0


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
    # 120 epochs/s both; trained right before each frame, so up to one frame period's
    # epochs (5 at 24 frames/s) may still be owed when the two seconds end
    assert 236 <= epochs_fast <= 241 and 234 <= epochs_slow <= 241


def test_a_busy_worker_trains_every_session_at_the_same_share_of_its_speed():
    clock = Clock()
    cadence = Cadence(max_fps=24, min_fps=24)
    cadence.share = 0.5
    session = Session(Settings(), clock=clock, cadence=cadence)
    session.receive(json.dumps({"type": "play"}))
    frames = play_for(session, clock, 2.0)
    assert 46 <= frames <= 49  # the frames keep their rate
    assert 59 <= session.run.epoch <= 61  # 30 epochs/s: half of speed 1's 60


def test_what_the_user_changes_shows_in_a_frame_at_once_whatever_the_cadence():
    clock = Clock()
    session = Session(Settings(), clock=clock, cadence=Cadence(max_fps=24, min_fps=24))
    session.receive(json.dumps({"type": "play"}))
    play_for(session, clock, 0.5)
    session.tick()
    session.needs_frame = True
    session.frame()  # a frame just went: the next one is 1/24 s away
    session.receive(json.dumps({"type": "ack", "frame": session.frame_id}))
    assert not session.wants_frame()
    session.receive(json.dumps({"type": "configure", "config": {"learningRate": 0.1}, "seq": 7}))
    assert session.wants_frame()
    assert session.frame() is not None and session.last_seq == 7


def test_epochs_still_owed_after_a_chunk_are_trained_at_once_not_at_the_next_frame():
    """At 25 epochs/frame a 4 ms chunk may end before the debt is paid: training goes on
    right away instead of waiting for the next frame (which would cap the speed)."""
    clock = Clock()
    pacer = Pacer(clock, 4.0, Cadence())
    pacer.playing = True
    pacer.restart(25)
    clock.now += 0.05
    owed, _ = pacer.epochs_due()
    assert owed > 50
    pacer.trained(10)  # the chunk's time limit stopped it
    while pacer.frame_due():  # frames went: the next one is ahead
        pacer.frame_sent()
    assert pacer.idle_seconds(frame_wanted=False, credit=True) == 0.0
    pacer.trained(int(owed) - 10)  # debt paid: now it waits for the frame
    assert pacer.idle_seconds(frame_wanted=False, credit=True) > 0.0


def test_a_race_keeps_its_higher_frame_floor_and_trains_its_lanes_a_share():
    cadence = Cadence(max_fps=75, min_fps=24)
    # a race of two large lanes: 16 ms an epoch of both, 4 ms a frame of both
    (race,) = playing_pacers(cadence, 1, epoch_s=0.016, frame_s=0.004)
    cadence.plan()  # 60 epochs a second would take the whole core: frames give way first
    assert cadence.fps == Cadence.SMOOTH_FPS and cadence.share < 1.0
    race.frame_floor = protocol.RACE_MIN_FRAMES_PER_SECOND
    cadence.plan()
    assert cadence.fps == protocol.RACE_MIN_FRAMES_PER_SECOND > 30
    assert 0.5 < cadence.share < 1.0  # each lane trains fewer epochs, over 40 a second
    race.playing = False  # a race that does not play does not hold the others' floor up
    others = playing_pacers(cadence, 40, epoch_s=0.0004, frame_s=0.0005)  # noqa: F841
    cadence.plan()
    assert cadence.fps == 24


def test_an_epoch_trained_in_pieces_costs_all_its_pieces():
    pacer = Pacer(Clock(), 4.0, Cadence())
    pacer.trained(0, 0.010)  # a race's first lane, then the chunk's time was up
    pacer.trained(1, 0.006)  # the second lane ends the epoch
    assert abs(pacer.epoch_cost.seconds - 0.016) < 1e-12


def test_a_first_cold_epoch_weighs_no_more_than_any_other_once_a_few_follow():
    """A class presses play together: each session's first epoch compiles its program (a few
    ms where the next cost 0.3). Its cost must not hold the plan down for seconds: after
    twenty epochs the class of 20 trains at its chosen speed and draws at the top rate."""
    cadence = Cadence(max_fps=60, min_fps=24)
    pacers = []
    for _ in range(20):
        pacer = Pacer(Clock(), 4.0, cadence)
        pacer.playing = True
        pacer.trained(1, 0.004)  # the first epoch: its program compiled, caches cold
        for _ in range(20):
            pacer.trained(1, 0.0003)
            pacer.frame_sent(0.0002)
        pacers.append(pacer)
    assert all(p.epoch_cost.seconds < 0.0005 for p in pacers)
    cadence.plan()
    assert cadence.share == 1.0 and cadence.fps == 60
