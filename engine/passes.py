"""Forward and backward passes as compiled numpy calls, for one run or a stack of runs.

Every array has a leading axis of runs (S of them: one for a run alone, more for runs of one
shape trained together) and one column per point, so a batch of B points through a layer of
fan_in → fan_out is a few elementwise calls over (S, fan_in + 1, fan_out, B) terms summed in
the reference's order. Each run's numbers depend on its own slice only: a run gives the same
bits in a stack of any size as alone.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import numpy as np

from engine.activations import Activation
from engine.exact import Call, TanhScratch, sum_calls
from engine.losses import Loss, output_delta_calls

Array = np.ndarray


def stacked(shape: tuple[int, ...], fill: float | None = None, dtype=np.float64,
            runs_inner: bool = True) -> Array:  # fmt: skip
    """A new array of `shape` (runs first) whose runs axis is innermost in memory when it
    holds several runs. numpy's iterator loops over the axis of smallest stride innermost:
    across runs, every elementwise call of a group then runs as long inner loops (the
    runs of a group) instead of loops over a layer's 2-8 neurons or a batch's points, at a
    quarter of the cost for configuration A's group of 60; the numbers are the same (each
    element's operations and their order do not depend on the layout). Views, reshapes
    and `np.empty_like` keep the layout. `runs_inner=False`: runs outermost (C order), for
    passes over many points (a group's evaluation of every point), whose products then loop
    over the points innermost."""
    if len(shape) < 2 or shape[0] == 1 or not runs_inner:
        out = np.empty(shape, dtype)
    else:
        out = np.moveaxis(np.empty((*shape[1:], shape[0]), dtype), -1, 0)
    if fill is not None:
        out.fill(fill)
    return out


@dataclass(frozen=True)
class Model:
    """What a pass's shapes depend on: layer sizes, activations and the parameter layout
    (layer l's parameters are params[..., slices[l]] read as (fan_in + 1, fan_out), the
    biases as the last row)."""

    layer_sizes: tuple[int, ...]
    hidden: Activation
    output: Activation
    loss: Loss

    @cached_property
    def shapes(self) -> list[tuple[int, int]]:
        sizes = self.layer_sizes
        return [(fan_in + 1, fan_out) for fan_in, fan_out in zip(sizes, sizes[1:], strict=False)]

    @cached_property
    def slices(self) -> list[slice]:
        out, start = [], 0
        for rows, cols in self.shapes:
            out.append(slice(start, start + rows * cols))
            start += rows * cols
        return out

    @cached_property
    def n_params(self) -> int:
        return sum(rows * cols for rows, cols in self.shapes)

    def activation(self, layer: int) -> Activation:
        return self.output if layer == len(self.shapes) - 1 else self.hidden

    def runs(self, first: int = 0, stop: int | None = None) -> list[tuple[int, int]]:
        """(first layer, count) of each run of consecutive layers of one shape among the
        layers first … stop - 1 (their parameters lie side by side)."""
        shapes, stop = self.shapes, len(self.shapes) if stop is None else stop
        out: list[tuple[int, int]] = []
        for layer in range(first, stop):
            if out and shapes[layer] == shapes[layer - 1] and sum(out[-1]) == layer:
                out[-1] = (out[-1][0], out[-1][1] + 1)
            else:
                out.append((layer, 1))
        return out

    def run_view(self, array: Array, first: int, count: int) -> Array:
        """Layers first … first + count - 1 of `array` (S, …, n_params) laid out like the
        parameters, as one (S, …, count, fan_in + 1, fan_out) view."""
        start, stop = self.slices[first].start, self.slices[first + count - 1].stop
        view = array[..., start:stop].reshape(*array.shape[:-1], count, *self.shapes[first])
        assert np.shares_memory(view, array) or not view.size
        return view

    def views(self, params: Array) -> list[Array]:
        """Per layer (S, fan_in + 1, fan_out) views of params (S, n_params)."""
        runs = params.shape[0]
        layout = zip(self.slices, self.shapes, strict=True)
        views = [params[:, s].reshape(runs, *shape) for s, shape in layout]
        assert all(np.shares_memory(view, params) for view in views if view.size)
        return views


def affine_calls(a: Array, view: Array, terms: Array, z: Array) -> list[Call]:
    """The calls that write z = b + w_1·a_1 + w_2·a_2 + … for every run, neuron and point,
    in that order, each product and sum rounded alone (the reference's rounding).

    a: (S, fan_in, n) the layer's inputs, one column per point; view: (S, fan_in + 1,
    fan_out) the weights with the biases as last row; terms: scratch (S, fan_in + 1,
    fan_out, n); z: (S, fan_out, n).
    """
    return [bias_call(view, terms), *product_calls(a, view, terms, z)]


def bias_call(view: Array, terms: Array) -> Call:
    """The bias as each sum's first term (view (…, fan_in + 1, fan_out), terms (…, fan_in
    + 1, fan_out, n)): one call for a layer, or for a run of equal layers."""
    return (np.copyto, (terms[..., 0, :, :], view[..., -1, :, None]))


def product_calls(a: Array, view: Array, terms: Array, z: Array) -> list[Call]:
    """The products w_i·a_i after the bias, and their sum in order (see `affine_calls`)."""
    return [
        (np.multiply, (view[:, :-1, :, None], a[:, :, None, :], terms[:, 1:])),
        *sum_calls(terms, z, axis=1),
    ]


_stacked = stacked


class Buffers:
    """Scratch arrays for passes over `rows` points of S runs, shared by every batch of
    that size.

    act[l] is layer l's input (S, fan_in + 1, rows): the activations, then a row of ones
    (the ones row makes the gradient of [W_l; b_l] one product); act[0] is each batch's own
    view of the training columns. z[l], h[l], delta[l] = ∂L/∂z_l are (S, fan_out, rows);
    h[l] is act[l + 1]'s first rows for a hidden layer. The hidden layers' act, z, delta and
    φ'(z) (der) are blocks of one array each (`acts`, `zs`, `deltas`, `ders`, a block of
    n + 1 rows per hidden layer of n neurons), so that one call takes φ' of every hidden
    layer and one call the per-point gradients of a run of equal layers. stack[:, 1 + p]
    takes point p's gradient, stack[:, 0] what the sum starts from.
    """

    def __init__(self, model: Model, runs: int, rows: int, backward: bool = True,
                 runs_inner: bool = True) -> None:  # fmt: skip
        sizes, hidden = model.layer_sizes, model.layer_sizes[1:-1]

        def stacked(shape: tuple[int, ...], fill: float | None = None) -> Array:
            return _stacked(shape, fill, runs_inner=runs_inner)

        self.offsets = [sum(n + 1 for n in hidden[:i]) for i in range(len(hidden))]
        total = sum(n + 1 for n in hidden)
        self.acts, self.zs = stacked((runs, total, rows), 1.0), stacked((runs, total, rows), 0.0)
        self.act = [None] + self._blocks(self.acts, hidden, 1)
        self.z = self._blocks(self.zs, hidden) + [stacked((runs, sizes[-1], rows))]
        self.h = [a[:, :-1] for a in self.act[1:]] + [stacked((runs, sizes[-1], rows))]
        compiled = [model.activation(i).compiled_forward for i in range(len(sizes) - 1)]
        largest = max(
            (runs * n * rows for n, c in zip(sizes[1:], compiled, strict=True) if c), default=0
        )
        self.scratch = TanhScratch(largest) if largest else None  # every layer's tanh shares it
        # the affine terms (S, fan_in + 1, fan_out, rows) of a run of equal layers in one
        # array, so that one call copies their biases (each sum's first term)
        self.term_runs = [(first, count, stacked((runs, count, *model.shapes[first], rows)))
                          for first, count in model.runs()]  # fmt: skip
        self.terms = [terms[:, i] for _, count, terms in self.term_runs for i in range(count)]
        if not backward:
            return
        self.deltas, self.ders = (
            stacked((runs, total, rows), 0.0),
            stacked((runs, total, rows), 0.0),
        )
        self.delta = self._blocks(self.deltas, hidden) + [np.empty_like(self.z[-1])]
        self.der = self._blocks(self.ders, hidden)
        self.tmp = np.empty_like(self.z[-1])  # the output layer's scratch
        self.grad_h = [np.empty_like(v) for v in self.z[:-1]]
        # ∂L/∂h terms (S, fan_out, fan_in, rows) of layer l >= 1 (one outgoing link: none,
        # its product is the sum)
        self.back_terms = [None] + [
            stacked((runs, m, k - 1, rows), 0.0) if m > 1 else None for k, m in model.shapes[1:]
        ]
        self.stack = stacked((runs, rows + 1, model.n_params), 0.0)

    def _blocks(self, array: Array, hidden: tuple[int, ...], extra: int = 0) -> list[Array]:
        """Views of each hidden layer's block of `array` (n rows, or n + `extra`)."""
        blocks = [array[:, o : o + n + extra] for o, n in zip(self.offsets, hidden, strict=True)]
        assert all(np.shares_memory(block, array) for block in blocks)
        return blocks

    def run_of_blocks(self, array: Array, first: int, count: int, width: int) -> Array:
        """Blocks first … first + count - 1 of `array` (hidden layers of `width` neurons
        each) as one (S, count, width + 1, rows) view."""
        start = self.offsets[first]
        view = array[:, start : start + count * (width + 1)]
        view = view.reshape(view.shape[0], count, width + 1, view.shape[-1])
        assert np.shares_memory(view, array)
        return view


def forward_calls(model: Model, params: Array, buffers: Buffers, inputs: Array) -> list[Call]:
    """One forward pass of params (S, n_params): inputs (S, fan_in + 1, rows), ending in a
    row of ones. Every bias is copied first (they do not change within a pass)."""
    act, views = [inputs, *buffers.act[1:]], model.views(params)
    calls = [bias_call(model.run_view(params, first, count), terms)
             for first, count, terms in buffers.term_runs]  # fmt: skip
    for layer, view in enumerate(views):
        z, h = buffers.z[layer], buffers.h[layer]
        calls += product_calls(act[layer][:, :-1], view, buffers.terms[layer], z)
        calls += model.activation(layer).forward_calls(z, h, buffers.scratch)
    return calls


def batch_calls(model: Model, params: Array, buffers: Buffers, inputs: Array,
                targets: Array, total: Array) -> list[Call]:  # fmt: skip
    """One forward and backward pass over a batch's columns (inputs (S, k + 1, rows) ending
    in ones, targets (S, K, rows)) that sums ∂L/∂[W_l; b_l] of its points, point by point in
    training order, from stack[:, 0] into `total` (S, n_params).

    ∂L/∂h_{l-1} = Σ_j w_j δ_{l,j} is summed over the outgoing links in order (the
    reference's order) and δ_{l-1} = ∂L/∂h_{l-1} · φ'(z_{l-1}), φ' of every hidden layer
    taken in one call after the forward pass (the same numbers: z and h do not change in
    between). The gradient of one point is act[l][:, :, p] ⊗ δ_l[:, :, p]. The reference's
    sum starts from 0: 0 + w_1 δ_1 + … is the same number as w_1 δ_1 + …, but for a zero's
    sign, which no later sum, product or update can tell (every gradient sum starts from
    +0), so the 0 is left out.
    """
    b, views = buffers, model.views(params)
    z, h, delta = b.z, b.h, b.delta
    last = len(z) - 1
    calls = forward_calls(model, params, b, inputs)
    if last:
        calls += model.hidden.derivative_calls(b.zs, b.acts, b.ders)
    calls += output_delta_calls(model.output, model.loss, z[last], h[last], targets,
                                delta[last], b.tmp)  # fmt: skip
    for layer in range(last, 0, -1):
        below, terms = layer - 1, b.back_terms[layer]
        products = b.grad_h[below][:, None] if terms is None else terms
        calls.append((np.multiply, (views[layer][:, :-1].transpose(0, 2, 1)[:, :, :, None],
                                    delta[layer][:, :, None, :], products)))  # fmt: skip
        if terms is not None:
            calls += sum_calls(terms, b.grad_h[below], axis=1)
        calls.append((np.multiply, (b.grad_h[below], b.der[below], delta[below])))
    calls += gradient_calls(model, b, inputs)
    return calls + sum_calls(b.stack, total, axis=1)


def gradient_calls(model: Model, b: Buffers, inputs: Array) -> list[Call]:
    """Every point's ∂L/∂[W_l; b_l] = act[l] ⊗ δ_l into the stack: one product per layer,
    or per run of equal hidden-to-hidden layers (whose blocks lie side by side)."""
    n_layers = len(model.shapes)
    layers = [(0, 1)] + model.runs(1, n_layers - 1) + [(n_layers - 1, 1)] * (n_layers > 1)
    calls = []
    for layer, count in layers:
        out = model.run_view(b.stack[:, 1:], layer, count)  # (S, rows, count, k + 1, m)
        if count == 1:
            act, grad = [inputs, *b.act[1:]][layer][:, None], b.delta[layer][:, None]
        else:  # hidden layers layer - 1 … feed hidden layers layer … (all n wide)
            n = model.shapes[layer][1]
            act = b.run_of_blocks(b.acts, layer - 1, count, n)
            grad = b.run_of_blocks(b.deltas, layer, count, n)[:, :, :n]
        points_first = act.transpose(0, 3, 1, 2)[..., None], grad.transpose(0, 3, 1, 2)
        calls.append((np.multiply, (points_first[0], points_first[1][:, :, :, None, :], out)))
    return calls


def with_ones(inputs: Array) -> Array:
    """[inputs, 1]: inputs (n, k) with a trailing column of ones, C-contiguous."""
    out = np.ones((len(inputs), inputs.shape[1] + 1))
    out[:, :-1] = inputs
    return out


def flattened(calls: list[Call]) -> list[Call]:
    """The same calls, each elementwise one over arrays of one shape and one memory layout
    given 1-D views of them in memory order instead. numpy runs a call over 1-D contiguous
    arrays without setting up its strided iterator: half the cost of a call over a group's
    (runs, neurons, points) arrays, whose runs axis is innermost in memory (`stacked`).
    Element k of every flat view is the same element of each array, so every number is
    the same."""
    return [_flattened(function, arguments) for function, arguments in calls]


def _flattened(function, arguments: tuple) -> Call:
    if not isinstance(function, np.ufunc):
        return function, arguments
    arrays = [a for a in arguments if isinstance(a, np.ndarray)]
    if len(arrays) < 2 or any(a.shape != arrays[0].shape for a in arrays) or arrays[0].ndim < 2:
        return function, arguments
    views = [_flat(a) for a in arrays]
    if any(v is None for v in views) or len({order for order, _ in views}) > 1:
        return function, arguments
    flat = iter(view for _, view in views)
    return function, tuple(next(flat) if isinstance(a, np.ndarray) else a for a in arguments)


def _flat(array: Array) -> tuple[tuple[int, ...], Array] | None:
    """(the order of its axes longer than one, outermost first; a 1-D view of `array` in
    memory order), or None when its elements do not lie contiguously in memory."""
    order = sorted(range(array.ndim), key=lambda i: -array.strides[i] * (array.shape[i] > 1))
    laid = array.transpose(order)
    if not laid.flags.c_contiguous:
        return None
    view = laid.reshape(-1)
    assert np.shares_memory(view, array) or not view.size
    return tuple(i for i in order if array.shape[i] > 1), view


def run_calls(calls: list[Call]) -> None:
    for function, arguments in calls:
        function(*arguments)
