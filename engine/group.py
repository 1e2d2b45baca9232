"""Runs of one shape trained as one computation: one numpy call serves every run of a group.

A classroom opens the same lesson link, so most of its runs share a shape. A Group stacks
their parameters, carried gradients and data along a leading axis and replays one compiled
epoch (engine.passes) for all of them: numpy's per-call overhead, which is most of an epoch
of a small network, is paid once per group instead of once per run. Every number of a run
comes from its own slice with the same operations in the same order as alone, so a run in
a group of any size trains to the same bits as alone (tests/engine/test_group.py).

Grouped: plain gradient descent (the reference's), with or without an L1/L2 penalty, on
networks with no dead link; any other run trains alone (`group_key` is None).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from engine import metrics
from engine.optimizers import reference_step, step_spread
from engine.passes import (
    Buffers,
    Model,
    batch_calls,
    flattened,
    forward_calls,
    run_calls,
    stacked,
)  # fmt: skip
from engine.regularization import DERIVATIVES, penalty_step
from engine.training import LastUpdate, model_of

Array = np.ndarray


def group_key(run) -> tuple | None:
    """What a run's computation's shape depends on; None when it must train alone."""
    c, trainer, net = run.config, run.state.trainer, run.state.net
    if run.diverged or trainer.optimizer.name != "sgd" or net.any_dead:
        return None
    if trainer.n_train < trainer.batch_size:  # never updates: the carry grows (train alone)
        return None
    if trainer.position:  # stopped within an epoch (one batch at a time): it trains alone
        return None
    if trainer.position:  # stepped batch by batch into the middle of an epoch
        return None
    penalty = c["regularization"] if c["regularizationRate"] else "none"
    if DERIVATIVES[penalty] is None:
        penalty = "none"
    return (
        tuple(net.layer_sizes), net.hidden.name, net.output.name, run.loss, penalty,
        trainer.batch_size, trainer.n_train, len(run.state.inputs), run.state.data.n_val,
    )  # fmt: skip


class Group:
    """The stacked state and compiled epoch of runs that share a `group_key`."""

    def __init__(self, runs: list) -> None:
        first = runs[0]
        self.key, self.runs = group_key(first), list(runs)
        assert self.key is not None and all(group_key(r) == self.key for r in runs)
        trainer = first.state.trainer
        self.model: Model = model_of(first.state.net, trainer.loss)
        self.penalty = self.key[4]
        size, n_train = trainer.batch_size, trainer.n_train
        runs_n, n_params = len(runs), self.model.n_params
        self.params = stacked((runs_n, n_params))  # every array: runs innermost in memory
        self.grad, self.carry = stacked((runs_n, n_params), 0.0), stacked((runs_n, n_params), 0.0)
        self.tmp = stacked((runs_n, n_params))
        self.is_bias = trainer.is_bias
        self.weight_mask = first.state.net.weight_mask
        self.columns = stacked((runs_n, *trainer.columns.shape))
        self.target_columns = stacked((runs_n, *trainer.target_columns.shape))
        self.n_updates, self.leftover = n_train // size, n_train % size
        self._sources: list[Any] = [None] * runs_n  # each run's trainer whose data we hold
        self._died = stacked((runs_n, n_params), False, bool)
        # reference_step's spread of α and n for the first update and the others, laid out
        # like the parameters (filled each epoch), so a step without penalty compiles to
        # three calls over flat views
        self._spread_buffers = [(stacked((runs_n, n_params)), stacked((runs_n, n_params)))
                                for _ in range(2)]  # fmt: skip
        self._buffers: dict[int, Buffers] = {}
        self._program = flattened(self._compile(size))
        n_points = len(first.state.inputs)
        # every point's forward pass: runs outermost, the points' long inner loops
        self._eval = Buffers(self.model, runs_n, n_points, backward=False, runs_inner=False)
        self.eval_columns = np.empty((runs_n, trainer.columns.shape[0], n_points))
        self.eval_targets = np.empty((runs_n, first.state.targets.shape[1], n_points))
        self.labels = np.empty((runs_n, n_points))
        self._eval_calls = flattened(
            forward_calls(self.model, self.params, self._eval, self.eval_columns)
        )

    def _compile(self, size: int) -> list:
        """One epoch: the batches (each followed by its update), then the leftover rows."""
        program: list = []
        for k in range(self.n_updates):
            rows = slice(k * size, (k + 1) * size)
            calls, stack = self._batch(rows, self.grad)
            if k == 0:  # last epoch's carry starts the first sum; the leftover starts at 0
                program += [(np.copyto, (stack[:, 0], self.carry)), (self.carry.fill, (0.0,))]
            program += calls
            if self.penalty == "none" and k < self.n_updates - 1:  # the step as three calls
                spread = self._spread_buffers[k > 0]
                program += [(np.multiply, (self.grad, spread[0], self.tmp)),
                            (np.divide, (self.tmp, spread[1], self.tmp)),
                            (np.subtract, (self.params, self.tmp, self.params))]  # fmt: skip
            else:
                program.append((self._step, (k,)))
            if k == 0:
                program.append((stack[:, 0].fill, (0.0,)))
        if self.leftover:
            rows = slice(self.n_updates * size, self.n_updates * size + self.leftover)
            calls, stack = self._batch(rows, self.carry)
            program.append((np.copyto, (stack[:, 0], self.carry)))
            program += calls
        return program

    def _batch(self, rows: slice, total: Array) -> tuple[list, Array]:
        """A batch's calls on the buffers shared by every batch of its size."""
        size = rows.stop - rows.start
        if size not in self._buffers:
            self._buffers[size] = Buffers(self.model, len(self.runs), size)
        buffers = self._buffers[size]
        calls = batch_calls(self.model, self.params, buffers, self.columns[:, :, rows],
                            self.target_columns[:, :, rows], total)  # fmt: skip
        return calls, buffers.stack

    # ----- epochs for every run ------------------------------------------------------

    def train(self, epochs: list[int]) -> list[int]:
        """Train run i up to `epochs[i]` epochs (a run owing fewer sits the rest out: its
        slice is restored), write every run's state back, and return the epochs each run
        trained. A run stops early when it diverged or an L1 link died (it then trains
        alone: a dead link changes its computation)."""
        self._gather()
        done = [0] * len(self.runs)
        with np.errstate(all="ignore"):
            for epoch in range(max(epochs, default=0)):
                training = np.array([
                    n > epoch and done[i] == epoch and group_key(run) == self.key
                    for i, (run, n) in enumerate(zip(self.runs, epochs, strict=True))
                ])  # fmt: skip
                if not training.any():
                    break
                self._epoch(training)
                for i in np.flatnonzero(training):
                    done[i] += 1
        for i, run in enumerate(self.runs):
            run.state.trainer.carry = self.carry[i]
        return done

    def _gather(self) -> None:
        runs = self.runs
        self.rates = np.array([[r.config["learningRate"]] for r in runs])
        self.penalty_rates = np.array([[r.config["regularizationRate"]] for r in runs])
        for i, run in enumerate(runs):
            trainer = run.state.trainer
            self.params[i] = run.state.net.params
            self.carry[i] = trainer.carry
            if self._sources[i] is not trainer:  # new data (or a new trainer): copy it in
                self.columns[i], self.target_columns[i] = trainer.columns, trainer.target_columns
                self.eval_columns[i] = run.state.evaluator.columns
                self.eval_targets[i] = run.state.evaluator.targets
                self.labels[i] = run.state.data.labels
                self._sources[i] = trainer

    def _epoch(self, training: Array) -> None:
        """One epoch of every run where `training`; the others get their slices back."""
        sitting = ~training
        if sitting.any():
            saved = self.params.copy("K"), self.carry.copy("K")
        size = self.runs[0].state.trainer.batch_size
        self._first_counts = np.array([[size + r.state.trainer.carry_count] for r in self.runs])
        # α and n spread over the parameters: the first update's n counts the carried rows
        spreads = [step_spread(self.rates, counts, self.is_bias)
                   for counts in (self._first_counts, size)]  # fmt: skip
        for spread, buffers in zip(spreads, self._spread_buffers, strict=True):
            for values, buffer in zip(spread, buffers, strict=True):
                np.copyto(buffer, values)
        self._merged = [r.state.trainer.carry_rows for r in self.runs]
        run_calls(self._program)
        if sitting.any():
            np.copyto(self.params, saved[0], where=sitting[:, None])
            np.copyto(self.carry, saved[1], where=sitting[:, None])
        run_calls(self._eval_calls)
        z, h = self._eval.z[-1], self._eval.h[-1]
        point_losses = self.model.loss.value(z, h, self.eval_targets)
        figures = self._figures(h.transpose(0, 2, 1), point_losses)
        finite = np.isfinite(self.params).all(axis=1).tolist()
        died = self._died.any(axis=1).tolist() if self.penalty == "L1" else [False] * len(sitting)
        for i in np.flatnonzero(training).tolist():
            self._finish(i, h[i].T.copy(), point_losses[i], figures[i], finite[i], died[i])

    def _figures(self, outputs: Array, point_losses: Array) -> list[dict]:
        """Every run's mean loss and accuracy per split (engine.metrics, one call a split
        for the group). A run of several classes gets its accuracy when it is read, as
        alone; a regression run sharing the group's shape has none."""
        data = self.runs[0].state.data  # every run's splits: the key holds their sizes
        labels = metrics.predicted_labels(outputs, "classification", self.model.output.name)
        losses = metrics.split_means(point_losses, data)
        shares = metrics.split_means(labels == self.labels, data)
        out = []
        for i, run in enumerate(self.runs):
            problem = run.config["problem"]
            figures: dict[str, Any] = {"losses": {k: v[i] for k, v in losses.items()}}
            if problem != "multiclass":
                accuracy = {k: v[i] for k, v in shares.items()}
                figures["accuracy"] = None if problem == "regression" else accuracy
            out.append(figures)
        return out

    def _finish(self, i: int, outputs: Array, point_losses: Array, figures: dict,
                finite: bool, died: bool) -> None:  # fmt: skip
        """Run i's own bookkeeping after its epoch, as Run.step does it."""
        run, trainer = self.runs[i], self.runs[i].state.trainer
        run.state.net.params[:] = self.params[i]
        if died:
            run.state.net.kill(self._died[i])
        if self.penalty != "none":  # the general update counts its updates, as alone
            trainer.optimizer.t += self.n_updates
        trainer.carry_count, trainer.carry_rows = self.leftover, []
        if self.leftover:
            trainer.carry = self.carry[i]  # the run's history keeps this epoch's carry
            rows = slice(trainer.n_train - self.leftover, trainer.n_train)
            trainer.carry_rows.append((trainer.inputs[rows], trainer.targets[rows]))
        trainer.last_update = self._last_update(i)
        run.finish_epoch((outputs, point_losses), figures, finite)

    def _step(self, k: int) -> None:
        """Update k of the epoch for every run, with each run's own learning rate (and
        penalty rate): the reference's b − (α·Σ)/n and w − (α/n)·Σ, then the penalty."""
        counts = self._first_counts if k == 0 else self.runs[0].state.trainer.batch_size
        last = k == self.n_updates - 1
        if k == 0 and self.penalty == "L1":
            self._died = np.zeros_like(self.params, dtype=bool)
        if self.penalty == "L1" and self._died.any():  # a link that died this epoch takes
            np.multiply(self.grad, ~self._died, self.grad)  # no gradient (as alone)
        if last:
            self._before = self.params.copy("K")
            self._alive_before = np.where(self._died, 0.0, 1.0)
        penalty = None
        if self.penalty != "none":
            penalty = DERIVATIVES[self.penalty](self.params) * self.weight_mask
        reference_step(self.params, self.grad, self._spread_buffers[k > 0], self.tmp)
        if penalty is not None:
            scale = self.rates * self.penalty_rates
            crossed = penalty_step(self.params, penalty, scale, self.penalty == "L1")
            if crossed is not None:
                self.params[crossed] = 0.0  # the link dies (L1), as Network.kill does it
                self._died |= crossed
        if last:
            self._last = (self._before, self.params.copy("K"), self.grad.copy("K"), counts)

    def _last_update(self, i: int) -> LastUpdate:
        """What the inspector keeps of run i's last update (as Trainer._recorded_step)."""
        run, trainer = self.runs[i], self.runs[i].state.trainer
        before, after, grad, counts = self._last  # new arrays each epoch: rows are kept as views
        size = trainer.batch_size
        rows = slice((self.n_updates - 1) * size, self.n_updates * size)
        inputs, targets = trainer.inputs[rows], trainer.targets[rows]
        count = int(counts if np.ndim(counts) == 0 else counts[i, 0])
        if self.n_updates == 1 and self._merged[i]:
            inputs = np.concatenate([x for x, _ in self._merged[i]] + [inputs])
            targets = np.concatenate([t for _, t in self._merged[i]] + [targets])
        c = run.config
        t_before = trainer.optimizer.t - (self.penalty != "none")  # counted after the step
        state = {"t": t_before, "name": trainer.optimizer.name}
        return LastUpdate(
            inputs, targets, before[i], after[i], grad[i], count,
            c["learningRate"], c["regularization"], c["regularizationRate"], state,
            self._alive_before[i],
        )  # fmt: skip


def prepare(runs: list, epochs: list[int], groups: dict) -> list[tuple[tuple, list[int]]]:
    """The groups `train_together` will train these runs in: (their key in `groups`, the
    indices of their runs), compiling any that `groups` does not hold yet. A compile is a
    one-off cost (~14 ms for 20 runs of A), not a cost of the epochs that follow it."""
    by_key: dict[tuple, list[int]] = {}
    for i, run in enumerate(runs):
        key = group_key(run)
        if key is not None:
            by_key.setdefault(key, []).append(i)
    prepared = []
    for key, members in by_key.items():
        if len(members) < 2 or not any(epochs[i] for i in members):
            continue
        # in one order whoever has the turn, and with the members that owe nothing this
        # time (they sit the epochs out): the same class finds its compiled epoch again
        members.sort(key=lambda i: id(runs[i]))
        ids = (key, tuple(id(runs[i]) for i in members))
        if ids not in groups:
            for stale in [other for other in groups if other[0] == key]:
                del groups[stale]  # the same shape with other runs: those runs moved on
            groups[ids] = Group([runs[i] for i in members])
        prepared.append((ids, members))
    return prepared


def train_together(runs: list, epochs: list[int], groups: dict | None = None) -> list[int]:
    """Train each run its epochs, runs of one `group_key` as one Group (kept in `groups`,
    keyed by the key and its runs, so a class that plays on reuses its compiled epoch);
    runs that cannot be grouped, or that stopped early in their group, train alone.
    Returns the epochs each run trained (fewer only for a run that diverged)."""
    groups = {} if groups is None else groups
    done = [0] * len(runs)
    for ids, members in prepare(runs, epochs, groups):
        trained = groups[ids].train([epochs[i] for i in members])
        for i, n in zip(members, trained, strict=True):
            done[i] = n
    for i, run in enumerate(runs):
        before = run.epoch
        run.step(epochs[i] - done[i])
        done[i] += run.epoch - before
    return done
