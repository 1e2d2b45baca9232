"""A worker's sessions of one lesson train together, each to the bits it trains alone."""

from __future__ import annotations

from server.grouping import TrainingPool
from server.pacing import Cadence
from server.session import Session
from server.settings import Settings
from tests.server.helpers import FakeClock, send

LINK = "#dataset=circle&networkShape=4,2&batchSize=10&seed="


class Busy:
    """A lock that one of the session's own tasks holds (it is answering a message)."""

    def locked(self) -> bool:
        return True


def _class(clock: FakeClock, seeds: list[str], pool: TrainingPool | None) -> list[Session]:
    cadence = Cadence(clock=clock)
    sessions = []
    for seed in seeds:
        session = Session(Settings(), clock=clock, cadence=cadence)
        if pool is not None:
            pool.add(session)
        session.start()
        send(session, {"type": "load_hash", "hash": LINK + seed})
        send(session, {"type": "play"})
        sessions.append(session)
    return sessions


def _play(sessions: list[Session], clock: FakeClock, ticks: int) -> None:
    for _ in range(ticks):
        clock.advance(1 / 60)
        for session in sessions:
            session.tick()


def test_a_class_trains_together_and_each_run_is_as_alone():
    seeds = ["a", "b", "c", "d"]
    clock_together, clock_alone = FakeClock(), FakeClock()
    pool = TrainingPool()
    together = _class(clock_together, seeds, pool)
    alone = _class(clock_alone, seeds, None)
    for session in together + alone:
        session.pace._owed = 0.0  # the same debts in both classes (play starts at random)
    _play(together, clock_together, 30)
    _play(alone, clock_alone, 30)
    assert pool.groups, "the class should have trained as one group"
    for a, b in zip(together, alone, strict=True):
        assert a.run.epoch == b.run.epoch >= 25
        assert a.run.state.net.params.tobytes() == b.run.state.net.params.tobytes()
        assert a.run.history == b.run.history


def test_a_session_answering_a_message_is_left_to_its_own_turn():
    clock, pool = FakeClock(), TrainingPool()
    first, second = _class(clock, ["a", "b"], pool)
    second.lock = Busy()
    clock.advance(0.1)
    first.tick()
    assert first.run.epoch >= 1 and second.run.epoch == 0
    second.lock = None
    second.tick()
    assert second.run.epoch >= 1


def test_a_session_that_changes_its_shape_leaves_its_group():
    clock, pool = FakeClock(), TrainingPool()
    sessions = _class(clock, ["a", "b", "c"], pool)
    _play(sessions, clock, 5)
    send(sessions[2], {"type": "configure", "config": {"networkShape": [3]}})
    send(sessions[2], {"type": "play"})
    assert pool.peers(sessions[2]) == []
    assert set(pool.peers(sessions[0])) == set(sessions[:2])
    epochs = [s.run.epoch for s in sessions]
    _play(sessions, clock, 5)
    assert all(s.run.epoch > e for s, e in zip(sessions, epochs, strict=True))
    pool.discard(sessions[0])
    assert pool.peers(sessions[1]) == []


def test_a_new_groups_compile_is_not_charged_as_what_its_epochs_cost(monkeypatch):
    """A class that presses play together makes a group (and a new one at every joiner):
    compiling it costs once, and charged as an epoch it made the plan think each session
    dearer than it is (the class then trained at a quarter of its speed for seconds)."""
    import engine.group  # noqa: PLC0415
    import server.grouping  # noqa: PLC0415

    spent = [0.0]  # a CPU clock that only the compile advances: 1 s a group
    monkeypatch.setattr(server.grouping, "cost_clock", lambda: spent[0])
    compile_group = engine.group.Group.__init__

    def slow_compile(self, runs):
        compile_group(self, runs)
        spent[0] += 1.0

    monkeypatch.setattr(engine.group.Group, "__init__", slow_compile)
    clock, pool = FakeClock(), TrainingPool()
    sessions = _class(clock, ["a", "b", "c"], pool)
    _play(sessions, clock, 3)
    assert pool.groups and spent[0] >= 1.0
    assert all(s.run.epoch >= 1 for s in sessions)
    assert all(s.pace.epoch_cost.seconds < 0.01 for s in sessions)
