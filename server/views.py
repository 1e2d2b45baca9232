"""JSON replies built from a run: the configuration echo and the inspector's numbers."""

from __future__ import annotations

import base64
import functools

import numpy as np

from engine.features import FEATURES, feature_grid
from engine.grid import thumbnails
from server import protocol
from server.frames import RESOLUTION, THUMBNAIL, value_bytes


@functools.cache
def feature_maps() -> dict[str, str]:
    """The seven input features' 10×10 thumbnails, base64 bytes; they never change."""
    thumbs = value_bytes(thumbnails(feature_grid(RESOLUTION), THUMBNAIL))
    return {
        name: base64.b64encode(t.tobytes()).decode()
        for name, t in zip(FEATURES, thumbs, strict=True)
    }


def _points(data: tuple[np.ndarray, np.ndarray]) -> list[list[float]]:
    points, labels = data
    if len(points) == 0:
        return []
    rows = np.column_stack([np.round(points, 4), np.round(labels, 4)])
    return rows.tolist()


def config_message(run, change: str, seq: int | None, notices: list[str]) -> dict:
    hidden = run.config["hidden"]
    message = {
        "type": protocol.CONFIG,
        "change": change,
        "config": run.config,
        "hash": run.to_hash(),
        "notices": notices,
        "hidden": hidden["controls"] + hidden["features"],
        "hide_text": hidden["text"],
        "input_names": list(run.input_names),
        "layer_sizes": list(run.layer_sizes),
        "data": {
            "train": _points(run.train_data),
            "validation": _points(run.validation_data),
            "test": _points(run.test_data),
        },
        "feature_maps": feature_maps(),
    }
    if seq is not None:
        message["seq"] = seq
    return message


def inspection_message(run, target: dict) -> dict:
    """Run the engine's inspector for `target` (a validated `inspect` command's fields)."""
    arguments = {k: v for k, v in target.items() if k in ("layer", "source", "target", "point")}
    if target["kind"] == "bias":
        arguments["target"] = target["neuron"]
    values = run.inspect(kind=target["kind"], **arguments)
    return {"type": protocol.INSPECTION, **target, "epoch": run.epoch, "values": values}
