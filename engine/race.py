"""A race: up to four runs (lanes) on the same data from the same start, trained in lockstep.

Every lane is built from the race's seed, so lanes share the data and, where their layer
sizes are equal, the same first weights (the first lane's). A lane is otherwise exactly
the run its configuration builds alone, and trains bit for bit as that run would.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any
from urllib.parse import quote, unquote

import numpy as np

from engine.config import change_kind, normalize, parse_hash, to_hash
from engine.replay import BUDGET_BYTES
from engine.run import Run

MAX_LANES = 4
TARGET_LOSS = 0.1  # the test loss that wins a race unless the race names its own
RACE_KEY = "race"  # the hash key that carries the other lanes' settings


class Race:
    """Lanes that train epoch for epoch; the first to reach `target_loss` (test loss) wins.

    `clock` measures each lane's own training time (wall time of its epochs); tests pass
    a fake one.
    """

    def __init__(self, base: Run, clock: Callable[[], float] = time.perf_counter,
                 target_loss: float = TARGET_LOSS) -> None:  # fmt: skip
        self.clock = clock
        self.target_loss = _checked_target(target_loss)
        self.points, self.labels = base.points
        self.user_data, self.seed = base.user_data, base.config["seed"]
        self.first_sizes, self.first_params = base.layer_sizes, base.initial_params
        self.lanes: list[Run] = []
        self.add(base.config)

    @classmethod
    def restored(cls, lanes: list[Run], target_loss: float, winner: Any, seconds: Any,
                 clock: Callable[[], float] = time.perf_counter) -> Race:  # fmt: skip
        """A race of runs restored from their snapshots (where they were, not restarted);
        ValueError names what does not fit (other data, too many lanes, a bad winner)."""
        if not 1 <= len(lanes) <= MAX_LANES:
            raise ValueError(f"race.lanes: {len(lanes)} lanes; a race has 1..{MAX_LANES}")
        race = cls.__new__(cls)
        race.clock, race.target_loss = clock, _checked_target(target_loss)
        first = lanes[0]
        race.points, race.labels = first.points
        race.user_data, race.seed = first.user_data, first.config["seed"]
        race.first_sizes, race.first_params = first.layer_sizes, first.initial_params
        for i, lane in enumerate(lanes[1:], 1):
            points, labels = lane.points
            same = points.tobytes() == race.points.tobytes()
            if not same or labels.tobytes() != race.labels.tobytes():
                raise ValueError(f"race.lanes[{i}]: its data is not the first lane's")
        race.lanes = list(lanes)
        race.seconds = _checked_seconds(seconds, len(lanes))
        race.winner = _checked_winner(winner, len(lanes))
        race.turn = 0
        race._share_budget()
        return race

    def reset(self, same_weights: bool = True) -> None:
        """Every lane at epoch 0: the same first weights again, or new ones for every lane
        (drawn by the first lane's stream, shared by the lanes of its shape)."""
        if not same_weights:
            first = self.lanes[0]
            first.reset()
            self.first_params = first.initial_params
            for lane in self.lanes[1:]:
                if lane.layer_sizes == self.first_sizes:
                    lane.start_from(self.first_params)
                else:
                    lane.reset()
        self.restart()

    @property
    def diverged(self) -> bool:
        """Every lane has diverged (a race trains on while one lane still can)."""
        return all(lane.diverged for lane in self.lanes)

    def describe(self) -> dict[str, Any]:
        """What a page shows of the race besides each lane's frames."""
        return {"lanes": len(self.lanes), "target_loss": self.target_loss,
                "winner": self.winner, "seconds": list(self.seconds)}  # fmt: skip

    @property
    def epoch(self) -> int:
        return max(lane.epoch for lane in self.lanes)

    def lane_for(self, config: dict[str, Any]) -> Run:
        """The run a lane of `config` is: the race's data and seed, the shared first weights
        for the first lane's layer sizes. ValueError when `config` changes the data."""
        config = normalize({**config, "seed": self.seed})
        if self.lanes and change_kind(self.lanes[0].config, config) == "data":
            raise ValueError("lanes of a race share their data; change it before racing")
        lane = Run(config)  # another shape: its own first weights, as the run alone draws them
        if self.user_data:
            lane.set_data(self.points, self.labels, shuffle_points=False)
        if lane.layer_sizes == self.first_sizes:
            lane.start_from(self.first_params)
        return lane

    def add(self, config: dict[str, Any]) -> int:
        """A new lane of `config` ("Race this" then a change): every lane restarts at epoch
        0 so they race from the same start. Returns the new lane's index."""
        if len(self.lanes) >= MAX_LANES:
            raise ValueError(f"lanes: a race has at most {MAX_LANES} lanes")
        self.lanes.append(self.lane_for(config))
        self.restart()
        return len(self.lanes) - 1

    def remove(self, index: int) -> None:
        if len(self.lanes) <= 1:
            raise ValueError("lane: a race keeps at least one lane")
        index = self._index(index)
        self.finish_round()
        self.lanes.pop(index)
        self.seconds.pop(index)
        if self.winner is not None and self.winner["lane"] >= index:
            self.winner = None if self.winner["lane"] == index else {
                **self.winner, "lane": self.winner["lane"] - 1
            }  # fmt: skip
        self._share_budget()

    def configure(self, index: int, partial: dict[str, Any]) -> str:
        """Change one lane. A live setting applies in place; one that needs a new network
        restarts the race (every lane at epoch 0, from the shared start)."""
        lane = self.lanes[self._index(index)]
        self.finish_round()
        new = normalize({**lane.config, **partial, "seed": self.seed})
        kind = change_kind(lane.config, new)
        if kind == "live":
            lane.configure(partial)
            return kind
        self.lanes[index] = self.lane_for(new)  # a data change is refused here
        self.restart()
        return kind

    def restart(self) -> None:
        """Every lane back to epoch 0 with its first weights; no winner yet."""
        for lane in self.lanes:
            lane.reset(same_weights=True)
        self.seconds = [0.0] * len(self.lanes)
        self.winner: dict[str, Any] | None = None
        self.turn = 0  # the lane `step_lane` trains next; 0 between rounds
        self._share_budget()

    def _share_budget(self) -> None:
        budget = BUDGET_BYTES // len(self.lanes)
        for lane in self.lanes:
            lane.replay.budget = budget

    def _index(self, index: Any) -> int:
        if type(index) is not int or not 0 <= index < len(self.lanes):
            raise ValueError(f"lane: {index!r} does not exist; use 0..{len(self.lanes) - 1}")
        return index

    def step(self, epochs: int = 1) -> None:
        """Train every lane that has not diverged one epoch at a time, in lockstep (a round
        a `step_lane` left unfinished is finished first)."""
        self.finish_round()
        for _ in range(epochs):
            while not self.step_lane():
                pass

    def step_lane(self) -> bool:
        """Train the lane whose turn it is in this epoch's round, one epoch; True when that
        finished the round (every lane that has not diverged one epoch further).

        A round lane by lane lets a caller that must answer others between two pieces of
        work (a server's event loop) train a race in pieces of one lane's epoch; each lane
        trains exactly as in `step`, only the moments between lanes differ.
        """
        index, lane = self.turn, self.lanes[self.turn]
        if not lane.diverged:
            started = self.clock()
            lane.step(1)
            self.seconds[index] += self.clock() - started
        later = [i for i in range(index + 1, len(self.lanes)) if not self.lanes[i].diverged]
        self.turn = later[0] if later else 0
        if self.turn == 0:
            self._judge()
        return self.turn == 0

    def finish_round(self) -> None:
        """Train the lanes still owed this epoch's round, so every lane is at one epoch."""
        while self.turn and not self.step_lane():
            pass

    def _judge(self) -> None:
        """The first lane at or under the target test loss wins (the lower loss on a tie)."""
        if self.winner is not None:
            return
        reached = [
            (lane.losses()["test"], i) for i, lane in enumerate(self.lanes)
            if lane.losses()["test"] <= self.target_loss
        ]  # fmt: skip
        if reached:
            loss, i = min(reached)
            self.winner = {"lane": i, "epoch": self.lanes[i].epoch, "seconds": self.seconds[i],
                           "test_loss": loss}  # fmt: skip

    def set_target(self, target_loss: float) -> None:
        self.target_loss = _checked_target(target_loss)
        self.winner = None
        self._judge()

    def to_hash(self) -> str:
        """The first lane's link, and each other lane's own settings under `race`."""
        first = to_hash(self.lanes[0].config)
        others = [_lane_part(self.lanes[0].config, lane.config) for lane in self.lanes[1:]]
        return first + f"&{RACE_KEY}=" + ";".join(others)


def _lane_part(first: dict[str, Any], config: dict[str, Any]) -> str:
    """A lane's settings that differ from the first lane's, as a quoted hash fragment."""
    ours, theirs = _split(to_hash(first)), _split(to_hash(config))
    changed = [pair for pair in theirs if pair not in ours]
    return quote("&".join(changed) or "same", safe="")


def _split(text: str) -> list[str]:
    return [part for part in text.lstrip("#").split("&") if part]


def race_configs(text: str) -> tuple[list[dict[str, Any]], list[str]] | None:
    """The lanes' configurations of a race link (None when the hash holds no race), with
    the notices of what was skipped."""
    parts = _split(text)
    race = [p for p in parts if p.split("=", 1)[0] == RACE_KEY]
    if not race:
        return None
    base = "&".join(p for p in parts if p.split("=", 1)[0] != RACE_KEY)
    lanes = [x for x in race[-1].split("=", 1)[-1].split(";") if x][: MAX_LANES - 1]
    configs, notices = [], []
    for fragment in ["same", *lanes]:
        own = unquote(fragment)
        config, skipped = parse_hash(base if own == "same" else base + "&" + own)
        configs.append(config)
        notices += skipped
    return configs, notices


def from_hash(text: str, clock: Callable[[], float] = time.perf_counter,
              target_loss: float = TARGET_LOSS) -> Race:  # fmt: skip
    """The race a race link describes (ValueError when it holds no race)."""
    found = race_configs(text)
    if found is None:
        raise ValueError(f"hash: no {RACE_KEY}= part; this link is a single run")
    configs, notices = found
    race = Race(Run(configs[0]), clock, target_loss)
    for config in configs[1:]:
        race.add(config)
    race.notices = notices
    return race


def _checked_target(value: Any) -> float:
    if type(value) not in (int, float) or not np.isfinite(value) or not 0 < value < 10:
        raise ValueError(f"target_loss: {value!r} is not allowed; use a number in (0, 10)")
    return float(value)


def _checked_seconds(value: Any, n_lanes: int) -> list[float]:
    fits = isinstance(value, list) and len(value) == n_lanes
    if not fits or not all(type(v) in (int, float) and 0 <= v < 1e9 for v in value):
        raise ValueError(f"race.seconds: expected {n_lanes} numbers of seconds >= 0")
    return [float(v) for v in value]


def _checked_winner(value: Any, n_lanes: int) -> dict[str, Any] | None:
    """null, or {lane, epoch, seconds, test_loss} of a lane that exists."""
    if value is None:
        return None
    fits = isinstance(value, dict) and set(value) == {"lane", "epoch", "seconds", "test_loss"}
    fits = fits and type(value["lane"]) is int and 0 <= value["lane"] < n_lanes
    fits = fits and type(value["epoch"]) is int and 0 <= value["epoch"] <= 10**9
    fits = fits and all(
        type(value[k]) in (int, float) and 0 <= value[k] < 1e9 for k in ("seconds", "test_loss")
    )
    if not fits:
        raise ValueError("race.winner: expected null or {lane, epoch, seconds, test_loss}")
    return dict(value)
