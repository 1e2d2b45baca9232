"""A run as JSON-able data and back, bit for bit (arrays as base64 little-endian float64)."""

from __future__ import annotations

import base64
import binascii
from typing import Any

import numpy as np

from engine.config import normalize
from engine.data import DataSplit
from engine.network import parameter_shapes
from engine.optimizers import OPTIMIZERS
from engine.options import LIMITS
from engine.rng import SeedRandom
from engine.run_state import RunState, layer_sizes_for
from engine.training import LastUpdate

Array = np.ndarray
FORMAT = 1
MAX_EPOCH = LIMITS["epoch"]["max"]
MAX_COUNT = 2**53  # rows, updates or a stride: far past any real run, still exact as a float
MAX_ROWS = 10**7  # of one stored array: far past any real run's
LEARNING_RATE_MAX = LIMITS["learningRate"]["linkMax"]
REGULARIZATION_MAX = LIMITS["regularizationRate"]["max"]


def encode(array: Array) -> dict[str, Any]:
    array = np.ascontiguousarray(array, dtype="<f8")
    return {"shape": list(array.shape), "data": base64.b64encode(array.tobytes()).decode()}


def decode(field: str, value: Any, shape: tuple[int | None, ...]) -> Array:
    """A float64 array from `encode`; None in `shape` accepts any length on that axis."""
    if not isinstance(value, dict) or not isinstance(value.get("data"), str):
        raise ValueError(f"{field}: expected an object with shape and base64 data")
    stored = value.get("shape")
    fits = isinstance(stored, list) and len(stored) == len(shape)
    fits = fits and all(
        type(n) is int and 0 <= n <= MAX_ROWS and m in (None, n)
        for n, m in zip(stored, shape, strict=True)
    )
    if not fits:
        raise ValueError(f"{field}: shape {stored!r} is not allowed; expected {list(shape)}")
    try:
        raw = base64.b64decode(value["data"], validate=True)
    except (binascii.Error, ValueError):
        raise ValueError(f"{field}: data is not base64") from None
    if len(raw) != 8 * int(np.prod(stored)):
        raise ValueError(f"{field}: {len(raw)} bytes do not fill shape {stored}")
    return np.frombuffer(raw, dtype="<f8").astype(np.float64).reshape(stored)


def _count(field: str, value: Any, high: int = MAX_COUNT, low: int = 0) -> int:
    """An integer in low..high (every integer a snapshot carries has a range)."""
    if type(value) is not int or not low <= value <= high:
        shown = "an integer of over 20 digits" if type(value) is int and value > 10**20 else value
        raise ValueError(f"{field}: {shown!s:.40} is not allowed; use an integer in {low}..{high}")
    return value


def _number(field: str, value: Any, high: float) -> float:
    """A finite number in 0..high."""
    if type(value) not in (int, float) or not 0 <= value <= high:  # also refuses NaN, inf
        raise ValueError(f"{field}: {value!s:.40} is not allowed; use a number in 0..{high:g}")
    return float(value)


def dump(run) -> dict[str, Any]:
    """Everything that decides the run's future: config, data, parameters, stream, history,
    carried gradients, optimizer state, dead links and the last update (for the inspector)."""
    trainer, net = run.state.trainer, run.state.net
    last = trainer.last_update
    return {
        "format": FORMAT,
        "config": normalize(run.config),
        "data": {
            "points": encode(run.state.data.points),
            "labels": encode(run.state.data.labels),
            "user": run.state.data.user,
        },  # fmt: skip
        "params": encode(net.params),
        "initial_params": encode(run.state.initial),
        "alive": encode(net.alive),
        "epoch": run.epoch,
        "history": encode(np.array(run.history, dtype=np.float64)),
        "history_stride": run.history_stride,
        "diverged": run.diverged,
        "rng": run.state.rng.get_state(),
        "carry": encode(trainer.carry),
        "carry_count": trainer.carry_count,
        "batch_position": trainer.position,  # batches of the epoch trained (step_batch)
        "carry_rows": [{"inputs": encode(x), "targets": encode(t)} for x, t in trainer.carry_rows],
        "optimizer": {
            k: encode(v) if isinstance(v, np.ndarray) else v
            for k, v in trainer.optimizer.state().items()
        },  # fmt: skip
        "last_update": None if last is None else _dump_last(last),
    }


def _dump_last(last: LastUpdate) -> dict[str, Any]:
    fields = ("inputs", "targets", "params_before", "params_after", "grad_sum")
    return {
        **{name: encode(getattr(last, name)) for name in fields},
        "count": last.count,
        "learning_rate": last.learning_rate,
        "regularization": last.regularization,
        "regularization_rate": last.regularization_rate,
        # what the inspector replays the update from (the optimizer's state before it)
        "optimizer_before": None if last.optimizer_before is None else {
            k: encode(v) if isinstance(v, np.ndarray) else v
            for k, v in last.optimizer_before.items()
        },
        "alive_before": None if last.alive_before is None else encode(last.alive_before),
    }  # fmt: skip


def load(cls, d: Any):
    """Rebuild a Run from `dump` output; ValueError names the first bad field."""
    if not isinstance(d, dict) or type(d.get("format")) is not int or d["format"] != FORMAT:
        raise ValueError(f"snapshot.format: not a format-{FORMAT} snapshot object")
    if not isinstance(d.get("config"), dict):
        raise ValueError("snapshot.config: expected the run's configuration object")
    try:
        config = normalize(d.get("config"))
    except ValueError as error:
        raise ValueError(f"snapshot.config.{error}") from None
    try:
        rng = SeedRandom.from_state(d.get("rng"))
    except ValueError as error:
        raise ValueError(f"snapshot.rng: {error}") from None
    data = _load_data(d.get("data"), config)
    sizes = layer_sizes_for(config)
    n_params = sum(rows * cols for rows, cols in parameter_shapes(sizes))
    params = decode("snapshot.params", d.get("params"), (n_params,))
    run = cls(config, state=RunState(config, rng, data, params))
    run.state.initial = decode("snapshot.initial_params", d.get("initial_params"), (n_params,))
    _load_state(run, d, n_params)
    _load_trainer(run.state.trainer, d, n_params, len(run.state.transform.names) + 1, sizes[-1])
    run.restart_replay()  # the parameter history starts at the loaded epoch
    return run


def _load_data(data: Any, config: dict[str, Any]) -> DataSplit:
    if not isinstance(data, dict) or not isinstance(data.get("user"), bool):
        raise ValueError("snapshot.data: expected an object with points, labels and user")
    points = decode("snapshot.data.points", data.get("points"), (None, 2))
    labels = decode("snapshot.data.labels", data.get("labels"), (len(points),))
    if not LIMITS["points"]["min"] <= len(points) <= LIMITS["points"]["max"]:
        raise ValueError(f"snapshot.data.points: {len(points)} points is not allowed")
    return DataSplit(points, labels, config, user=data["user"])


def _load_state(run, d: dict[str, Any], n_params: int) -> None:
    alive = decode("snapshot.alive", d.get("alive"), (n_params,))
    if not np.isin(alive, (0.0, 1.0)).all() or (alive[run.state.net.weight_mask == 0] == 0).any():
        raise ValueError("snapshot.alive: values must be 1 (alive) or 0 (a dead link)")
    run.state.net.alive[:] = alive
    run.state.net.any_dead = bool((alive == 0).any())
    run.epoch = _count("snapshot.epoch", d.get("epoch"), MAX_EPOCH)
    width = 4 if run.state.data.n_val else 3
    history = decode("snapshot.history", d.get("history"), (None, width))
    run.history = [(int(row[0]), *(float(v) for v in row[1:])) for row in history]
    run.history_stride = _count("snapshot.history_stride", d.get("history_stride"), MAX_EPOCH, 1)
    if not run.history:
        raise ValueError("snapshot.history: expected at least the epoch-0 point")
    run.diverged = _diverged(d.get("diverged"))


def _diverged(diverged: Any) -> dict[str, Any] | None:
    """null, or the engine's explanation {quantity, epoch, message} (texts, an epoch)."""
    fits = diverged is None or (
        isinstance(diverged, dict)
        and set(diverged) == {"quantity", "epoch", "message"}
        and all(
            isinstance(diverged[k], str) and len(diverged[k]) <= 2000
            for k in ("quantity", "message")
        )
        and type(diverged["epoch"]) is int
        and 0 <= diverged["epoch"] <= MAX_EPOCH
    )
    if not fits:
        raise ValueError("snapshot.diverged: expected null or {quantity, epoch, message}")
    return diverged


def _load_trainer(trainer, d: dict[str, Any], n_params: int, width: int, n_out: int) -> None:
    trainer.carry = decode("snapshot.carry", d.get("carry"), (n_params,))
    trainer.carry_count = _count("snapshot.carry_count", d.get("carry_count"))
    last_batch = max(trainer.n_updates - 1, 0)
    trainer.position = _count("snapshot.batch_position", d.get("batch_position", 0), last_batch)
    rows = d.get("carry_rows")
    if not isinstance(rows, list) or not all(isinstance(r, dict) for r in rows):
        raise ValueError("snapshot.carry_rows: expected a list of {inputs, targets}")
    trainer.carry_rows = [
        _rows(f"snapshot.carry_rows[{i}]", r, width, n_out) for i, r in enumerate(rows)
    ]
    state = d.get("optimizer")
    if not isinstance(state, dict):
        raise ValueError("snapshot.optimizer: expected an object")
    if type(state.get("t")) is int and state["t"] > MAX_COUNT:  # Adam raises β to the power t
        raise ValueError(f"snapshot.optimizer.t: too large; use an integer in 0..{MAX_COUNT}")
    try:
        trainer.optimizer.load({
            k: decode(f"optimizer.{k}", v, (n_params,)) if isinstance(v, dict) else v
            for k, v in state.items()
        })  # fmt: skip
    except ValueError as error:  # the optimizer names its own field: optimizer.t, …
        raise ValueError(f"snapshot.{error}") from None
    last = d.get("last_update")
    trainer.last_update = None if last is None else _load_last(last, n_params, width, n_out)


def _rows(field: str, value: dict, width: int, n_out: int) -> tuple[Array, Array]:
    inputs = decode(f"{field}.inputs", value.get("inputs"), (None, width))
    return inputs, decode(f"{field}.targets", value.get("targets"), (len(inputs), n_out))


def _load_last(last: Any, n_params: int, width: int, n_out: int) -> LastUpdate:
    field = "snapshot.last_update"
    if not isinstance(last, dict):
        raise ValueError(f"{field}: expected null or an object")
    inputs, targets = _rows(field, last, width, n_out)
    arrays = [
        decode(f"{field}.{name}", last.get(name), (n_params,))
        for name in ("params_before", "params_after", "grad_sum")
    ]
    count = _count(f"{field}.count", last.get("count"), MAX_COUNT, 1)
    rate = _number(f"{field}.learning_rate", last.get("learning_rate"), LEARNING_RATE_MAX)
    reg_rate = _number(
        f"{field}.regularization_rate", last.get("regularization_rate"), REGULARIZATION_MAX
    )
    reg = last.get("regularization")
    if reg not in ("none", "L1", "L2"):
        raise ValueError(f"{field}.regularization: is not allowed; use none, L1 or L2")
    before = _state_before(f"{field}.optimizer_before", last.get("optimizer_before"), n_params)
    alive = last.get("alive_before")
    if alive is not None:
        alive = decode(f"{field}.alive_before", alive, (n_params,))
        if not np.isin(alive, (0.0, 1.0)).all():
            raise ValueError(f"{field}.alive_before: values must be 1 (alive) or 0 (dead)")
    return LastUpdate(inputs, targets, *arrays, count, rate, reg, reg_rate, before, alive)


def _state_before(field: str, value: Any, n_params: int) -> dict[str, Any] | None:
    """null, or an optimizer's state() with its name, checked by that optimizer's load."""
    if value is None:
        return None
    if not isinstance(value, dict) or value.get("name") not in OPTIMIZERS:
        raise ValueError(f"{field}.name: expected one of {', '.join(OPTIMIZERS)}")
    if type(value.get("t")) is int and value["t"] > MAX_COUNT:
        raise ValueError(f"{field}.t: too large; use an integer in 0..{MAX_COUNT}")
    optimizer = OPTIMIZERS[value["name"]](n_params)
    try:
        optimizer.load({
            k: decode(f"{field}.{k}", v, (n_params,)) if isinstance(v, dict) else v
            for k, v in value.items()
        })  # fmt: skip
    except ValueError as error:  # "optimizer.t: …": the optimizer names its own field
        raise ValueError(f"{field}: {error}") from None
    return {**optimizer.state(), "name": value["name"]}
