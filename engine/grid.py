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
    ones: (k + 1, R·R) float32, read-only."""
    inputs = transform.apply(grid_points(resolution))
    augmented = np.ones((inputs.shape[1] + 1, len(inputs)), dtype=np.float32)
    augmented[:-1] = inputs.T
    augmented.flags.writeable = False
    return augmented


class GridEvaluator:
    """Evaluates one network (with its input transform) on the picture grid.

    Its output buffers are allocated once per resolution and reused: fresh multi-megabyte
    arrays on every frame cost more in page faults than the arithmetic itself.
    """

    def __init__(self, net: Network, transform: InputTransform) -> None:
        self.net, self.transform = net, transform
        self._resolution = 0
        self._inputs: Array | None = None
        self._outputs: list[Array] = []

    def _prepare(self, resolution: int) -> None:
        if resolution != self._resolution:
            self._inputs = grid_inputs(self.transform, resolution)
            n_points, n_layers = resolution * resolution, len(self.net.shapes)
            self._outputs = []
            for layer, (_, fan_out) in enumerate(self.net.shapes):
                out = np.ones((fan_out + (layer < n_layers - 1), n_points), dtype=np.float32)
                self._outputs.append(out)  # the ones row multiplies the next layer's biases
            self._resolution = resolution

    def evaluate(self, resolution: int = 100) -> list[Array]:
        """Per layer (layer 0 = the enabled inputs), read-only float32 maps (n_neurons, R, R)
        valid until the next call; softmax outputs are class probabilities. Row 0 is
        y = +6, column i is x = -6 + 12i/(R-1).

        The grid runs transposed, z = [W; b]ᵀ [a; 1] with a of shape (fan_in, R·R): one
        matrix product per layer, and each layer's maps are a reshape away. float32 halves
        the time and is plenty for colours.
        """
        resolution = _checked_resolution(resolution)
        self._prepare(resolution)
        a, shape = self._inputs, (resolution, resolution)
        maps = [a[:-1].reshape(-1, *shape)]
        params = self.net.params.astype(np.float32)
        with np.errstate(all="ignore"):
            for layer, view in enumerate(self.net.parameter_views(params)):
                out = self._outputs[layer]
                z = out[: view.shape[1]]
                np.matmul(np.ascontiguousarray(view.T), a, out=z)
                # display only: NumPy's own functions (softmax over each point's classes)
                self.net.activation(layer).display(z, z, axis=0)
                maps.append(_read_only(z.reshape(-1, *shape)))
                a = out
        return maps


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
