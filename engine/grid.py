"""Every neuron's output over the picture grid, and 10×10 thumbnails by block means."""

from __future__ import annotations

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
    """The network's inputs at every grid point, transposed: (k, R·R) float32 (cached)."""
    cache = transform.__dict__.setdefault("_grid_cache", {})
    if resolution not in cache:
        inputs = transform.apply(grid_points(resolution))
        cache.clear()  # one resolution at a time is all a page uses
        cache[resolution] = np.ascontiguousarray(inputs.T, dtype=np.float32)
    return cache[resolution]


def evaluate(net: Network, transform: InputTransform, resolution: int = 100) -> list[Array]:
    """Per layer (layer 0 = the enabled inputs), an array (n_neurons, R, R) of float32 outputs;
    softmax outputs are class probabilities. Row 0 is y = +6, column i is x = -6 + 12i/(R-1).

    The grid runs transposed, z = Wᵀ a + b with a of shape (fan_in, R·R), so each layer's
    maps are a reshape away; float32 halves the time and is plenty for colours.
    """
    resolution = _checked_resolution(resolution)
    inputs = grid_inputs(transform, resolution)
    maps = [inputs.reshape(-1, resolution, resolution).copy()]
    views = net.parameter_views(net.params.astype(np.float32))
    a = inputs
    with np.errstate(all="ignore"):
        for layer, view in enumerate(views):
            z = view[:-1].T @ a
            z += view[-1][:, None]
            activation = net.activation(layer)
            if activation.elementwise:
                a = activation.forward(z, z)
            else:
                a = activation.forward(z, z, axis=0)  # softmax over the classes of each point
            maps.append(a.reshape(-1, resolution, resolution))
    return maps


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


def _block_matrix(resolution: int, size: int, dtype: np.dtype) -> Array:
    """(size, R): row i averages the grid cells of block i (blocks as equal as possible)."""
    matrix = np.zeros((size, resolution), dtype=dtype)
    for row, cells in enumerate(np.array_split(np.arange(resolution), size)):
        matrix[row, cells] = 1.0 / len(cells)
    return matrix


def thumbnails(maps: Array, size: int = 10) -> Array:
    """Block means of maps (..., R, R) down to (..., size, size)."""
    maps = np.asarray(maps)
    resolution = maps.shape[-1]
    if resolution % size == 0:
        block = resolution // size
        shape = (*maps.shape[:-2], size, block, size, block)
        return maps.reshape(shape).mean(axis=(-3, -1), dtype=maps.dtype)
    average = _block_matrix(resolution, size, maps.dtype)
    return average @ maps @ average.T
