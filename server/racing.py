"""A session's race: lanes trained in lockstep, their messages, snapshots and frames
(docs/protocol.md, "Races").

`RacingSession` is mixed into Session: it holds `race` (None for a single run) and `lane`
(the lane the page's controls edit, which is `run`).
"""

from __future__ import annotations

import struct

import numpy as np

import engine
from engine import race as races
from engine.race import Race
from server import protocol
from server.frames import FrameInfo, pack_frame
from server.pacing import cost_clock
from server.protocol import Command, ProtocolError
from server.replaying import ReplayingSession

RACE_MAGIC = b"NPR1"
_RACE_HEADER = struct.Struct("<4sBBH")


class RacingSession(ReplayingSession):
    _race: Race | None = None
    lane = 0
    _sent_winner: dict | None = None

    @property
    def race(self) -> Race | None:
        return self._race

    @race.setter
    def race(self, race: Race | None) -> None:
        """A race's frames compare its lanes: while it plays, the worker's frames give way
        to training only down to RACE_MIN_FRAMES_PER_SECOND (server/pacing.py, Cadence)."""
        self._race = race
        self.pace.frame_floor = protocol.RACE_MIN_FRAMES_PER_SECOND if race is not None else None

    # ----- what trains, what is shown --------------------------------------------------

    def trainee(self):
        """What one epoch of play trains: the race (every lane, in lockstep) or the run."""
        return self.race if self.race is not None else self.run

    def shown_runs(self) -> list[engine.Run]:
        """The runs a frame shows: the scrubbed epoch's, else every lane, else the run."""
        if self.viewing is not None:
            return self.viewing
        return list(self.race.lanes) if self.race is not None else [self.run]

    def mid_round(self) -> bool:
        """A race's epoch is half trained: some lanes are one epoch ahead of the others."""
        return self.race is not None and self.race.turn != 0

    def train_piece(self) -> int:
        """One piece of play: an epoch of the run, or of one lane of the race (a race's
        epoch of several large lanes would hold the worker for all of them at once);
        returns the epochs of the trainee it finished (a race's: 1 when a round ends)."""
        if self.race is None:
            self.run.step(1)
            return 1
        return int(self.race.step_lane())

    def finish_round(self) -> None:
        """A race's round left unfinished by a chunk's time limit is trained to its end, so
        a message, a frame or a snapshot sees every lane at one epoch."""
        if not self.mid_round():
            return
        started = cost_clock()
        self.race.finish_round()
        self.pace.trained(1, cost_clock() - started)
        self.needs_frame = True

    def _select(self, lane: int) -> None:
        self.lane = lane
        self._run = self.race.lanes[lane]

    def leave_view(self) -> None:
        self.viewing = None

    # ----- race messages ---------------------------------------------------------------

    def _on_race_start(self, command: Command) -> None:
        """ "Race this": the current run becomes lane 0 of a race and a copy with
        `config`'s changes lane 1 (both at epoch 0, from the run's first weights)."""
        race = self.race or Race(self.run)
        self._add_lane(race, command)

    def _on_race_add(self, command: Command) -> None:
        self._add_lane(self._racing("race_add"), command)

    def _add_lane(self, race: Race, command: Command) -> None:
        base = race.lanes[self.lane if race is self.race else 0].config
        try:
            index = race.add({**base, **command.fields["config"]})
        except ValueError as error:
            raise _invalid("config", error) from None
        self.race, self.playing, self.steps_owed = race, False, 0
        self._select(index)
        self._race_changed(command.seq)

    def _on_race_lane(self, command: Command) -> None:
        race = self._racing("race_lane")
        self._select(_lane_index(race, command.fields["lane"]))
        self._race_changed(command.seq)

    def _on_race_remove(self, command: Command) -> None:
        race = self._racing("race_remove")
        index = _lane_index(race, command.fields["lane"])
        if len(race.lanes) <= 2:
            self.race = None
            self._run = race.lanes[1 - index]
            self.lane = 0
        else:
            race.remove(index)
            self._select(min(self.lane - (self.lane > index), len(race.lanes) - 1))
        self._race_changed(command.seq)

    def _on_race_end(self, command: Command) -> None:
        """Back to one run: the lane the controls edit."""
        self._racing("race_end")
        self.race, self.lane = None, 0
        self._race_changed(command.seq)

    def _on_race_target(self, command: Command) -> None:
        race = self._racing("race_target")
        try:
            race.set_target(command.fields["target_loss"])
        except ValueError as error:
            raise _invalid("target_loss", error) from None
        self._queue_race()

    def _racing(self, kind: str) -> Race:
        if self.race is None:
            raise ProtocolError(
                protocol.INVALID_VALUE, "type", f"{kind}: there is no race; send race_start first"
            )
        return self.race

    def _race_changed(self, seq: int | None) -> None:
        self.viewing = None
        self._after_change("rebuild", seq)
        self._queue_state()
        self._queue_race()

    def _queue_race(self) -> None:
        message = {"type": protocol.RACE, "race": race_info(self.race, self.lane)}
        self._sent_winner = self.race.winner if self.race is not None else None
        self.outbox = [m for m in self.outbox if m["type"] != protocol.RACE] + [message]

    def race_after_training(self) -> None:
        """A lane just reached the target: the page marks it."""
        if self.race is not None and self.race.winner != self._sent_winner:
            self._queue_race()

    def refuse_in_race(self, kind: str) -> None:
        if self.race is not None:
            raise ProtocolError(
                protocol.INVALID_VALUE, "type",
                f"{kind}: the lanes of a race share their data; end the race to change it",
            )  # fmt: skip

    # ----- frames and snapshots --------------------------------------------------------

    def pack_shown(self, info: FrameInfo) -> bytes:
        """One frame of the run, or a race container of every lane's frame."""
        runs = self.shown_runs()
        if self.race is None:
            return pack_frame(runs[0], info)
        return pack_race(runs, info, self.lane)

    def session_snapshot(self) -> dict:
        """The run's snapshot; in a race lane 0's, with the other lanes under `race`."""
        if self.race is None:
            return self.run.snapshot()
        self.finish_round()
        race = self.race
        first = race.lanes[0].snapshot()
        first["race"] = {
            "lanes": [lane.snapshot() for lane in race.lanes[1:]], "lane": self.lane,
            "target_loss": race.target_loss, "winner": race.winner, "seconds": race.seconds,
        }  # fmt: skip
        return first

    def restore_snapshot(self, snapshot: dict) -> None:
        """The run (or race) a `session_snapshot` describes; ValueError names a bad field."""
        extra = snapshot.get("race")
        first = engine.Run.from_snapshot({k: v for k, v in snapshot.items() if k != "race"})
        if extra is None:
            self.race, self.lane, self._run = None, 0, first
            return
        if not isinstance(extra, dict) or not isinstance(extra.get("lanes"), list):
            raise ValueError("snapshot.race: expected {lanes, lane, target_loss, winner, seconds}")
        if len(extra["lanes"]) >= races.MAX_LANES:
            raise ValueError(f"snapshot.race.lanes: at most {races.MAX_LANES - 1} other lanes")
        lanes = [first]
        for i, lane in enumerate(extra["lanes"], 1):
            try:
                lanes.append(engine.Run.from_snapshot(lane))
            except ValueError as error:
                raise ValueError(f"snapshot.race.lanes[{i}].{error}") from None
        try:
            race = Race.restored(lanes, extra.get("target_loss"), extra.get("winner"),
                                 extra.get("seconds"))  # fmt: skip
        except ValueError as error:
            raise ValueError(f"snapshot.{error}") from None
        lane = extra.get("lane")
        if type(lane) is not int or not 0 <= lane < len(lanes):
            raise ValueError(f"snapshot.race.lane: use 0..{len(lanes) - 1}")
        self.race = race
        self._select(lane)

    def open_hash(self, text: str) -> list[str]:
        """A link: a race link builds its race, any other a single run; returns notices."""
        if races.race_configs(text) is None:
            self.race, self.lane = None, 0
            self._run = engine.Run.from_hash(text)
            return self._run.notices
        race = races.from_hash(text)
        self.race = race
        self._select(0)
        return race.notices


def pack_race(runs: list[engine.Run], info: FrameInfo, lane: int) -> bytes:
    """`NPR1`, the lane count, the selected lane, then each lane's length and frame."""
    frames = [pack_frame(run, info) for run in runs]
    header = _RACE_HEADER.pack(RACE_MAGIC, len(frames), lane, 0)
    lengths = struct.pack(f"<{len(frames)}I", *(len(f) for f in frames))
    return b"".join([header, lengths, *frames])


def unpack_race(data: bytes) -> tuple[int, list[bytes]]:
    """(selected lane, lane frames) of a race container (tests and tools use it)."""
    magic, n_lanes, lane, _ = _RACE_HEADER.unpack_from(data)
    if magic != RACE_MAGIC:
        raise ValueError("not a race frame")
    offset = _RACE_HEADER.size + 4 * n_lanes
    frames = []
    for length in struct.unpack_from(f"<{n_lanes}I", data, _RACE_HEADER.size):
        frames.append(data[offset : offset + length])
        offset += length
    return lane, frames


def race_info(race: Race | None, lane: int) -> dict | None:
    """What the page shows of a race: every lane's settings and losses so far, the lane
    its controls edit, the target, the winner, each lane's training time and the link."""
    if race is None:
        return None
    lanes = [
        {"config": run.config, "layer_sizes": run.layer_sizes, "input_names": run.input_names,
         "history": [[None if not np.isfinite(v) else float(v) for v in p] for p in run.history]}
        for run in race.lanes
    ]  # fmt: skip
    return {**race.describe(), "lanes": lanes, "lane": lane, "hash": race.to_hash()}


def _lane_index(race: Race, lane: int) -> int:
    if lane >= len(race.lanes):
        last = len(race.lanes) - 1
        raise ProtocolError(
            protocol.INVALID_VALUE, "lane", f"lane: {lane} does not exist; use 0..{last}"
        )
    return lane


def _invalid(field: str, error: ValueError) -> ProtocolError:
    return ProtocolError(protocol.INVALID_VALUE, field, str(error))
