"""Pack one binary frame (docs/protocol.md, "Frames"): maps as bytes, weights as float32."""

from __future__ import annotations

import struct
from dataclasses import dataclass

import numpy as np

from engine.grid import thumbnails
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
    """Class encoding of a (k, R, R) probability stack: b = 50·argmax + round(49·max)."""
    probabilities = np.nan_to_num(probabilities, nan=0.0)
    best = probabilities.argmax(axis=0)
    top = np.take_along_axis(probabilities, best[None], axis=0)[0]
    return (best * 50 + np.rint(np.clip(top, 0.0, 1.0) * 49.0)).astype(np.uint8)


def pack_frame(run, info: FrameInfo) -> bytes:
    """Evaluate every neuron on the grid and pack the frame; the only place frames are built."""
    with np.errstate(all="ignore"):  # a diverged run's inf/NaN are drawn grey, not warned about
        return _pack(run, info)


def _pack(run, info: FrameInfo) -> bytes:
    maps = run.evaluate_grid(RESOLUTION)
    multiclass = run.config["problem"] == "multiclass"
    if info.focus_layer is None or info.focus_layer >= len(maps):
        focus_layer, big = -1, maps[-1]
        big_map = class_bytes(big) if multiclass else value_bytes(big[0])
    else:
        focus_layer = info.focus_layer
        neuron = min(info.focus_neuron, maps[focus_layer].shape[0] - 1)
        big_map = value_bytes(maps[focus_layer][neuron])
    thumbs = [value_bytes(thumbnails(layer_maps, THUMBNAIL)) for layer_maps in maps[1:]]
    losses, accuracy = run.losses(), run.accuracy()
    header = _HEADER.pack(
        MAGIC,
        info.frame_id,
        info.last_seq,
        min(run.epoch, MAX_UINT32),  # a run never gets there (limits); a frame still packs
        _flags(run, info.playing, losses, accuracy) | (FLAG_REPLAY if info.replay else 0),
        len(maps),
        RESOLUTION,
        THUMBNAIL,
        focus_layer,
        info.focus_neuron if focus_layer >= 0 else 0,
        0,
        *np.array([*_metrics(losses, accuracy), info.epochs_per_second], dtype=np.float32).tolist(),
    )
    sizes = np.array([layer.shape[0] for layer in maps], dtype=np.uint8)
    gradients = np.asarray(run.gradient_norms(), dtype="<f4")
    parts = [header, sizes.tobytes(), gradients.tobytes(), big_map.tobytes()]
    parts += [t.tobytes() for t in thumbs]
    parts += [np.asarray(w, dtype="<f4").tobytes() for w in run.weights]
    parts += [np.asarray(b, dtype="<f4").tobytes() for b in run.biases]
    return b"".join(parts)


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
