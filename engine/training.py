"""One epoch of the reference's mini-batch training, with the reference's rounding.

Arrays run transposed: one column per point, so a batch of B points through a layer of
fan_in → fan_out is a few elementwise calls over (fan_in + 1, fan_out, B) terms summed in
the reference's order (engine.passes); no BLAS decides a sum's order.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from engine.exact import Call
from engine.losses import Loss
from engine.network import Network
from engine.optimizers import OPTIMIZERS
from engine.passes import Buffers, Model, batch_calls, forward_calls, run_calls, with_ones
from engine.regularization import DERIVATIVES, penalty_step

Array = np.ndarray


@dataclass
class LastUpdate:
    """The most recent update, kept for the inspector: the rows it averaged (inputs with
    a trailing 1, targets), the parameters before and after it and the gradient sum."""

    inputs: Array
    targets: Array
    params_before: Array
    params_after: Array
    grad_sum: Array
    count: int
    learning_rate: float
    regularization: str
    regularization_rate: float
    optimizer_before: dict | None = None  # the optimizer's state() copied before the step
    alive_before: Array | None = None  # net.alive before the step (L1 may kill a link)


class Evaluator:
    """Outputs and per-point losses of fixed rows, rounded exactly like training's forward."""

    def __init__(self, net: Network, loss: Loss, inputs: Array, targets: Array) -> None:
        model = model_of(net, loss)
        self._buffers = Buffers(model, 1, len(inputs), backward=False)
        self.columns = with_ones(inputs).T.copy()  # (k + 1, n): one column per point
        self._calls = forward_calls(model, net.params[None], self._buffers, self.columns[None])
        self.loss, self.targets = loss, np.ascontiguousarray(np.asarray(targets).T)

    def __call__(self) -> tuple[Array, Array]:
        """(outputs (n, K), loss of each row (n,)), new arrays."""
        run_calls(self._calls)
        z, h = self._buffers.z[-1][0], self._buffers.h[-1][0]
        return h.T.copy(), self.loss.value(z, h, self.targets)


def model_of(net: Network, loss: Loss) -> Model:
    return Model(tuple(net.layer_sizes), net.hidden, net.output, loss)


class Trainer:
    """Trains `net` on fixed training rows with the reference's rules (semantics §5).

    Gradients of the points since the last update are summed point by point; every
    `batch_size` points of an epoch the sum is applied. Leftover points at the end of an
    epoch carry their gradient sum and count into the next epoch's first update.

    With batches of ten points numpy's per-call overhead dominates, so an epoch is compiled
    once into a flat list of numpy calls over preallocated buffers and replayed.
    """

    def __init__(
        self, net: Network, loss: Loss, inputs: Array, targets: Array, batch_size: int,
        optimizer: str = "sgd",
    ) -> None:  # fmt: skip
        self.net, self.loss, self.batch_size = net, loss, batch_size
        self.model = model_of(net, loss)
        self.inputs = with_ones(inputs)
        self.targets = np.ascontiguousarray(targets, dtype=np.float64)
        self.columns = np.ascontiguousarray(self.inputs.T)
        self.target_columns = np.ascontiguousarray(self.targets.T)
        self.grad = np.zeros(net.n_params)
        self.tmp = np.zeros(net.n_params)
        self._carry = np.zeros(net.n_params)  # the compiled epoch writes into this buffer
        self.carry_count = 0
        self.carry_rows: list[tuple[Array, Array]] = []
        self.optimizer = OPTIMIZERS[optimizer](net.n_params)
        self.last_update: LastUpdate | None = None
        self.is_bias = net.weight_mask == 0.0
        self._count, self._merged_rows = batch_size, []
        self._hyper: tuple[float, str, float] = (0.0, "none", 0.0)
        self._program: list[Call] | None = None
        self._marks: list[tuple[int, int, int]] = []
        self.position = 0  # the next batch of the epoch (after train_batch)
        self._plain = False
        self._sgd = OPTIMIZERS["sgd"](net.n_params)  # the reference's step, uncounted

    @property
    def carry(self) -> Array:
        """The gradient sum of the points not yet applied (carried into the next update)."""
        return self._carry

    @carry.setter
    def carry(self, values: Array) -> None:
        np.copyto(self._carry, values)

    @property
    def n_train(self) -> int:
        return len(self.inputs)

    def set_optimizer(self, name: str) -> None:
        if name != self.optimizer.name:
            self.optimizer = OPTIMIZERS[name](self.net.n_params)

    def gradient_sum(self, inputs: Array, targets: Array) -> Array:
        """Σ over rows (inputs ending in 1) of ∂L/∂params, summed as training sums them."""
        grad = np.zeros(self.net.n_params)
        columns = np.ascontiguousarray(np.asarray(inputs, dtype=np.float64).T)
        target_columns = np.ascontiguousarray(np.asarray(targets, dtype=np.float64).T)
        buffers = Buffers(self.model, 1, columns.shape[1])
        run_calls(batch_calls(self.model, self.net.params[None], buffers, columns[None],
                              target_columns[None],
                              grad[None]))  # fmt: skip
        return grad

    def train_epoch(self, learning_rate: float, regularization: str, rate: float) -> None:
        """One pass over the training rows in their fixed order (or the rest of the epoch
        after `train_batch`)."""
        self._prepare(learning_rate, regularization, rate)
        if self.position:
            run_calls(self._program[self._marks[self.position][0] :])
            self.position = 0
            return
        run_calls(self._program)

    def train_batch(self, learning_rate: float, regularization: str, rate: float) -> bool:
        """One batch of the epoch and its update, recorded for the inspector (the lecture's
        loop one update at a time; the same calls as `train_epoch`, in pieces). True when
        it ended the epoch; an epoch without any update is trained whole."""
        self._prepare(learning_rate, regularization, rate)
        if not self._marks:
            run_calls(self._program)
            return True
        start, step_at, end = self._marks[self.position]
        run_calls(self._program[start:step_at])
        size = self.batch_size
        self._recorded_step(slice(self.position * size, (self.position + 1) * size))
        run_calls(self._program[step_at + 1 : end])
        self.position = (self.position + 1) % len(self._marks)
        return self.position == 0

    @property
    def n_updates(self) -> int:
        """Updates per epoch."""
        return self.n_train // self.batch_size

    def _prepare(self, learning_rate: float, regularization: str, rate: float) -> None:
        if self._program is None:
            self._program = self._compile_epoch()
        self._hyper = (learning_rate, regularization, rate)
        plain_sgd = self.optimizer.name == "sgd" and not self.net.any_dead
        self._plain = plain_sgd and (rate == 0 or DERIVATIVES[regularization] is None)

    def _batch_calls(self, rows: slice, total: Array) -> tuple[list[Call], Array]:
        """A batch over `rows` on the buffers shared by its size; with the stack (whose
        row 0 its sum starts from) for the carry."""
        size = rows.stop - rows.start
        if size not in self._buffers:
            self._buffers[size] = Buffers(self.model, 1, size)
        buffers = self._buffers[size]
        calls = batch_calls(self.model, self.net.params[None], buffers, self.columns[None, :, rows],
                            self.target_columns[None, :, rows], total[None])  # fmt: skip
        return calls, buffers.stack[0]

    def _compile_epoch(self) -> list[Call]:
        size, n_train = self.batch_size, self.n_train
        n_updates = n_train // size
        self._buffers: dict[int, Buffers] = {}
        program: list[Call] = []
        self._marks: list[tuple[int, int, int]] = []  # (start, its step, end) per update
        for k in range(n_updates):
            rows = slice(k * size, (k + 1) * size)
            calls, stack = self._batch_calls(rows, self.grad)
            start = len(program)
            if k == 0:
                program.append((self._merge_carry, (stack,)))
            program += calls
            last = k == n_updates - 1
            self._marks.append((start, len(program), 0))
            program.append((self._recorded_step, (rows,)) if last else (self._step, ()))
            if k == 0:
                program.append((stack[0].fill, (0.0,)))  # later batches start from 0
        leftover = n_train - n_updates * size
        if leftover:
            rows = slice(n_train - leftover, n_train)
            calls, stack = self._batch_calls(rows, self.carry)
            program.append((np.copyto, (stack[0], self.carry)))  # go on from the carry
            program += calls
            program.append((self._stash_leftover, (rows, n_updates > 0)))
        ends = [start for start, _, _ in self._marks[1:]] + [len(program)] * bool(self._marks)
        self._marks = [(s, at, end) for (s, at, _), end in zip(self._marks, ends, strict=True)]
        return program

    def _merge_carry(self, stack: Array) -> None:
        """Last epoch's leftover gradients start this epoch's first sum."""
        self._count, self._merged_rows = self.batch_size, []
        if self.carry_count:
            np.copyto(stack[0], self.carry)
            self._count += self.carry_count
            self._merged_rows = self.carry_rows
            self.carry.fill(0.0)
            self.carry_count, self.carry_rows = 0, []

    def _stash_leftover(self, rows: slice, any_update: bool) -> None:
        self.carry_count += rows.stop - rows.start
        if any_update:  # without any update in an epoch the rows are never applied
            self.carry_rows.append((self.inputs[rows], self.targets[rows]))

    def _step(self) -> None:
        if self._plain:  # the reference's case, without the general update's checks
            self._sgd.apply(self.net.params, self.grad, self._count, self._hyper[0], self.tmp,
                            self.is_bias)  # fmt: skip
        else:
            self.update(self._count, *self._hyper)
        self._count, self._merged_rows = self.batch_size, []

    def _recorded_step(self, rows: slice) -> None:
        """The epoch's last update, keeping what the inspector needs to recompute it."""
        inputs, targets = self.inputs[rows], self.targets[rows]
        if self._merged_rows:
            inputs = np.concatenate([x for x, _ in self._merged_rows] + [inputs])
            targets = np.concatenate([t for _, t in self._merged_rows] + [targets])
        before, count = self.net.params.copy(), self._count
        state = {k: v.copy() if isinstance(v, np.ndarray) else v
                 for k, v in self.optimizer.state().items()}  # fmt: skip
        state["name"] = self.optimizer.name
        alive = self.net.alive.copy()
        self._step()
        self.last_update = LastUpdate(
            inputs, targets, before, self.net.params.copy(), self.grad.copy(), count,
            *self._hyper, state, alive,
        )  # fmt: skip

    def update(self, count: int, learning_rate: float, regularization: str, rate: float) -> None:
        """Apply the gradient sum of `count` points (see `apply_update`)."""
        apply_update(self.net, self.optimizer, self.grad, count, learning_rate, regularization,
                     rate, self.tmp, self.is_bias)  # fmt: skip

    def adopt_state(self, previous: Trainer) -> None:
        """Continue `previous`'s carried gradients, optimizer and last update (new data)."""
        self.carry, self.carry_count = previous.carry.copy(), previous.carry_count
        self.carry_rows = list(previous.carry_rows)
        self.optimizer, self.last_update = previous.optimizer, previous.last_update


def apply_update(net: Network, optimizer, grad: Array, count: int, learning_rate: float,
                 regularization: str, rate: float, tmp: Array, is_bias: Array) -> None:  # fmt: skip
    """The one update rule (training's, and the inspector's on copies): the gradient sum
    `grad` of `count` points through the optimizer's step, then the penalty step
    w − (α·λ)·R'(w) with R' taken before the update (biases excluded). Changes net.params,
    net.alive, the optimizer's state and `grad` (a dead link's gradient is zeroed)."""
    params = net.params
    if net.any_dead:
        np.multiply(grad, net.alive, grad)  # a dead link takes no gradient
    derivative = DERIVATIVES[regularization] if rate else None
    penalty = None if derivative is None else derivative(params) * net.weight_mask
    optimizer.apply(params, grad, count, learning_rate, tmp, is_bias)
    if penalty is not None:
        crossed = penalty_step(params, penalty, learning_rate * rate, regularization == "L1")
        if crossed is not None and crossed.any():
            net.kill(crossed)  # the penalty crossed zero: the link dies (L1)
    if net.any_dead and optimizer.slots:
        np.multiply(params, net.alive, params)  # momentum must not move a dead link
