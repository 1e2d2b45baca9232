"""A snapshot restores the run bit for bit, and the restored run continues identically."""

from __future__ import annotations

import copy
import json

import numpy as np
import pytest

from engine import Run


def _same(first: Run, second: Run) -> None:
    assert first.config == second.config and first.epoch == second.epoch
    for a, b in zip(first.weights + first.biases, second.weights + second.biases, strict=True):
        np.testing.assert_array_equal(a, b)
    np.testing.assert_array_equal(first.history, second.history)
    assert first.losses() == second.losses()
    assert first.snapshot() == second.snapshot()


@pytest.mark.parametrize(
    "config",
    [
        {},
        {"batchSize": 7, "percTrainData": 30},  # a leftover batch is carried over
        {"optimizer": "adam", "percValData": 10, "percTrainData": 80},
        {
            "optimizer": "momentum",
            "regularization": "L1",
            "regularizationRate": 0.3,
            "learningRate": 0.3,
        },  # fmt: skip
        {"problem": "multiclass", "numClasses": 5, "mcDataset": "spiral"},
        {"problem": "regression", "standardize": True, "xSquared": True, "xScale": 3.0},
    ],
)
def test_round_trip_is_exact_and_continues_identically(config):
    run = Run({"seed": "0.21", **config})
    run.step(13)
    restored = Run.from_snapshot(json.loads(json.dumps(run.snapshot())))
    _same(run, restored)
    run.step(7)
    restored.step(7)
    _same(run, restored)
    run.reset()  # the random stream continues identically too
    restored.reset()
    _same(run, restored)


def test_user_points_and_edits_survive_a_round_trip():
    run = Run({"seed": "0.21"})
    run.set_data([[x, -x, 1.0 if x > 0 else -1.0] for x in np.linspace(-4, 4, 30)])
    run.set_weight(0, 1, 2, 0.75)
    run.step(3)
    restored = Run.from_snapshot(json.loads(json.dumps(run.snapshot())))
    _same(run, restored)
    np.testing.assert_array_equal(run.train_data[0], restored.train_data[0])


def test_a_diverged_run_round_trips():
    run = Run({"seed": "0.5", "problem": "regression", "learningRate": 10})
    run.step(30)
    restored = Run.from_snapshot(json.loads(json.dumps(run.snapshot())))
    assert restored.diverged == run.diverged is not None


@pytest.mark.parametrize(
    ("path", "value", "field"),
    [
        (("format",), 99, "snapshot"),
        (("config", "learningRate"), -1, "snapshot.config.learningRate"),
        (("params", "data"), "not base64!", "snapshot.params"),
        (("params", "shape"), [3], "snapshot.params"),
        (("epoch",), -2, "snapshot.epoch"),
        (("rng", "i"), 300, "snapshot.rng"),
        (("alive", "data"), "AAAAAAAAAAA=", "snapshot.alive"),
        (("carry_count",), "5", "snapshot.carry_count"),
        (("optimizer", "t"), None, "snapshot.optimizer.t"),
        (("data", "user"), "yes", "snapshot.data"),
    ],
)
def test_a_bad_field_is_named(path, value, field):
    snapshot = copy.deepcopy(Run({"seed": "0.21"}).snapshot())
    target = snapshot
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
    with pytest.raises(ValueError) as caught:
        Run.from_snapshot(snapshot)
    assert str(caught.value).startswith(field)
