"""Pack one binary frame (docs/protocol.md, "Frames"): maps as bytes, weights as float32."""

from __future__ import annotations

import functools
import struct
from dataclasses import dataclass

import numpy as np

from engine.grid import thumbnails
from engine.network import parameter_shapes
from server.protocol import (
    FLAG_ACCURACY,
    FLAG_DIVERGED,
    FLAG_MULTICLASS,
    FLAG_PLAYING,
    FLAG_REGRESSION,
    FLAG_REPLAY,
    FLAG_VALIDATION,
)

MAGIC = b"NPF1"
RESOLUTION = 100
THUMBNAIL = 10
_HEADER = struct.Struct("<4sIIIHBBBbBB7f")
MAX_UINT32 = 2**32 - 1


@dataclass(frozen=True)
class FrameInfo:
    """What the session knows about a frame besides the run itself."""

    frame_id: int
    last_seq: int
    playing: bool
    epochs_per_second: float
    focus_layer: int | None  # None: the output
    focus_neuron: int
    replay: bool = False  # a kept epoch a scrub shows, not the run now


def value_bytes(values: np.ndarray) -> np.ndarray:
    """Value encoding: b = round((clamp(v, -1, 1) + 1) * 127.5); NaN (diverged) becomes 128
    (grey). Computed as floor(127.5·v + 128) clipped to [0, 255], in place, in float32."""
    scaled = np.multiply(values, 127.5, dtype=np.float32)
    scaled += 128.0
    np.minimum(scaled, 255.0, out=scaled)  # NaN stays NaN through both
    np.maximum(scaled, 0.0, out=scaled)
    if np.isnan(np.add.reduce(scaled, axis=None)):  # one NaN makes the sum NaN
        scaled[np.isnan(scaled)] = 128.0
    return scaled.astype(np.uint8)


def class_bytes(probabilities: np.ndarray) -> np.ndarray:
    """Class encoding of (..., k, R, R) probability stacks: b = 50·argmax + round(49·max)."""
    probabilities = np.nan_to_num(probabilities, nan=0.0)
    best = probabilities.argmax(axis=-3)
    top = np.take_along_axis(probabilities, best[..., None, :, :], axis=-3)[..., 0, :, :]
    return (best * 50 + np.rint(np.clip(top, 0.0, 1.0) * 49.0)).astype(np.uint8)


@dataclass(frozen=True)
class Picture:
    """What one frame shows of a run's grid (the bytes after the header and the gradient
    norms): the big map, thumbnails, weights and biases; `draw` makes a group's at once."""

    focus_layer: int  # -1: the output
    sizes: bytes
    body: bytes


def pack_frame(run, info: FrameInfo) -> bytes:
    """Evaluate every neuron on the grid and pack the frame of a run alone."""
    with np.errstate(all="ignore"):  # a diverged run's inf/NaN are drawn grey, not warned about
        maps = [layer_maps[None] for layer_maps in run.evaluate_grid(RESOLUTION)]
        (picture,) = draw([run], maps, [(info.focus_layer, info.focus_neuron)])
        return assemble(run, info, picture)


def draw(
    runs: list, maps: list[np.ndarray], focuses: list[tuple[int | None, int]]
) -> list[Picture]:
    """The pictures of runs of one shape from their stacked maps (per layer (runs, n, R, R),
    as engine.grid.GridStack evaluates them), every step stacked: thumbnails, value bytes,
    the big maps of runs with one focus, the float32 weights."""
    with np.errstate(all="ignore"):
        multiclass = runs[0].config["problem"] == "multiclass"
        sizes = np.array([layer.shape[1] for layer in maps], dtype=np.uint8).tobytes()
        thumbs = [value_bytes(thumbnails(layer_maps, THUMBNAIL)) for layer_maps in maps[1:]]
        resolved = [_focus(focus, maps) for focus in focuses]
        big_maps: list = [None] * len(runs)
        for focus in set(resolved):
            rows = [i for i, other in enumerate(resolved) if other == focus]
            layer, neuron = focus
            if layer < 0:
                stack = maps[-1][rows]
                values = class_bytes(stack) if multiclass else value_bytes(stack[:, 0])
            else:
                values = value_bytes(maps[layer][rows, neuron])
            for row, i in enumerate(rows):
                big_maps[i] = values[row]
        parameters = _frame_parameters(runs)
        bodies = [
            b"".join([big_maps[i].tobytes(), *(t[i].tobytes() for t in thumbs),
                      parameters[i].tobytes()])
            for i in range(len(runs))
        ]  # fmt: skip
        pairs = zip(resolved, bodies, strict=True)
        return [Picture(layer, sizes, body) for (layer, _), body in pairs]


def _focus(focus: tuple[int | None, int], maps: list[np.ndarray]) -> tuple[int, int]:
    """(layer, neuron) of the big map: (-1, 0) for the output."""
    layer, neuron = focus
    if layer is None or layer >= len(maps):
        return -1, 0
    return layer, min(neuron, maps[layer].shape[1] - 1)


def _frame_parameters(runs: list) -> np.ndarray:
    """(runs, n_params) float32: every layer's weights (fan_in × fan_out rows), then every
    layer's biases, as the frame carries them; one gather for the group."""
    net = runs[0].state.net
    order = _parameter_order(tuple(net.layer_sizes))
    params = np.stack([run.state.net.params for run in runs])
    return np.take(params, order, axis=1).astype("<f4")


@functools.lru_cache(maxsize=64)
def _parameter_order(layer_sizes: tuple[int, ...]) -> np.ndarray:
    shapes = parameter_shapes(list(layer_sizes))
    flat, start, views = np.arange(sum(r * c for r, c in shapes)), 0, []
    for rows, cols in shapes:
        views.append(flat[start : start + rows * cols].reshape(rows, cols))
        start += rows * cols
    return np.concatenate([v[:-1].ravel() for v in views] + [v[-1] for v in views])


def assemble(run, info: FrameInfo, picture: Picture) -> bytes:
    """The frame: header, layer sizes, gradient norms, then the picture's bytes."""
    losses, accuracy = run.losses(), run.accuracy()
    focus_layer = picture.focus_layer
    header = _HEADER.pack(
        MAGIC,
        info.frame_id,
        info.last_seq,
        min(run.epoch, MAX_UINT32),  # a run never gets there (limits); a frame still packs
        _flags(run, info.playing, losses, accuracy) | (FLAG_REPLAY if info.replay else 0),
        len(picture.sizes),
        RESOLUTION,
        THUMBNAIL,
        focus_layer,
        info.focus_neuron if focus_layer >= 0 else 0,
        0,
        *np.array([*_metrics(losses, accuracy), info.epochs_per_second], dtype=np.float32).tolist(),
    )
    gradients = np.asarray(run.gradient_norms(), dtype="<f4")
    return b"".join([header, picture.sizes, gradients.tobytes(), picture.body])


def _metrics(losses: dict, accuracy: dict | None) -> list[float]:
    accuracy = accuracy or {}
    names = ("train", "validation", "test")
    return [losses.get(n, float("nan")) for n in names] + [
        accuracy.get(n, float("nan")) for n in names
    ]


def _flags(run, playing: bool, losses: dict, accuracy: dict | None) -> int:
    problem = run.config["problem"]
    flags = FLAG_PLAYING if playing else 0
    flags |= FLAG_DIVERGED if run.diverged else 0
    flags |= FLAG_ACCURACY if accuracy else 0
    flags |= FLAG_MULTICLASS if problem == "multiclass" else 0
    flags |= FLAG_VALIDATION if "validation" in losses else 0
    flags |= FLAG_REGRESSION if problem == "regression" else 0
    return flags


def unpack_header(frame: bytes) -> dict:
    """Decode a frame's fixed header (tests, benchmarks and tools use it)."""
    fields = _HEADER.unpack_from(frame)
    names = (
        "magic frame_id last_seq epoch flags n_layers resolution thumbnail focus_layer "
        "focus_neuron reserved train_loss validation_loss test_loss train_accuracy "
        "validation_accuracy test_accuracy epochs_per_second"
    ).split()
    return dict(zip(names, fields, strict=True))


HEADER_SIZE = _HEADER.size
