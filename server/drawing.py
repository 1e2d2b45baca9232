"""A worker's sessions of one shape that want a frame get their grids drawn as one computation.

When a session's frame is due, every other session of the worker whose network has the
same shape (engine.grid.grid_key), whose page has credit for a frame and something new to
see, and which no task of its own is using, is drawn with it: one stacked grid evaluation
(engine.grid.GridStack) and one stacked packing (server.frames.draw) pay numpy's per-call
overhead once for all of them. Each keeps its picture until its own frame is due and sends
it if its run has not changed since (else it draws again), so a session's frame is the
same bytes as when it is drawn alone. Each is charged its share of the drawing's time.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from engine.grid import GridStack, grid_bytes, grid_key
from server.frames import RESOLUTION, FrameInfo, Picture, assemble, draw, pack_frame
from server.pacing import cost_clock

if TYPE_CHECKING:
    from server.session import Session

DRAW_BUDGET_S = 0.002  # at most this much drawing at once (the worker serves others too)
# At most this much grid in one stack (16 runs of A, 3 of B): per run on 100×100, A (0.5 MB
# a run) cost the same in stacks of 1-20 and 25 % more in 40; B (2.4 MB a run) the same in
# stacks of 1-3, 25 % more in 5 and 55 % more in 10 (CPU time, fastest of many).
STACK_BYTES = 8 * 2**20
MAX_STACKS = 16  # grid stacks kept (one per shape that draws together)


def _token(session: Session) -> tuple:
    """What a picture shows: valid while the run, its state's version, epoch and focus hold."""
    run = session.run
    return run, run.state, run.state.version, run.epoch, session.focus


class Drawing:
    """Pictures drawn for sessions before their frame is due, and the grid stacks."""

    def __init__(self) -> None:
        self._pictures: dict[Session, tuple[tuple, Picture, float]] = {}
        self._stacks: dict[tuple, GridStack] = {}
        self._seconds_per_run: dict[tuple, float] = {}  # last drawing's cost per run, by shape

    def discard(self, session: Session) -> None:
        self._pictures.pop(session, None)

    def frame(
        self, caller: Session, sessions: set[Session], info: FrameInfo
    ) -> tuple[bytes, float]:
        """The caller's frame and the seconds it costs the caller: its share of a drawing
        (its picture from an earlier one, or a new one with its peers) and the packing."""
        started = cost_clock()
        kept = self._pictures.pop(caller, None)
        with np.errstate(all="ignore"):  # a diverged run's inf/NaN are drawn grey
            if kept is not None and kept[0] == _token(caller):
                _, picture, share = kept
                return assemble(caller.run, info, picture), share + cost_clock() - started
            peers = self._peers(caller, sessions)
            if not peers:
                return pack_frame(caller.run, info), cost_clock() - started
            members = [caller, *peers]
            try:
                pictures = self._draw(members)
            except Exception:  # one run that cannot be drawn: each one draws alone instead
                return pack_frame(caller.run, info), cost_clock() - started
            share = (cost_clock() - started) / len(members)
            for member, picture in zip(members[1:], pictures[1:], strict=True):
                self._pictures[member] = (_token(member), picture, share)
            frame_started = cost_clock()
            frame = assemble(caller.run, info, pictures[0])
            return frame, share + cost_clock() - frame_started

    def kept(self, session: Session) -> bool:
        """A picture drawn with another session's frame waits for this one, still valid."""
        kept = self._pictures.get(session)
        return kept is not None and kept[0] == _token(session)

    def _peers(self, caller: Session, sessions: set[Session]) -> list[Session]:
        """Other sessions of the caller's shape that want a frame and are free, within the
        drawing budget (by what a run of this shape cost last time)."""
        net = caller.run.state.net
        key = grid_key(net)
        per_run = self._seconds_per_run.get(key, 0.0)
        # at least one peer: a drawing measured slow once (the worker was preempted) must not
        # stop the class drawing together, since only a drawing with peers measures again
        room = max(2, int(DRAW_BUDGET_S / per_run)) if per_run else len(sessions)
        room = min(room, STACK_BYTES // grid_bytes(net, RESOLUTION)) - 1
        peers = []
        for other in sorted(sessions, key=id):
            if len(peers) >= room:
                break
            if other is caller or not other.can_be_drawn() or self.kept(other):
                continue
            if grid_key(other.run.state.net) == key:
                peers.append(other)
        return peers

    def _draw(self, members: list[Session]) -> list[Picture]:
        started = cost_clock()
        runs = [member.run for member in members]
        key = grid_key(runs[0].state.net)
        stack = self._stacks.get(key)
        if stack is None or stack.capacity < len(runs):
            if len(self._stacks) >= MAX_STACKS:
                self._stacks.clear()
            stack = self._stacks[key] = GridStack(runs[0].state.net, len(runs))
        nets = [run.state.net for run in runs]
        maps = stack.evaluate(nets, [run.state.transform for run in runs], RESOLUTION)
        pictures = draw(runs, maps, [member.focus for member in members])
        self._seconds_per_run[key] = (cost_clock() - started) / len(runs)
        return pictures
