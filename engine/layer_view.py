"""How a layer sees the input plane: the grid's lines and the data carried through the network.

For layer L (0 = the inputs, 1.. the hidden layers) and two of its neurons (i, j), every
point p of the plane lands at (h_i(p), h_j(p)), that layer's outputs. Straight grid lines
of the plane become the curves a class watches bend while training (a spiral unrolled
layer by layer); the data points are carried with them.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from engine.edits import checked_index

Array = np.ndarray
EXTENT = 6.0  # the plane's half-width, as the map's
N_LINES = 13  # per direction: x = -6, -5, …, 6 and the same for y
N_SAMPLES = 49  # along each line


def plane_lines(n_lines: int = N_LINES, n_samples: int = N_SAMPLES) -> Array:
    """(2·n_lines, n_samples, 2): lines of constant x (bottom to top), then of constant y."""
    across = np.linspace(-EXTENT, EXTENT, n_lines)
    along = np.linspace(-EXTENT, EXTENT, n_samples)
    vertical = np.stack(np.broadcast_arrays(across[:, None], along[None, :]), axis=-1)
    horizontal = np.stack(np.broadcast_arrays(along[None, :], across[:, None]), axis=-1)
    return np.concatenate([vertical, horizontal])


def check_view(layer_sizes: list[int], layer: Any, neurons: Any) -> tuple[int, tuple[int, int]]:
    """(layer, (i, j)) when the view exists: a layer before the output with two neurons
    there (the same neuron twice draws it against itself, on the diagonal)."""
    layer = checked_index("layer", layer, len(layer_sizes) - 1)
    width = layer_sizes[layer]
    if neurons is None:
        neurons = (0, 1 if width > 1 else 0)
    if not isinstance(neurons, list | tuple) or len(neurons) != 2:
        raise ValueError(f"neurons: {neurons!r} is not allowed; use two neuron indexes")
    first, second = (checked_index("neurons", n, width) for n in neurons)
    return layer, (first, second)


def layer_view(run, layer: int, neurons: tuple[int, int] | None = None,
               n_lines: int = N_LINES, n_samples: int = N_SAMPLES) -> dict[str, Any]:  # fmt: skip
    """The picture of `layer` for two of its neurons: {"layer", "neurons", "lines"
    (2·n_lines, n_samples, 2), "points" (n, 2), "labels" (n,), "n_train", "bounds"
    (x_min, x_max, y_min, y_max)}; coordinates float64 in the layer's own units."""
    layer, (i, j) = check_view(run.layer_sizes, layer, neurons)
    lines = plane_lines(n_lines, n_samples)
    data, labels = run.points
    plane = np.concatenate([lines.reshape(-1, 2), data])
    outputs = run.layer_outputs(plane)[layer]
    coordinates = np.stack([outputs[:, i], outputs[:, j]], axis=-1)
    line_count = lines.shape[0] * lines.shape[1]
    finite = coordinates[np.isfinite(coordinates).all(axis=1)]
    low = finite.min(axis=0) if len(finite) else np.array([-1.0, -1.0])
    high = finite.max(axis=0) if len(finite) else np.array([1.0, 1.0])
    pad = np.maximum((high - low) * 0.05, 1e-6)
    return {
        "layer": layer,
        "neurons": (i, j),
        "lines": coordinates[:line_count].reshape(lines.shape),
        "points": coordinates[line_count:],
        "labels": labels,
        "n_train": len(run.train_data[0]),
        "bounds": (*(float(v) for v in (low[0] - pad[0], high[0] + pad[0])),
                   *(float(v) for v in (low[1] - pad[1], high[1] + pad[1]))),
    }  # fmt: skip
