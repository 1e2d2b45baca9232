"""A multilayer perceptron whose weights and biases live in one flat float64 vector."""

from __future__ import annotations

import numpy as np

from engine.activations import Activation
from engine.passes import affine_calls
from engine.rng import SeedRandom

Array = np.ndarray
INITIAL_BIAS = 0.1  # the reference starts every bias at 0.1, not at random


def parameter_shapes(layer_sizes: list[int]) -> list[tuple[int, int]]:
    """(fan_in + 1, fan_out) per layer: the weight rows, then one bias row."""
    return [
        (fan_in + 1, fan_out) for fan_in, fan_out in zip(layer_sizes, layer_sizes[1:], strict=False)
    ]


def initial_parameters(layer_sizes: list[int], rng: SeedRandom, init_zero: bool) -> Array:
    """The reference's first weights: U(-0.5, 0.5) drawn layer by layer, destination neuron
    by destination neuron, source by source; biases 0.1. initZero: all 0 and no draws."""
    blocks = []
    for fan_in_plus_bias, fan_out in parameter_shapes(layer_sizes):
        block = np.zeros((fan_in_plus_bias, fan_out))
        if not init_zero:
            for target in range(fan_out):
                for source in range(fan_in_plus_bias - 1):
                    block[source, target] = rng.random() - 0.5
            block[-1] = INITIAL_BIAS
        blocks.append(block.ravel())
    return np.concatenate(blocks) if blocks else np.zeros(0)


class Network:
    """Layer l maps layer_sizes[l] neurons to layer_sizes[l + 1].

    `params` is the flat vector; views[l] is layer l's augmented matrix (fan_in + 1, fan_out)
    so that z = [a, 1] @ views[l] = a @ W_l + b_l. `alive` is 1.0 per parameter, 0.0 for an
    L1-dead link; `weight_mask` is 1.0 on weights and 0.0 on biases (never regularized).
    """

    def __init__(
        self, layer_sizes: list[int], hidden: Activation, output: Activation, params: Array
    ) -> None:
        self.layer_sizes = list(layer_sizes)
        self.hidden, self.output = hidden, output
        self.shapes = parameter_shapes(self.layer_sizes)
        n_params = sum(rows * cols for rows, cols in self.shapes)
        if params.shape != (n_params,):
            raise ValueError(f"params: expected {n_params} values, got shape {params.shape}")
        self.params = np.array(params, dtype=np.float64)
        self.views, self.slices, start = [], [], 0
        for rows, cols in self.shapes:
            self.slices.append(slice(start, start + rows * cols))
            self.views.append(self.params[start : start + rows * cols].reshape(rows, cols))
            start += rows * cols
        self.weight_mask = np.ones(n_params)
        for view in self.parameter_views(self.weight_mask):
            view[-1] = 0.0
        self.alive = np.ones(n_params)
        self.any_dead = False

    @property
    def n_params(self) -> int:
        return self.params.size

    def parameter_views(self, flat: Array) -> list[Array]:
        """Per-layer (fan_in + 1, fan_out) views of any vector laid out like `params`."""
        return [flat[s].reshape(shape) for s, shape in zip(self.slices, self.shapes, strict=True)]

    def activation(self, layer: int) -> Activation:
        return self.output if layer == len(self.shapes) - 1 else self.hidden

    @property
    def weights(self) -> list[Array]:
        return [view[:-1].copy() for view in self.views]

    @property
    def biases(self) -> list[Array]:
        return [view[-1].copy() for view in self.views]

    def dead_masks(self) -> list[Array]:
        """Per layer, True where an L1-dead link is, shape (fan_in, fan_out)."""
        return [view[:-1] == 0.0 for view in self.parameter_views(self.alive)]

    def kill(self, crossed: Array) -> None:
        """Mark the links where `crossed` (flat bool) is True as dead, with weight 0."""
        self.params[crossed] = 0.0
        self.alive[crossed] = 0.0
        self.any_dead = bool(self.any_dead or crossed.any())

    def revive(self, flat_index: Array | int) -> None:
        self.alive[flat_index] = 1.0
        self.any_dead = bool((self.alive == 0.0).any())

    def flat_index(self, layer: int, row: int, column: int) -> int:
        rows, cols = self.shapes[layer]
        return self.slices[layer].start + row * cols + column

    def forward(self, inputs: Array) -> list[tuple[Array, Array]]:
        """(z, h) of every layer for inputs (n, layer_sizes[0]), each (n, neurons), float64,
        rounded as training rounds them (see `affine_calls`)."""
        a = np.ascontiguousarray(np.asarray(inputs, dtype=np.float64).T)[None]
        layers = []
        for layer, view in enumerate(self.views):
            fan_in_plus_bias, fan_out = view.shape
            terms = np.empty((1, fan_in_plus_bias, fan_out, a.shape[2]))
            z = np.empty((1, fan_out, a.shape[2]))
            for function, arguments in affine_calls(a, view[None], terms, z):
                function(*arguments)
            h = self.activation(layer).forward(z, np.empty_like(z))
            layers.append((z[0].T, h[0].T))
            a = h
        return layers

    def predict(self, inputs: Array) -> Array:
        """The output layer's h for inputs (n, layer_sizes[0]): shape (n, n_outputs)."""
        return self.forward(inputs)[-1][1]
