"""JSON replies built from a run: the configuration echo and the inspector's numbers."""

from __future__ import annotations

import base64
import functools
import json
import math

import numpy as np

from engine.config import DEFAULTS, registries
from engine.csv_data import to_csv
from engine.datasets import DATASETS, DOMAIN, generate, shuffle
from engine.features import FEATURES, feature_grid
from engine.grid import thumbnails
from engine.lesson_links import lesson_hash
from engine.model_io import export_model
from engine.predict_script import predict_script
from engine.rng import SeedRandom
from server import __version__, protocol
from server.frames import RESOLUTION, THUMBNAIL, value_bytes


@functools.cache
def feature_maps() -> dict[str, str]:
    """The seven input features' 10×10 thumbnails, base64 bytes; they never change."""
    thumbs = value_bytes(thumbnails(feature_grid(RESOLUTION), THUMBNAIL))
    return {
        name: base64.b64encode(t.tobytes()).decode()
        for name, t in zip(FEATURES, thumbs, strict=True)
    }


PREVIEW_POINTS = 120
PREVIEW_SEED = "preview"


@functools.cache
def dataset_previews() -> dict[str, dict[str, list[list[float]]]]:
    """A sample of every dataset from the real generators, for the dataset thumbnails."""
    previews: dict[str, dict[str, list[list[float]]]] = {}
    for problem, generators in DATASETS.items():
        previews[problem] = {}
        for name in generators:
            rng = SeedRandom(PREVIEW_SEED)
            points, labels = shuffle(*generate(problem, name, 0.0, rng, n_classes=3), rng)
            previews[problem][name] = _points((points[:PREVIEW_POINTS], labels[:PREVIEW_POINTS]))
    return previews


def hello_message(settings) -> dict:
    """The first message: the engine's registries and defaults, the server's limits."""
    return {
        "type": protocol.HELLO,
        "protocol": protocol.PROTOCOL_VERSION,
        "version": __version__,
        "registries": registries(),
        "previews": dataset_previews(),
        "defaults": dict(DEFAULTS),
        "server": {
            "max_message_bytes": settings.max_message_bytes,
            "max_messages_per_second": settings.max_messages_per_second,
            "message_burst": settings.message_burst,
            "max_frames_in_flight": settings.max_frames_in_flight,
            "speeds": list(protocol.SPEEDS),
            "snapshot_interval_s": settings.snapshot_interval_s,
            "domain": DOMAIN,
            "max_value": protocol.MAX_WEIGHT,
        },
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
        "notices": protocol.short_notices(notices),
        "hidden": hidden["controls"] + hidden["features"],
        "hide_text": hidden["text"],
        "input_names": list(run.input_names),
        "layer_sizes": list(run.layer_sizes),
        "user_data": bool(run.user_data),
        # what "auto" stands for in this run: the page labels its menus with the engine's rule
        "resolved": {"output_activation": run.output_activation, "loss": run.loss},
    }
    if change != "live":  # a live change keeps the data, the chart and the feature maps
        message["data"] = {
            "train": _points(run.train_data),
            "validation": _points(run.validation_data),
            "test": _points(run.test_data),
        }
        message["feature_maps"] = feature_maps()
        message["history"] = [_finite(point) for point in run.history]
    if seq is not None:
        message["seq"] = seq
    return message


def _finite(point: tuple[float, ...]) -> list[float | None]:
    """JSON has no NaN or infinity: a diverged loss is sent as null."""
    return [float(value) if math.isfinite(value) else None for value in point]


def csv_report(result, applied: bool, seq: int | None) -> dict:
    return {
        "type": protocol.CSV_REPORT,
        "seq": seq,
        "applied": applied,
        "accepted": len(result.labels),
        "rejected": [{"line": r.line, "reason": r.reason} for r in result.rejected],
        "notes": result.notes,
    }


def exported(run, kind: str, include_weights: bool, seq: int | None) -> dict:
    """A file (or a link) for the page to download (or copy)."""
    stamp = f"epoch{run.epoch}"
    if kind == "csv":
        name, mime, text = f"playground-data-{stamp}.csv", "text/csv", to_csv(run)
    elif kind == "model":
        name, mime = f"playground-model-{stamp}.json", "application/json"
        text = json.dumps(export_model(run), allow_nan=False)
    elif kind == "predict":
        name, mime, text = "predict.py", "text/x-python", predict_script(run)
    else:
        name, mime = "", "text/plain"
        text = lesson_hash(run, include_data=True, include_weights=include_weights)
    return {"type": protocol.EXPORTED, "seq": seq, "format": kind, "filename": name,
            "mime": mime, "text": text}  # fmt: skip


def inspection_message(run, target: dict) -> dict:
    """Run the engine's inspector for `target` (a validated `inspect` command's fields)."""
    arguments = {k: v for k, v in target.items() if k in ("layer", "source", "target", "point")}
    if target["kind"] == "bias":
        arguments["target"] = target["neuron"]
    values = run.inspect(kind=target["kind"], **arguments)
    return {"type": protocol.INSPECTION, **target, "epoch": run.epoch, "values": values}
