"""A run's compact parameter history: kept epochs within a memory budget, scrubbing and forks.

Every epoch is kept early (the first `dense` epochs of a stretch of training), later only
every `stride`-th; when the kept epochs outgrow the budget the stride doubles (and, for a
network too large for its dense stretch, the dense stretch halves), so a run of any
length stays within the budget. A kept epoch holds everything that decides the run's
future at that epoch's end; the data and the random stream are the same for the whole
stretch (a new network or new data starts a new stretch), so a fork from a kept epoch
continues bit for bit as the original did from there.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass
from typing import Any

import numpy as np

from engine.snapshot import encode

Array = np.ndarray
BUDGET_BYTES = 2 * 1024 * 1024  # one session's history (a race shares it among its lanes)
DENSE_EPOCHS = 64  # every epoch of a stretch's start is kept while the budget allows
ENTRY_OVERHEAD = 600  # bytes of Python objects a kept epoch costs beyond its arrays (~520 measured)


@dataclass(frozen=True)
class Checkpoint:
    """A run at the end of `epoch`: parameters, dead links (None: none), the optimizer's
    state (copies), the carried gradient sum of leftover points (None: zero) with its count
    and rows (views of the run's training rows), and the configuration it trains on."""

    epoch: int
    params: Array
    alive: Array | None
    optimizer: dict[str, Any]
    carry: Array | None
    carry_count: int
    carry_rows: tuple[tuple[Array, Array], ...]
    config: dict[str, Any]

    @property
    def nbytes(self) -> int:
        arrays = [self.params, self.alive, self.carry, *self.optimizer.values()]
        own = sum(a.nbytes for a in arrays if isinstance(a, np.ndarray))
        return own + ENTRY_OVERHEAD


class Replay:
    """The kept epochs of one stretch of a run's training, oldest first."""

    def __init__(self, budget: int = BUDGET_BYTES, dense: int = DENSE_EPOCHS) -> None:
        if type(budget) is not int or budget < 1:
            raise ValueError(f"budget: {budget!r} is not allowed; use a positive byte count")
        self.budget, self.dense, self.stride = budget, dense, 1
        self.rng_state: dict[str, Any] | None = None
        self.start = 0
        self._epochs: list[int] = []
        self._kept: dict[int, Checkpoint] = {}
        self.nbytes = 0

    def restart(self, first: Checkpoint, rng_state: dict[str, Any]) -> None:
        """A new stretch (new network, new data) from `first`, with its stream's state."""
        self.dense, self.stride = DENSE_EPOCHS, 1
        self.rng_state, self.start = rng_state, first.epoch
        self._epochs, self._kept, self.nbytes = [], {}, 0
        self.keep(first)

    @property
    def epochs(self) -> list[int]:
        """The kept epochs, oldest first."""
        return list(self._epochs)

    def wants(self, epoch: int) -> bool:
        """Whether the plan keeps `epoch` (the dense start, then every stride-th)."""
        offset = epoch - self.start
        return offset >= 0 and (offset < self.dense or offset % self.stride == 0)

    def keep(self, checkpoint: Checkpoint) -> None:
        """Keep a checkpoint (replacing one of the same epoch), then thin to the budget."""
        epoch = checkpoint.epoch
        if epoch < self.start:
            return
        old = self._kept.get(epoch)
        if old is None:
            bisect.insort(self._epochs, epoch)
        else:
            self.nbytes -= old.nbytes
        self._kept[epoch] = checkpoint
        self.nbytes += checkpoint.nbytes
        self._thin()

    def _thin(self) -> None:
        while self.nbytes > self.budget and len(self._epochs) > 1:
            tail = sum(e - self.start >= self.dense for e in self._epochs)
            if tail >= 2:
                self.stride *= 2  # of two kept multiples of the stride one is now off it
            else:
                self.dense //= 2
            for epoch in [e for e in self._epochs if not self.wants(e)]:
                self._drop(epoch)

    def _drop(self, epoch: int) -> None:
        self._epochs.remove(epoch)
        self.nbytes -= self._kept.pop(epoch).nbytes

    def at(self, epoch: int) -> Checkpoint:
        """The checkpoint of a kept epoch; ValueError names the nearest kept ones."""
        if type(epoch) is not int or epoch not in self._kept:
            index = bisect.bisect_left(self._epochs, epoch if type(epoch) is int else 0)
            near = self._epochs[max(index - 1, 0) : index + 1]
            shown = " or ".join(str(e) for e in near)
            raise ValueError(f"epoch: {epoch!r} is not a kept epoch; the nearest are {shown}")
        return self._kept[epoch]

    def nearest(self, epoch: int) -> int:
        """The kept epoch closest to `epoch` (the older one on a tie)."""
        index = bisect.bisect_left(self._epochs, epoch)
        near = self._epochs[max(index - 1, 0) : index + 1]
        return min(near, key=lambda e: (abs(e - epoch), e))

    def until(self, epoch: int) -> Replay:
        """A copy that ends at `epoch` (for a fork): the checkpoints are shared."""
        copy = Replay(self.budget)
        copy.dense, copy.stride, copy.rng_state, copy.start = (
            self.dense, self.stride, self.rng_state, self.start,
        )  # fmt: skip
        for kept in self._epochs:
            if kept <= epoch:
                copy._epochs.append(kept)
                copy._kept[kept] = self._kept[kept]
                copy.nbytes += self._kept[kept].nbytes
        return copy


def fork(run, epoch: int):
    """A new run at kept `epoch` of `run`: its configuration then, the same data and
    stream, its parameters, optimizer state and carried gradients, and the loss history
    up to it. Trained on, it continues bit for bit as `run` did from that epoch."""
    kept = run.replay.at(epoch)
    state = run.snapshot()
    history = np.array([p for p in run.history if p[0] <= epoch], dtype=np.float64)
    state.update(
        config=kept.config,
        params=encode(kept.params),
        alive=encode(np.ones_like(kept.params) if kept.alive is None else kept.alive),
        epoch=kept.epoch,
        history=encode(history.reshape(len(history), -1)),
        diverged=None,
        rng=run.replay.rng_state,
        carry=encode(np.zeros_like(kept.params) if kept.carry is None else kept.carry),
        carry_count=kept.carry_count,
        batch_position=0,
        carry_rows=[{"inputs": encode(x), "targets": encode(t)} for x, t in kept.carry_rows],
        optimizer={
            k: encode(v) if isinstance(v, np.ndarray) else v for k, v in kept.optimizer.items()
        },
        last_update=None,
    )
    forked = type(run).from_snapshot(state)
    forked.replay = run.replay.until(epoch)
    return forked
