"""Run, the public API: building, stepping, configuring, resetting, editing, data."""

from __future__ import annotations

import numpy as np
import pytest

from engine import Run


def test_same_seed_same_run_after_training():
    first, second = Run({"seed": "0.12345"}), Run({"seed": "0.12345"})
    first.step(20)
    second.step(20)
    for a, b in zip(first.weights + first.biases, second.weights + second.biases, strict=True):
        np.testing.assert_array_equal(a, b)
    assert first.history == second.history


def test_different_seeds_differ():
    assert not np.array_equal(Run({"seed": "1"}).weights[0], Run({"seed": "2"}).weights[0])


def test_history_starts_with_the_untrained_losses_and_grows_per_epoch():
    run = Run({"seed": "0.5"})
    untrained = run.losses()
    run.step(3)
    assert run.epoch == 3
    assert [point[0] for point in run.history] == [0, 1, 2, 3]
    assert run.history[0][1:] == (untrained["train"], untrained["test"])


def test_validation_split_reports_a_third_loss():
    run = Run({"seed": "0.5", "percTrainData": 80, "percValData": 10})
    assert [len(run.train_data[0]), len(run.validation_data[0]), len(run.test_data[0])] == [
        400,
        50,
        50,
    ]
    assert set(run.losses()) == {"train", "validation", "test"}
    assert len(run.history[0]) == 4


@pytest.mark.parametrize(
    ("partial", "kind"),
    [
        ({"learningRate": 0.1}, "live"),
        ({"regularization": "L2", "regularizationRate": 0.01}, "live"),
        ({"optimizer": "adam"}, "live"),
        ({"activation": "relu"}, "rebuild"),
        ({"networkShape": [3]}, "rebuild"),
        ({"xSquared": True}, "rebuild"),
        ({"dataset": "xor"}, "data"),
        ({"noise": 20}, "data"),
        ({"regDataset": "reg-gauss"}, "live"),  # not the classification problem's dataset
    ],
)
def test_configure_reports_what_the_change_needed(partial, kind):
    run = Run({"seed": "0.5"})
    run.step(2)
    assert run.configure(partial) == kind
    assert run.epoch == (2 if kind == "live" else 0)


def test_a_data_change_draws_a_new_seed_from_the_stream_unless_one_is_given():
    run = Run({"seed": "0.5"})
    run.configure({"dataset": "xor"})
    assert run.config["seed"] != "0.5"
    run.configure({"dataset": "gauss", "seed": "0.777"})
    assert run.config["seed"] == "0.777"


def test_a_refused_configuration_changes_nothing():
    run = Run({"seed": "0.5"})
    before = run.snapshot()
    with pytest.raises(ValueError, match="learningRate"):
        run.configure({"activation": "relu", "learningRate": -1})
    assert run.snapshot() == before


def test_reset_same_weights_restores_the_first_weights():
    run = Run({"seed": "0.5"})
    first = run.weights
    run.step(5)
    run.reset(same_weights=True)
    assert run.epoch == 0
    for a, b in zip(run.weights, first, strict=True):
        np.testing.assert_array_equal(a, b)
    run.reset()
    assert not np.array_equal(run.weights[0], first[0])


def test_regenerate_keeps_the_weights_and_draws_new_data():
    run = Run({"seed": "0.5"})
    run.step(2)
    weights, points = run.weights, run.train_data[0]
    run.regenerate()
    assert run.config["seed"] != "0.5" and run.epoch == 2
    np.testing.assert_array_equal(run.weights[0], weights[0])
    assert not np.array_equal(run.train_data[0], points)


def test_set_weight_and_bias_change_the_output():
    run = Run({"seed": "0.5"})
    before = run.predict([[1.0, 2.0]])
    run.set_weight(2, 1, 0, 3.0)
    run.set_bias(2, 0, -0.5)
    assert run.weights[2][1, 0] == 3.0 and run.biases[2][0] == -0.5
    assert run.predict([[1.0, 2.0]]) != before


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda run: run.set_weight(3, 0, 0, 1.0), "layer"),
        (lambda run: run.set_weight(0, 2, 0, 1.0), "source"),
        (lambda run: run.set_bias(0, 4, 1.0), "neuron"),
        (lambda run: run.set_bias(0, 0, float("nan")), "value"),
        (lambda run: setattr(run, "weights", [np.zeros((2, 4))]), "weights"),
        (
            lambda run: setattr(run, "biases", [np.zeros(4), np.zeros(2), np.full(1, np.inf)]),
            "biases",
        ),
    ],
)
def test_bad_edits_name_the_field(call, message):
    with pytest.raises(ValueError, match=message):
        call(Run({"seed": "0.5"}))


def test_user_points_replace_the_data_and_the_split_applies():
    run = Run({"seed": "0.5", "percTrainData": 50})
    rows = [[x, x, 1.0 if x > 0 else -1.0] for x in np.linspace(-5, 5, 40)]
    run.set_data(rows)
    assert len(run.train_data[0]) == 20 and len(run.test_data[0]) == 20
    assert sorted(run.train_data[0][:, 0].tolist() + run.test_data[0][:, 0].tolist()) == sorted(
        r[0] for r in rows
    )
    run.step(5)
    assert run.configure({"percTrainData": 70}) == "data"
    assert len(run.train_data[0]) == 28  # still the user's points


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        ([[0, 0, 2]], "points"),
        ([[0, 0, 1], [1, 1, 0.5]], "labels must be 1"),
        ([[0, 0], [1, 1]], "shape"),
        ([[0, float("nan"), 1], [1, 1, 1]], "finite"),
    ],
)
def test_bad_user_points_are_refused(rows, message):
    with pytest.raises(ValueError, match=message):
        Run({"seed": "0.5"}).set_data(rows)


def test_predict_and_accuracy_shapes_per_problem():
    multi = Run({"seed": "0.5", "problem": "multiclass", "numClasses": 4})
    assert multi.predict(np.zeros((3, 2))).shape == (3, 4)
    np.testing.assert_allclose(multi.predict(np.zeros((3, 2))).sum(axis=1), 1.0)
    assert set(multi.accuracy()) == {"train", "test"}
    regression = Run({"seed": "0.5", "problem": "regression"})
    assert regression.predict(np.zeros((3, 2))).shape == (3,)
    assert regression.accuracy() is None


def test_a_long_history_is_thinned_evenly(monkeypatch):
    monkeypatch.setattr("engine.run.HISTORY_LIMIT", 10)
    run = Run({"seed": "0.5"})
    run.step(45)
    epochs = [point[0] for point in run.history]
    assert len(epochs) <= 10 and epochs[0] == 0
    assert epochs == list(range(0, 45, run.history_stride))


def test_a_problem_change_draws_the_thumbnails_before_the_weights_like_the_reference():
    from engine.data import DataSplit, draw_thumbnails
    from engine.network import initial_parameters
    from engine.rng import SeedRandom

    run = Run({"seed": "0.5"})
    run.configure({"problem": "regression", "seed": "0.25"})
    rng = SeedRandom("0.25")
    DataSplit.generate(run.config, rng)
    draw_thumbnails("regression", rng)
    expected = initial_parameters(run.layer_sizes, rng, False)
    np.testing.assert_array_equal(run.state.net.params, expected)


def test_adding_a_user_point_never_reshuffles_the_split_of_the_others():
    rng = np.random.default_rng(3)
    rows = [[*rng.uniform(-5, 5, 2), float(rng.choice([-1.0, 1.0]))] for _ in range(40)]
    run = Run({"seed": "0.5", "percTrainData": 50})
    run.set_data(rows)
    before = {tuple(p) for p in run.train_data[0]}
    run.set_data([*rows, [0.123, -4.5, 1.0]])
    after = {tuple(p) for p in run.train_data[0]}
    assert len(before ^ after) <= 2  # at most one point crosses the boundary, and the new one
    other = Run({"seed": "9", "percTrainData": 50})
    other.set_data(list(reversed(rows)))
    assert {tuple(p) for p in other.train_data[0]} == before  # the same points, the same split
