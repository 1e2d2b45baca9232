"""Every neuron's output over the picture grid, and 10×10 thumbnails by block means."""

from __future__ import annotations

import functools

import numpy as np

from engine.edits import checked_index
from engine.features import InputTransform, grid_points
from engine.network import Network

Array = np.ndarray
MAX_RESOLUTION = 1000


def _checked_resolution(resolution: int) -> int:
    if (
        isinstance(resolution, bool)
        or not isinstance(resolution, int)
        or not (2 <= resolution <= MAX_RESOLUTION)
    ):
        raise ValueError(
            f"resolution: {resolution!r} is not allowed; use an integer in 2..{MAX_RESOLUTION}"
        )
    return resolution


def grid_inputs(transform: InputTransform, resolution: int) -> Array:
    """The network's inputs at every grid point, transposed and with a trailing row of
    ones: (k + 1, R·R) float32, read-only; runs whose transforms agree share one array."""
    key = (tuple(transform.names), transform.scales.tobytes(), transform.mean.tobytes(),
           transform.std.tobytes(), resolution)  # fmt: skip
    return _grid_inputs(key)


@functools.lru_cache(maxsize=32)
def _grid_inputs(key: tuple) -> Array:
    names, scales, mean, std, resolution = key
    transform = InputTransform(
        names, *(np.frombuffer(values, dtype=np.float64) for values in (scales, mean, std))
    )
    inputs = transform.apply(grid_points(resolution))
    augmented = np.ones((inputs.shape[1] + 1, len(inputs)), dtype=np.float32)
    augmented[:-1] = inputs.T
    augmented.flags.writeable = False
    return augmented


def grid_key(net: Network) -> tuple:
    """What a grid evaluation's shape depends on: networks with one key stack (GridStack)."""
    return tuple(net.layer_sizes), net.hidden.name, net.output.name


def grid_bytes(net: Network, resolution: int) -> int:
    """The float32 buffers one network takes in a GridStack: a stack whose buffers outgrow
    the processor's caches is slower per network than one network alone."""
    rows = sum(fan_out + 1 for _, fan_out in net.shapes) + net.shapes[0][0]
    return 4 * rows * resolution * resolution


class GridStack:
    """Every neuron of up to `capacity` networks of one `grid_key` on the picture grid, as
    one computation (a class's frames drawn together).

    The grid runs transposed, z = [W; b]ᵀ [a; 1] with a of shape (fan_in, R·R): one stacked
    matrix product per layer for every network (numpy calls the same float32 BLAS product
    for each one), then the activation on the whole stack, so a network's maps are the same
    bits in a stack of any size as alone. float32 halves the time and is plenty for
    colours. Output buffers are allocated once per resolution and reused: fresh
    multi-megabyte arrays on every frame cost more in page faults than the arithmetic.
    """

    def __init__(self, net: Network, capacity: int = 1) -> None:
        self.key, self.capacity, self.shapes = grid_key(net), capacity, net.shapes
        self.activations = [net.activation(layer) for layer in range(len(net.shapes))]
        # [W; b]ᵀ of every layer, one after another: one gather brings a network's matrices
        views = net.parameter_views(np.arange(net.n_params))
        self._order = np.concatenate([view.T.ravel() for view in views])
        self._params = np.empty((capacity, net.n_params))
        self._gathered = np.empty((capacity, net.n_params))
        self._matrices = np.empty((capacity, net.n_params), dtype=np.float32)
        self._layers, start = [], 0
        for rows, cols in net.shapes:  # (capacity, fan_out, fan_in + 1) views
            self._layers.append(
                self._matrices[:, start : start + rows * cols].reshape(-1, cols, rows)
            )
            start += rows * cols
        self._resolution, self._outputs = 0, []
        self._inputs = np.empty(0, dtype=np.float32)

    def _prepare(self, resolution: int) -> None:
        if resolution != self._resolution:
            n_points, n_layers = resolution * resolution, len(self.shapes)
            self._outputs = []
            for layer, (_, fan_out) in enumerate(self.shapes):
                rows = fan_out + (layer < n_layers - 1)  # ones: the next layer's biases
                self._outputs.append(np.ones((self.capacity, rows, n_points), dtype=np.float32))
            rows_in = self.shapes[0][0] if self.shapes else 1
            self._inputs = np.empty((self.capacity, rows_in, n_points), dtype=np.float32)
            self._resolution = resolution

    def evaluate(self, nets: list[Network], transforms: list[InputTransform],
                 resolution: int = 100) -> list[Array]:  # fmt: skip
        """Per layer (layer 0 = the enabled inputs), read-only float32 maps
        (len(nets), n_neurons, R, R) valid until the next call; softmax outputs are class
        probabilities. Row 0 is y = +6, column i is x = -6 + 12i/(R-1)."""
        resolution, n = _checked_resolution(resolution), len(nets)
        if not 1 <= n <= self.capacity or any(grid_key(net) != self.key for net in nets):
            raise ValueError(f"nets: expected 1..{self.capacity} networks of shape {self.key}")
        self._prepare(resolution)
        a = self._stacked_inputs(transforms, resolution)
        maps = [_read_only(a[:, :-1].reshape(n, a.shape[1] - 1, resolution, resolution))]
        np.stack([net.params for net in nets], out=self._params[:n])
        np.take(self._params[:n], self._order, axis=1, out=self._gathered[:n])
        np.copyto(self._matrices[:n], self._gathered[:n], casting="same_kind")
        with np.errstate(all="ignore"):
            for matrices, out, activation in zip(self._layers, self._outputs, self.activations,
                                                 strict=True):  # fmt: skip
                z = out[:n, : matrices.shape[1]]
                np.matmul(matrices[:n], a, out=z)
                # display only: NumPy's own functions (softmax over each point's classes)
                activation.display(z, z, axis=-2)
                maps.append(_read_only(z.reshape(n, z.shape[1], resolution, resolution)))
                a = out[:n]
        return maps

    def _stacked_inputs(self, transforms: list[InputTransform], resolution: int) -> Array:
        """(n, k + 1, R·R): one shared array broadcast when every transform agrees."""
        arrays = [grid_inputs(transform, resolution) for transform in transforms]
        if all(array is arrays[0] for array in arrays):
            return np.broadcast_to(arrays[0], (len(arrays), *arrays[0].shape))
        stacked = self._inputs[: len(arrays)]
        np.stack(arrays, out=stacked)
        return stacked


class GridEvaluator:
    """Evaluates one network (with its input transform) on the picture grid: a GridStack
    of one, so a run alone draws exactly what it draws in a stack."""

    def __init__(self, net: Network, transform: InputTransform) -> None:
        self.net, self.transform = net, transform
        self.stack = GridStack(net)

    def evaluate(self, resolution: int = 100) -> list[Array]:
        """Per layer (layer 0 = the enabled inputs), read-only float32 maps (n_neurons, R, R)
        valid until the next call; see GridStack.evaluate."""
        return [maps[0] for maps in self.stack.evaluate([self.net], [self.transform], resolution)]


def _read_only(array: Array) -> Array:
    array.flags.writeable = False
    return array


def neuron_map(
    net: Network, transform: InputTransform, layer: int, neuron: int, resolution: int = 100
) -> Array:
    """One neuron's output (layer 0 = inputs, as in `evaluate`) on the grid, float64 (R, R)."""
    resolution = _checked_resolution(resolution)
    layer = checked_index("layer", layer, len(net.layer_sizes))
    neuron = checked_index("neuron", neuron, net.layer_sizes[layer])
    values = transform.apply(grid_points(resolution))
    with np.errstate(all="ignore"):
        if layer > 0:
            values = net.forward(values)[layer - 1][1]
    return values[:, neuron].reshape(resolution, resolution)


@functools.lru_cache(maxsize=16)
def _block_matrix(resolution: int, size: int, dtype: str) -> Array:
    """(size, R): row i averages the grid cells of block i (blocks as equal as possible)."""
    matrix = np.zeros((size, resolution), dtype=dtype)
    for row, cells in enumerate(np.array_split(np.arange(resolution), size)):
        matrix[row, cells] = 1.0 / len(cells)
    matrix.flags.writeable = False
    return matrix


def thumbnails(maps: Array, size: int = 10) -> Array:
    """Block means of maps (..., R, R) down to (..., size, size): A · maps · Aᵀ with A the
    block-averaging matrix (ten times faster than a reshaped mean)."""
    maps = np.asarray(maps)
    if maps.dtype not in (np.float32, np.float64):
        maps = maps.astype(np.float64)
    average = _block_matrix(maps.shape[-1], size, maps.dtype.str)
    return average @ maps @ average.T
