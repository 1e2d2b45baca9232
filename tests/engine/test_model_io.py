"""Model and lesson files: export → JSON → import gives the same network, data and outputs."""

from __future__ import annotations

import copy
import json

import numpy as np
import pytest

from engine import Run
from engine.features import grid_points
from engine.model_io import FORMAT, export_model, import_model
from engine.options import PROBLEMS

GRID = grid_points(100)


def _all_data(run: Run) -> tuple[np.ndarray, np.ndarray]:
    parts = (run.train_data, run.validation_data, run.test_data)
    return np.concatenate([p[0] for p in parts]), np.concatenate([p[1] for p in parts])


def _assert_same_run(a: Run, b: Run) -> None:
    assert a.config == b.config and a.epoch == b.epoch
    for x, y in zip(a.weights + a.biases, b.weights + b.biases, strict=True):
        assert x.tobytes() == y.tobytes()
    for x, y in zip(_all_data(a), _all_data(b), strict=True):
        assert x.tobytes() == y.tobytes()
    assert a.predict(GRID).tobytes() == b.predict(GRID).tobytes()


@pytest.mark.parametrize("problem", PROBLEMS)
@pytest.mark.parametrize("standardize", [False, True])
def test_model_to_json_to_model_gives_the_same_outputs_bit_for_bit(problem, standardize):
    run = Run({
        "seed": "0.31", "problem": problem, "standardize": standardize, "sinX": True,
        "xSquared": True, "xSquaredScale": 0.25, "percValData": 10, "networkShape": [5, 3],
    })  # fmt: skip
    run.step(12)
    copy_ = import_model(json.loads(json.dumps(export_model(run), allow_nan=False)))
    _assert_same_run(run, copy_)
    assert not copy_.user_data
    assert copy_.history == [(12, *copy_.losses().values())]


def test_user_points_travel_in_the_file_with_their_split():
    run = Run({"seed": "0.5", "percTrainData": 60})
    rng = np.random.default_rng(3)
    points = rng.uniform(-5, 5, (57, 2))
    run.set_data(points, np.where(points[:, 0] > 0, 1.0, -1.0))
    run.step(4)
    d = export_model(run)
    assert [row[3] for row in d["data"]["points"]] == ["train"] * 34 + ["test"] * 23
    copy_ = import_model(json.loads(json.dumps(d)))
    _assert_same_run(run, copy_)
    assert copy_.user_data


def test_the_file_says_what_the_network_is():
    run = Run({"seed": "0.5", "problem": "multiclass", "standardize": True})
    d = export_model(run)
    assert d["format"] == FORMAT and d["version"] == 1
    assert d["input_names"] == ["x", "y"] and d["layer_sizes"] == [2, 4, 2, 3]
    assert (d["hidden_activation"], d["output_activation"], d["loss"]) == (
        "tanh",
        "softmax",
        "softmax_ce",
    )
    assert [np.shape(w) for w in d["weights"]] == [(2, 4), (4, 2), (2, 3)]
    assert [len(b) for b in d["biases"]] == [4, 2, 3]
    assert set(d["standardize"]) == {"mean", "std"} and d["data"] == {"seed": "0.5"}
    # what a notebook does with it: z = a @ W + b, layer by layer
    a = (GRID - d["standardize"]["mean"]) / d["standardize"]["std"]
    for w, b in zip(d["weights"][:-1], d["biases"][:-1], strict=True):
        a = np.tanh(a @ np.array(w) + b)
    z = a @ np.array(d["weights"][-1]) + d["biases"][-1]
    softmax = np.exp(z - z.max(axis=1, keepdims=True))
    softmax /= softmax.sum(axis=1, keepdims=True)
    np.testing.assert_allclose(softmax, run.predict(GRID), rtol=0, atol=1e-12)


def test_an_imported_model_trains_on_and_resets_to_its_own_weights():
    run = Run({"seed": "0.5"})
    run.step(30)
    copy_ = import_model(export_model(run))
    copy_.step(5)
    assert copy_.epoch == 35
    copy_.reset(same_weights=True)
    assert copy_.epoch == 0
    assert all(np.array_equal(a, b) for a, b in zip(copy_.weights, run.weights, strict=True))


def _edit(path: str, value):
    def apply(d: dict) -> None:
        keys = path.split(".")
        target = d
        for key in keys[:-1]:
            target = target[int(key)] if isinstance(target, list) else target[key]
        last = keys[-1]
        if value is _DELETE:
            del target[last]
        else:
            target[int(last) if isinstance(target, list) else last] = value

    return apply


_DELETE = object()


@pytest.mark.parametrize(
    ("path", "value", "message"),
    [
        ("format", "tf-model", "format"),
        ("version", 2, "format"),
        ("weights", _DELETE, "weights: missing field"),
        ("extra", 1, "extra: unknown field"),
        ("config.learningRate", -1, "config.learningRate"),
        ("input_names", ["x"], "input_names"),
        ("feature_scales", [1.0, 2.0], "feature_scales"),
        ("feature_scales", [True, 1.0], "feature_scales"),
        ("layer_sizes", [2, 4, 1], "layer_sizes"),
        ("hidden_activation", "relu", "hidden_activation"),
        ("output_activation", "auto", "output_activation"),
        ("loss", "bce", "loss"),
        ("weights", [[[0.0]]], "weights"),
        ("weights.0.1", [0.1, 0.2, 0.3, "0.4"], "weights[0]"),
        ("weights.0.1", [0.1, 0.2, 0.3, float("nan")], "weights[0]"),
        ("weights.0.1", [0.1, 0.2, 0.3, 10**400], "weights[0]"),
        ("biases.1", [0.1], "biases[1]"),
        ("epoch", -1, "epoch"),
        ("epoch", True, "epoch"),
        ("data", {"seed": "0.6"}, "data.seed"),
        ("data", {"points": [[0, 0, 1, "train"], [1, 1, -1, "dev"]]}, "data.points"),
        ("data", {"points": [[0, 0, 1, "test"], [1, 1, -1, "test"]]}, "data.points: 0 train"),
        ("data", {"points": [[0, 0, 2, "train"], [1, 1, -1, "test"]]}, "data.points"),
        ("data", [], "data"),
        ("standardize", {"mean": [0, 0], "std": [1, 1]}, "standardize"),
    ],
)
def test_a_bad_field_is_refused_by_name(path, value, message):
    d = copy.deepcopy(export_model(Run({"seed": "0.5"})))
    _edit(path, value)(d)
    with pytest.raises(ValueError) as caught:
        import_model(d)
    assert str(caught.value).startswith(message)


def test_standardization_that_does_not_match_the_data_is_refused():
    d = export_model(Run({"seed": "0.5", "standardize": True}))
    d["standardize"]["mean"][0] += 0.5
    with pytest.raises(ValueError, match="^standardize.mean"):
        import_model(d)
    d["standardize"]["std"] = [0.0, 1.0]
    with pytest.raises(ValueError, match="^standardize.std"):
        import_model(d)


@pytest.mark.parametrize("value", ["", [1, 2], None, 3.5, {"format": 1}])
def test_a_value_that_is_not_a_model_is_a_value_error(value):
    with pytest.raises(ValueError, match="^(model|format)"):
        import_model(value)


def test_a_diverged_network_is_not_exported():
    run = Run({"seed": "0.5"})
    run.set_bias(2, 0, 1.0)
    run.state.net.params[0] = np.nan  # what an exploded run holds
    with pytest.raises(ValueError, match="^weights: the network has diverged"):
        export_model(run)
