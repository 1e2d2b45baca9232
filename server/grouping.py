"""A worker's playing sessions of one shape train together, as one computation.

A class that opened the same lesson has many runs of one shape (engine.group). Whichever
of them has its turn first trains every session of its group that owes epochs and is idle
(no message being answered, no step being metered): one compiled epoch for all of them,
each run to the same bits as alone. The others find their debts paid when their turn
comes and only draw. Each member is charged its share of the time, so the worker's plan
(server/pacing.py, Cadence) and admission see what a session really costs in its group.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from engine.group import group_key, prepare, train_together
from server.drawing import Drawing
from server.frames import FrameInfo
from server.pacing import cost_clock

if TYPE_CHECKING:
    from server.session import Session

MAX_GROUPS = 64  # compiled groups kept per worker (a class that edits makes new ones)


class TrainingPool:
    """The sessions of one worker that may train together (one per app), indexed by their
    group key: a turn looks only at its own group, so a class split into many small groups
    (or none) costs no more than training alone."""

    def __init__(self) -> None:
        self.sessions: set[Session] = set()
        self.groups: dict = {}  # engine.group's cache of compiled groups
        self._index: dict[tuple, set[Session]] = {}  # group key → sessions last seen with it
        self._keys: dict[Session, tuple] = {}  # session → (what its key was computed from, key)
        self.drawing = Drawing()  # frames of one shape drawn together

    def add(self, session: Session) -> None:
        self.sessions.add(session)
        session.pool = self

    def discard(self, session: Session) -> None:
        self.sessions.discard(session)
        self.drawing.discard(session)
        _, key = self._keys.pop(session, (None, None))
        self._index.get(key, set()).discard(session)
        dead = [ids for ids in self.groups if id(session.run) in ids[1]]
        for ids in dead:
            del self.groups[ids]

    def key(self, session: Session) -> tuple | None:
        """The session's group key, recomputed only when its run, settings or state changed."""
        run = session.run
        basis = (run, run.config, run.state.trainer, bool(run.diverged), run.state.net.any_dead)
        cached = self._keys.get(session)
        if cached is not None and all(a is b for a, b in zip(cached[0], basis, strict=True)):
            return cached[1]
        if cached is not None:
            self._index.get(cached[1], set()).discard(session)
        key = group_key(run)
        self._keys[session] = (basis, key)
        if key is not None:
            self._index.setdefault(key, set()).add(session)
        return key

    def frame(self, caller: Session, info: FrameInfo) -> tuple[bytes, float]:
        """The caller's frame, drawn with the frames its peers of one shape want (see
        server.drawing), and the seconds of the worker's time it costs the caller."""
        return self.drawing.frame(caller, self.sessions, info)

    def peers(self, caller: Session) -> list[Session]:
        """The caller and every playing session of its group (the caller first); [] when it
        trains alone. Busy ones are members too (they train nothing this turn): a group's
        compiled epoch is kept while the same sessions play, whatever each one is doing."""
        key = self.key(caller)
        if key is None or len(self._index.get(key, ())) < 2:
            return []
        members = [caller]
        for other in sorted(self._index[key], key=id):
            if other is not caller and other.playing and other.started and self.key(other) == key:
                members.append(other)
        return members if len(members) > 1 else []

    def train(self, caller: Session, owed: float, deadline: float) -> int | None:
        """Train the caller's group; the epochs the caller trained, or None when it has no
        group (then it trains alone). Each member trains what it owes, rounded to the
        nearest epoch (so a class at one speed trains in step), within the caller's chunk:
        at most the epochs that fit, from what a group epoch cost last time."""
        members = self.peers(caller)
        if not members:
            return None
        dues = [owed] + [
            member.pace.epochs_due()[0] if member.can_train_with_others() else 0.0
            for member in members[1:]
        ]
        cap = max(1, int((deadline - caller.clock()) / self._epoch_seconds(members)))
        epochs = [min(int(due + 0.5), cap) for due in dues]
        epochs[0] = max(epochs[0], 1)  # the caller's turn came: it owes one at least
        if len(self.groups) > MAX_GROUPS:
            self.groups.clear()
        runs = [member.run for member in members]
        prepare(runs, epochs, self.groups)  # a new group's compile: not what its epochs cost
        started = cost_clock()
        trained = train_together(runs, epochs, self.groups)
        seconds = cost_clock() - started
        total = sum(trained) or 1
        for member, count in zip(members, trained, strict=True):
            member.trained_in_group(count, seconds * count / total)
        self._cost = (seconds / max(trained, default=1), len(members))
        return trained[0]

    _cost: tuple[float, int] = (0.0, 0)

    def _epoch_seconds(self, members: list) -> float:
        """What one epoch of this many members took last time (scaled), or a guess."""
        seconds, count = self._cost
        if not count:
            return 0.001 * len(members)
        return max(seconds * len(members) / count, 1e-5)
