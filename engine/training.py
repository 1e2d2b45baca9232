"""One epoch of the reference's mini-batch training, each batch as matrix products."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from engine.activations import Call
from engine.losses import Loss, output_delta_calls
from engine.network import Network
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


class _Batch:
    """Scratch arrays for batches of `rows` points, and the numpy calls of one forward and
    backward pass over them that sum ∂L/∂[W_l; b_l] into `grad_views`.

    z_l = [a_{l-1}, 1] @ [W_l; b_l], h_l = φ(z_l); δ_l = ∂L/∂z_l; the gradient of layer l is
    [a_{l-1}, 1]ᵀ δ_l and ∂L/∂h_{l-1} = δ_l W_lᵀ. Only the first and last calls and the
    output delta touch a batch's own rows; the others are shared by every batch of the size.
    """

    def __init__(self, net: Network, loss: Loss, rows: int, grad_views: list[Array] | None) -> None:
        sizes, views = net.layer_sizes[1:], net.views
        self.z = [np.empty((rows, n)) for n in sizes]
        # hidden outputs carry a trailing column of ones, so [h, 1] @ [W; b] needs no copy
        self.acts = [np.ones((rows, n + 1)) for n in sizes[:-1]]
        self.h = [a[:, :-1] for a in self.acts] + [np.empty((rows, sizes[-1]))]
        self.delta = [np.empty((rows, n)) for n in sizes]
        self.tmp = [np.empty((rows, n)) for n in sizes]
        self.grad_h = [np.empty((rows, n)) for n in sizes[:-1]]
        self.net, self.loss, self.grad_views = net, loss, grad_views
        last = len(sizes) - 1
        self.forward = []
        for layer in range(last):
            self.forward += net.hidden.forward_calls(self.z[layer], self.h[layer])
            self.forward.append((self.acts[layer].dot, (views[layer + 1], self.z[layer + 1])))
        self.forward += net.output.forward_calls(self.z[last], self.h[last])
        self.backward = []
        for layer in range(last if grad_views is not None else 0, 0, -1):
            below = layer - 1
            self.backward += [
                (self.acts[below].T.dot, (self.delta[layer], grad_views[layer])),
                (self.delta[layer].dot, (views[layer][:-1].T, self.grad_h[below])),
                *net.hidden.backward_calls(
                    self.z[below], self.h[below], self.grad_h[below], self.delta[below],
                    self.tmp[below],
                ),
            ]  # fmt: skip

    def calls(self, inputs: Array, targets: Array) -> list[Call]:
        """The calls for these rows: inputs (rows, k + 1) ending in 1, targets (rows, K)."""
        out = -1
        delta = output_delta_calls(
            self.net.output, self.loss, self.z[out], self.h[out], targets, self.delta[out],
            self.tmp[out],
        )  # fmt: skip
        return [
            (inputs.dot, (self.net.views[0], self.z[0])),
            *self.forward,
            *delta,
            *self.backward,
            (inputs.T.dot, (self.delta[0], self.grad_views[0])),
        ]


class Evaluator:
    """Outputs and per-point losses of fixed rows, with the same calls as training's forward
    pass (one matrix product per layer over all the rows)."""

    def __init__(self, net: Network, loss: Loss, inputs: Array, targets: Array) -> None:
        self._batch = _Batch(net, loss, len(inputs), None)
        self._inputs = with_ones(inputs)
        self._calls = [(self._inputs.dot, (net.views[0], self._batch.z[0])), *self._batch.forward]
        self.loss, self.targets = loss, targets

    def __call__(self) -> tuple[Array, Array]:
        """(outputs (n, K), loss of each row (n,)), new arrays."""
        run_calls(self._calls)
        z, h = self._batch.z[-1], self._batch.h[-1]
        return h.copy(), self.loss.value(z, h, self.targets)


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

    Gradients of the points since the last update are summed; every `batch_size` points of
    an epoch the sum is applied as its mean. Leftover points at the end of an epoch are
    carried (their gradient sum and count) into the next epoch's first update.

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
        self.grad = np.zeros(net.n_params)
        self.rest = np.zeros(net.n_params)
        self.tmp = np.zeros(net.n_params)
        self.carry = np.zeros(net.n_params)
        self.carry_count = 0
        self.carry_rows: list[tuple[Array, Array]] = []
        self.optimizer = OPTIMIZERS[optimizer](net.n_params)
        self.last_update: LastUpdate | None = None
        self._count, self._merged_rows = batch_size, []
        self._hyper: tuple[float, str, float] = (0.0, "none", 0.0)
        self._program: list[Call] | None = None
        self._plain = False

    @property
    def n_train(self) -> int:
        return len(self.inputs)

    def set_optimizer(self, name: str) -> None:
        if name != self.optimizer.name:
            self.optimizer = OPTIMIZERS[name](self.net.n_params)

    def gradient_sum(self, inputs: Array, targets: Array) -> Array:
        """Σ over rows (inputs ending in 1) of ∂L/∂params, computed like training does."""
        grad = np.zeros(self.net.n_params)
        batch = _Batch(self.net, self.loss, len(inputs), self.net.parameter_views(grad))
        run_calls(batch.calls(inputs, targets))
        return grad

    def train_epoch(self, learning_rate: float, regularization: str, rate: float) -> None:
        """One pass over the training rows in their fixed order."""
        if self._program is None:
            self._program = self._compile_epoch()
        self._hyper = (learning_rate, regularization, rate)
        plain_sgd = self.optimizer.name == "sgd" and not self.net.any_dead
        self._plain = plain_sgd and (rate == 0 or DERIVATIVES[regularization] is None)
        for function, arguments in self._program:
            function(*arguments)

    def _compile_epoch(self) -> list[Call]:
        size, n_train = self.batch_size, self.n_train
        n_updates = n_train // size
        program: list[Call] = []
        if n_updates:
            batch = _Batch(self.net, self.loss, size, self.net.parameter_views(self.grad))
            for k in range(n_updates):
                rows = slice(k * size, (k + 1) * size)
                program += batch.calls(self.inputs[rows], self.targets[rows])
                if k == 0:
                    program.append((self._merge_carry, ()))
                last = k == n_updates - 1
                program.append((self._recorded_step, (rows,)) if last else (self._step, ()))
        leftover = n_train - n_updates * size
        if leftover:
            rows = slice(n_train - leftover, n_train)
            batch = _Batch(self.net, self.loss, leftover, self.net.parameter_views(self.rest))
            program += batch.calls(self.inputs[rows], self.targets[rows])
            program.append((self._stash_leftover, (rows, n_updates > 0)))
        return program

    def _merge_carry(self) -> None:
        """Add last epoch's leftover gradients to this epoch's first update."""
        self._count, self._merged_rows = self.batch_size, []
        if self.carry_count:
            np.add(self.grad, self.carry, self.grad)
            self._count += self.carry_count
            self._merged_rows = self.carry_rows
            self.carry.fill(0.0)
            self.carry_count, self.carry_rows = 0, []

    def _stash_leftover(self, rows: slice, any_update: bool) -> None:
        np.add(self.carry, self.rest, self.carry)
        self.carry_count += rows.stop - rows.start
        if any_update:  # without any update in an epoch the rows are never applied
            self.carry_rows.append((self.inputs[rows], self.targets[rows]))

    def _step(self) -> None:
        if self._plain:  # the reference's case, without the general update's checks
            np.multiply(self.grad, self._hyper[0] / self._count, self.tmp)
            np.subtract(self.net.params, self.tmp, self.net.params)
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
        self._step()
        self.last_update = LastUpdate(
            inputs, targets, before, self.net.params.copy(), self.grad.copy(), count,
            *self._hyper,
        )  # fmt: skip

    def update(self, count: int, learning_rate: float, regularization: str, rate: float) -> None:
        """Apply the gradient sum of `count` points: the optimizer's step on the mean, then
        the penalty step −α·λ·R'(w) with R' taken before the update (biases excluded)."""
        net, params, grad = self.net, self.net.params, self.grad
        if net.any_dead:
            np.multiply(grad, net.alive, grad)  # a dead link takes no gradient
        derivative = DERIVATIVES[regularization] if rate else None
        if derivative is None:
            self.optimizer.apply(params, grad, count, learning_rate, self.tmp)
        else:
            penalty = derivative(params) * net.weight_mask
            self.optimizer.apply(params, grad, count, learning_rate, self.tmp)
            stepped = params - (learning_rate * rate) * penalty
            crossed = params * stepped < 0 if regularization == "L1" else None
            np.copyto(params, stepped)
            if crossed is not None and crossed.any():
                net.kill(crossed)  # the penalty crossed zero: the link dies (L1)
        if net.any_dead and self.optimizer.slots:
            np.multiply(params, net.alive, params)  # momentum must not move a dead link

    def adopt_state(self, previous: Trainer) -> None:
        """Continue `previous`'s carried gradients, optimizer and last update (new data)."""
        self.carry, self.carry_count = previous.carry.copy(), previous.carry_count
        self.carry_rows = list(previous.carry_rows)
        self.optimizer, self.last_update = previous.optimizer, previous.last_update
