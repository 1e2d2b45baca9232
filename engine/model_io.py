"""Model and lesson files: a trained network, its inputs and its data as JSON-able data."""

from __future__ import annotations

import math
import sys
from typing import Any

import numpy as np

from engine.config import normalize
from engine.datasets import split_sizes
from engine.features import InputTransform
from engine.lesson_links import start_from
from engine.options import LIMITS
from engine.run import Run

Array = np.ndarray
FORMAT = "neural-playground-model"
VERSION = 1
SPLITS = ("train", "validation", "test")
FIELDS = (
    "format", "version", "config", "input_names", "feature_scales", "standardize",
    "layer_sizes", "hidden_activation", "output_activation", "loss", "weights", "biases",
    "epoch", "data",
)  # fmt: skip


def export_model(run: Run) -> dict[str, Any]:
    """The run as a model (and lesson) file, every number exact (JSON writes repr floats):

    format "neural-playground-model", version 1; config: the full configuration (as in
    Run(config)); input_names: the enabled features in input order (x, y, xSquared,
    ySquared, xTimesY, sinX, sinY); feature_scales: one factor per input; standardize:
    null, or {mean, std} per input from the training set, so input = (feature · scale −
    mean) / std; layer_sizes: [inputs, *hidden, outputs]; hidden_activation,
    output_activation ("auto" resolved) and loss; weights: per layer a fan_in × fan_out
    list of rows, so z = a @ W + b; biases: per layer fan_out numbers; epoch; data:
    {"seed"} for generated data (the seed regenerates it) or {"points": [[x, y, label,
    split], ...]} for user points, split "train", "validation" or "test", in that order.
    """
    weights, biases = run.weights, run.biases
    if not all(np.isfinite(a).all() for a in weights + biases):
        raise ValueError("weights: the network has diverged; reset it before exporting it")
    config, transform = normalize(run.config), run.state.transform
    standardize = None
    if config["standardize"]:
        standardize = {"mean": transform.mean.tolist(), "std": transform.std.tolist()}
    return {
        "format": FORMAT,
        "version": VERSION,
        "config": config,
        "input_names": run.input_names,
        "feature_scales": transform.scales.tolist(),
        "standardize": standardize,
        "layer_sizes": run.layer_sizes,
        "hidden_activation": config["activation"],
        "output_activation": run.output_activation,
        "loss": run.loss,
        "weights": [w.tolist() for w in weights],
        "biases": [b.tolist() for b in biases],
        "epoch": run.epoch,
        "data": _export_data(run),
    }


def _export_data(run: Run) -> dict[str, Any]:
    if not run.user_data:
        return {"seed": run.config["seed"]}
    parts = zip(SPLITS, (run.train_data, run.validation_data, run.test_data), strict=True)
    return {
        "points": [
            [x, y, label, split]
            for split, (points, labels) in parts
            for (x, y), label in zip(points.tolist(), labels.tolist(), strict=True)
        ]
    }


def import_model(d: Any) -> Run:
    """The Run of an export_model file: same configuration, data, inputs, weights, biases
    and epoch, so its outputs equal the exported run's bit for bit. The weights become the
    "same weights" of a reset; the loss history starts at `epoch`. Every field is checked:
    ValueError names the first bad one."""
    if not isinstance(d, dict):
        raise ValueError("model: expected an object (a neural-playground-model file)")
    if d.get("format") != FORMAT or type(d.get("version")) is not int or d["version"] != VERSION:
        raise ValueError(f"format: expected {FORMAT!r} version {VERSION}")
    unknown, missing = set(d) - set(FIELDS), [k for k in FIELDS if k not in d]
    if unknown or missing:
        name = sorted(unknown)[0] if unknown else missing[0]
        raise ValueError(f"{name}: {'unknown' if unknown else 'missing'} field; use {FIELDS}")
    try:
        config = normalize(d["config"])
    except ValueError as error:
        raise ValueError(f"config.{error}") from None
    run = Run(config)
    _check_network(d, run)
    _import_data(d["data"], run)
    _import_transform(d, run)
    layers = [
        np.vstack([w, b[None, :]]).ravel()
        for w, b in zip(_layers(d, "weights", run), _layers(d, "biases", run), strict=True)
    ]
    epoch, high = d["epoch"], LIMITS["epoch"]["max"]
    if type(epoch) is not int or not 0 <= epoch <= high:
        shown = "an integer of over 20 digits" if type(epoch) is int and epoch > 10**20 else epoch
        raise ValueError(f"epoch: {shown!s:.40} is not allowed; use an integer in 0..{high}")
    start_from(run, np.concatenate(layers) if layers else np.zeros(0), epoch)
    return run


def _check_network(d: dict[str, Any], run: Run) -> None:
    """The descriptive fields must say what the configuration builds."""
    expected = {
        "input_names": run.input_names,
        "feature_scales": run.state.transform.scales.tolist(),
        "layer_sizes": run.layer_sizes,
        "hidden_activation": run.config["activation"],
        "output_activation": run.output_activation,
        "loss": run.loss,
    }
    for name, value in expected.items():
        if d[name] != value or (isinstance(d[name], list) and _has_bool(d[name])):
            raise ValueError(f"{name}: {d[name]!r} does not match the config; expected {value!r}")


def _has_bool(values: list) -> bool:
    return any(isinstance(v, bool) for v in values)


def _real(value: Any) -> bool:
    """A finite JSON number (an int too large for a float is not)."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return False
    return abs(value) <= sys.float_info.max if isinstance(value, int) else math.isfinite(value)


def _array(field: str, value: Any, shape: tuple[int, ...]) -> Array:
    """A float64 array of exactly `shape` from nested lists of finite numbers."""

    def fits(item: Any, depth: int) -> bool:
        if depth == len(shape):
            return _real(item)
        return (
            isinstance(item, list)
            and len(item) == shape[depth]
            and all(fits(x, depth + 1) for x in item)
        )

    if not fits(value, 0):
        raise ValueError(f"{field}: expected {' × '.join(map(str, shape))} finite numbers")
    return np.array(value, dtype=np.float64).reshape(shape)


def _layers(d: dict[str, Any], name: str, run: Run) -> list[Array]:
    sizes = run.layer_sizes
    if not isinstance(d[name], list) or len(d[name]) != len(sizes) - 1:
        raise ValueError(f"{name}: expected a list of {len(sizes) - 1} layers")
    pairs = zip(sizes, sizes[1:], strict=False)
    shapes = [(a, b) if name == "weights" else (b,) for a, b in pairs]
    return [
        _array(f"{name}[{i}]", layer, shape)
        for i, (layer, shape) in enumerate(zip(d[name], shapes, strict=True))
    ]


def _import_data(data: Any, run: Run) -> None:
    """Generated data must carry the config's seed; user points go in as written."""
    if isinstance(data, dict) and set(data) == {"seed"}:
        if data["seed"] != run.config["seed"]:
            raise ValueError(f"data.seed: {data['seed']!r} does not match config.seed")
        return
    rows = data.get("points") if isinstance(data, dict) and set(data) == {"points"} else None
    if not isinstance(rows, list):
        raise ValueError('data: expected {"seed": ...} or {"points": [[x, y, label, split], ...]}')
    if any(not isinstance(row, list) or len(row) != 4 or row[3] not in SPLITS for row in rows):
        raise ValueError("data.points: use rows [x, y, label, split], split train/validation/test")
    ordered = sorted(rows, key=lambda row: SPLITS.index(row[3]))  # stable: keeps file order
    counts = [sum(row[3] == split for row in rows) for split in SPLITS[:2]]
    c = run.config
    expected = list(split_sizes(len(rows), c["percTrainData"], c["percValData"]))
    if counts != expected:
        raise ValueError(
            f"data.points: {counts[0]} train and {counts[1]} validation rows do not match the "
            f"split of {len(rows)} points ({expected[0]} and {expected[1]})"
        )
    values = _array("data.points", [row[:3] for row in ordered], (len(rows), 3))
    try:
        run.set_data(values[:, :2], values[:, 2], shuffle_points=False)
    except ValueError as error:
        raise ValueError(f"data.{error}") from None


def _import_transform(d: dict[str, Any], run: Run) -> None:
    """The file's standardization (checked against the data's), exactly as exported."""
    value, n_inputs = d["standardize"], len(run.input_names)
    if not run.config["standardize"]:
        if value is not None:
            raise ValueError("standardize: must be null when config.standardize is false")
        return
    if not isinstance(value, dict) or set(value) != {"mean", "std"}:
        raise ValueError("standardize: expected {mean, std} (config.standardize is true)")
    mean = _array("standardize.mean", value["mean"], (n_inputs,))
    std = _array("standardize.std", value["std"], (n_inputs,))
    if (std <= 0).any():
        raise ValueError("standardize.std: every value must be > 0")
    fitted = run.state.transform
    for name, mine, theirs in (("mean", mean, fitted.mean), ("std", std, fitted.std)):
        if not np.allclose(mine, theirs, rtol=1e-9, atol=1e-12):
            raise ValueError(f"standardize.{name}: does not match the training data's")
    run.state.use_transform(run.config, InputTransform(fitted.names, fitted.scales, mean, std))
