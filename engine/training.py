"""One epoch of the reference's mini-batch training, with the reference's rounding.

Arrays run transposed: one column per point, so a batch of B points through a layer of
fan_in → fan_out is a few elementwise calls over (fan_in + 1, fan_out, B) terms summed in
the reference's order (engine.network.affine_calls); no BLAS decides a sum's order.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from engine.exact import Call, sum_calls
from engine.losses import Loss, output_delta_calls
from engine.network import Network, affine_calls
from engine.optimizers import OPTIMIZERS
from engine.regularization import DERIVATIVES

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


class _Buffers:
    """Scratch arrays for passes over `rows` points, shared by every batch of that size.

    act[l] is layer l's input (fan_in + 1, rows): the activations, then a row of ones
    (the ones row makes act[l]ᵀ δ_l the gradient of [W_l; b_l] in one product); act[0] is
    each batch's own view of the training columns. z[l], h[l], delta[l] = ∂L/∂z_l are
    (fan_out, rows); h[l] is act[l + 1]'s first rows for a hidden layer. stack[1 + p] takes
    point p's gradient, stack[0] what the sum starts from.
    """

    def __init__(self, net: Network, rows: int, backward: bool = True) -> None:
        sizes = net.layer_sizes
        self.act = [None] + [np.ones((n + 1, rows)) for n in sizes[1:-1]]
        self.z = [np.empty((n, rows)) for n in sizes[1:]]
        self.h = [a[:-1] for a in self.act[1:]] + [np.empty((sizes[-1], rows))]
        self.terms = [np.empty((*shape, rows)) for shape in net.shapes]
        if not backward:
            return
        self.delta = [np.empty_like(v) for v in self.z]
        self.tmp = [np.empty_like(v) for v in self.z]
        self.grad_h = [np.empty_like(v) for v in self.z[:-1]]
        # ∂L/∂h terms (fan_out + 1, fan_in, rows) of layer l >= 1; row 0 stays 0: the
        # reference's sum starts from 0
        self.back_terms = [None] + [np.zeros((m + 1, k - 1, rows)) for k, m in net.shapes[1:]]
        self.stack = np.zeros((rows + 1, net.n_params))


def forward_calls(net: Network, buffers: _Buffers, inputs: Array) -> list[Call]:
    """One forward pass: inputs (fan_in + 1, rows), ending in a row of ones."""
    act = [inputs, *buffers.act[1:]]
    calls: list[Call] = []
    for layer, view in enumerate(net.views):
        z, h = buffers.z[layer], buffers.h[layer]
        calls += affine_calls(act[layer][:-1], view, buffers.terms[layer], z)
        calls += net.activation(layer).forward_calls(z, h)
    return calls


def batch_calls(net: Network, loss: Loss, buffers: _Buffers, inputs: Array, targets: Array,
                total: Array) -> list[Call]:  # fmt: skip
    """One forward and backward pass over a batch's columns (inputs (k + 1, rows) ending in
    ones, targets (K, rows)) that sums ∂L/∂[W_l; b_l] of its points, point by point in
    training order, from stack[0] into `total`.

    The gradient of one point is act[l][:, p] ⊗ δ_l[:, p]; ∂L/∂h_{l-1} = Σ_j w_j δ_{l,j},
    summed over the outgoing links in order (the reference's order).
    """
    b, rows = buffers, inputs.shape[1]
    act, z, h, delta, tmp = [inputs, *b.act[1:]], b.z, b.h, b.delta, b.tmp
    last = len(z) - 1
    calls = forward_calls(net, b, inputs)
    calls += output_delta_calls(net.output, loss, z[last], h[last], targets, delta[last],
                                tmp[last])  # fmt: skip
    for layer in range(last, -1, -1):
        fan_in_plus_bias, fan_out = net.shapes[layer]
        per_point = b.stack[1:, net.slices[layer]].reshape(rows, fan_in_plus_bias, fan_out)
        assert np.shares_memory(per_point, b.stack)
        calls.append((np.multiply, (act[layer].T[:, :, None], delta[layer].T[:, None, :],
                                    per_point)))  # fmt: skip
        if layer == 0:
            continue
        below, terms = layer - 1, b.back_terms[layer]
        calls.append((np.multiply, (net.views[layer][:-1].T[:, :, None],
                                    delta[layer][:, None, :], terms[1:])))  # fmt: skip
        calls += sum_calls(terms, b.grad_h[below])
        calls += net.hidden.backward_calls(z[below], h[below], b.grad_h[below], delta[below],
                                           tmp[below])  # fmt: skip
    return calls + sum_calls(b.stack, total)


class Evaluator:
    """Outputs and per-point losses of fixed rows, rounded exactly like training's forward."""

    def __init__(self, net: Network, loss: Loss, inputs: Array, targets: Array) -> None:
        self._buffers = _Buffers(net, len(inputs), backward=False)
        self._calls = forward_calls(net, self._buffers, with_ones(inputs).T.copy())
        self.loss, self.targets = loss, np.ascontiguousarray(np.asarray(targets).T)

    def __call__(self) -> tuple[Array, Array]:
        """(outputs (n, K), loss of each row (n,)), new arrays."""
        run_calls(self._calls)
        z, h = self._buffers.z[-1], self._buffers.h[-1]
        return h.T.copy(), self.loss.value(z, h, self.targets)


def with_ones(inputs: Array) -> Array:
    """[inputs, 1]: inputs (n, k) with a trailing column of ones, C-contiguous."""
    out = np.ones((len(inputs), inputs.shape[1] + 1))
    out[:, :-1] = inputs
    return out


def run_calls(calls: list[Call]) -> None:
    for function, arguments in calls:
        function(*arguments)


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
        self.inputs = with_ones(inputs)
        self.targets = np.ascontiguousarray(targets, dtype=np.float64)
        self._columns = np.ascontiguousarray(self.inputs.T)
        self._target_columns = np.ascontiguousarray(self.targets.T)
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
        buffers = _Buffers(self.net, columns.shape[1])
        run_calls(batch_calls(self.net, self.loss, buffers, columns, target_columns, grad))
        return grad

    def train_epoch(self, learning_rate: float, regularization: str, rate: float) -> None:
        """One pass over the training rows in their fixed order."""
        if self._program is None:
            self._program = self._compile_epoch()
        self._hyper = (learning_rate, regularization, rate)
        plain_sgd = self.optimizer.name == "sgd" and not self.net.any_dead
        self._plain = plain_sgd and (rate == 0 or DERIVATIVES[regularization] is None)
        run_calls(self._program)

    def _batch_calls(self, rows: slice, total: Array) -> tuple[list[Call], Array]:
        """A batch over `rows` on the buffers shared by its size; with the stack (whose
        row 0 its sum starts from) for the carry."""
        size = rows.stop - rows.start
        if size not in self._buffers:
            self._buffers[size] = _Buffers(self.net, size)
        buffers = self._buffers[size]
        calls = batch_calls(self.net, self.loss, buffers, self._columns[:, rows],
                            self._target_columns[:, rows], total)  # fmt: skip
        return calls, buffers.stack

    def _compile_epoch(self) -> list[Call]:
        size, n_train = self.batch_size, self.n_train
        n_updates = n_train // size
        self._buffers: dict[int, _Buffers] = {}
        program: list[Call] = []
        for k in range(n_updates):
            rows = slice(k * size, (k + 1) * size)
            calls, stack = self._batch_calls(rows, self.grad)
            if k == 0:
                program.append((self._merge_carry, (stack,)))
            program += calls
            last = k == n_updates - 1
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
        stepped = params - (learning_rate * rate) * penalty
        crossed = params * stepped < 0 if regularization == "L1" else None
        np.copyto(params, stepped)
        if crossed is not None and crossed.any():
            net.kill(crossed)  # the penalty crossed zero: the link dies (L1)
    if net.any_dead and optimizer.slots:
        np.multiply(params, net.alive, params)  # momentum must not move a dead link
