"""Pictures as numbers: every neuron on the grid, thumbnails, single neuron maps."""

from __future__ import annotations

import numpy as np
import pytest

from engine import Run
from engine.features import FEATURES, feature_grid
from engine.grid import GridStack, thumbnails

ALL_FEATURES = {n: True for n in FEATURES}


def test_grid_orientation_row_zero_is_the_top():
    maps = Run({"seed": "1"}).evaluate_grid(5)
    x_map, y_map = maps[0]
    np.testing.assert_allclose(x_map[0], [-6, -3, 0, 3, 6])  # x grows along a row
    np.testing.assert_allclose(y_map[:, 0], [6, 3, 0, -3, -6])  # row 0 is y = +6


@pytest.mark.parametrize(
    "config",
    [
        {"networkShape": [4, 2]},
        {"networkShape": [8] * 6, "activation": "relu", **ALL_FEATURES},
        {"networkShape": [], "activation": "gelu"},
        {"problem": "multiclass", "numClasses": 4},
        {"standardize": True, "xScale": 100.0, "sinY": True},
    ],
)
def test_every_layer_matches_the_float64_network(config):
    run = Run({"seed": "2", **config})
    run.step(3)
    maps = run.evaluate_grid(20)
    assert [m.shape for m in maps] == [(n, 20, 20) for n in run.layer_sizes]
    for layer, layer_maps in enumerate(maps):
        for neuron in range(len(layer_maps)):
            exact = run.neuron_map(layer, neuron, 20)
            np.testing.assert_allclose(layer_maps[neuron], exact, rtol=1e-4, atol=1e-4)
    points = np.array([[-6.0, 6.0], [6.0, -6.0]])  # the top-left and bottom-right cells
    output = run.predict(points).reshape(len(points), -1)
    np.testing.assert_allclose(maps[-1][:, 0, 0], output[0], atol=1e-4)
    np.testing.assert_allclose(maps[-1][:, -1, -1], output[1], atol=1e-4)


def test_softmax_maps_are_class_probabilities():
    maps = Run({"seed": "2", "problem": "multiclass", "numClasses": 3}).evaluate_grid(10)
    np.testing.assert_allclose(maps[-1].sum(axis=0), 1.0, rtol=1e-5)


def test_thumbnails_are_block_means():
    maps = np.arange(2 * 100 * 100, dtype=np.float32).reshape(2, 100, 100)
    small = thumbnails(maps, 10)
    assert small.shape == (2, 10, 10)
    assert small[1, 2, 3] == pytest.approx(maps[1, 20:30, 30:40].mean())


def test_thumbnails_of_uneven_grids_average_nearly_equal_blocks():
    maps = np.random.default_rng(0).random((3, 25, 25))
    small = thumbnails(maps, 10)
    assert small.shape == (3, 10, 10)
    assert small[0, 0, 0] == pytest.approx(maps[0, :3, :3].mean())


def test_feature_grid_has_all_seven_features_in_order():
    grids = feature_grid(100)
    assert grids.shape == (7, 100, 100)
    x, y = grids[0], grids[1]
    np.testing.assert_allclose(grids[4], x * y)
    np.testing.assert_allclose(grids[5], np.sin(x))


@pytest.mark.parametrize("resolution", [0, 1, 5000, 2.5, True])
def test_bad_resolutions_are_refused(resolution):
    with pytest.raises(ValueError, match="resolution"):
        Run({"seed": "1"}).evaluate_grid(resolution)


@pytest.mark.parametrize(
    "config",
    [
        {"networkShape": [4, 2]},
        {"networkShape": [3], "problem": "multiclass", "numClasses": 3},
        {"networkShape": [5, 5], "activation": "relu", "standardize": True, "xSquared": True},
        {"networkShape": [], "x": False, "y": False},
    ],
)
def test_networks_evaluated_as_one_stack_give_each_its_maps_alone(config):
    runs = [Run({"seed": f"s{i}", **config}) for i in range(5)]
    for run in runs:
        run.step(2)
    nets = [run.state.net for run in runs]
    stack = GridStack(nets[0], capacity=6)
    stacked = stack.evaluate(nets, [run.state.transform for run in runs], 30)
    for i, run in enumerate(runs):
        alone = run.evaluate_grid(30)
        assert [m.shape for m in alone] == [m[i].shape for m in stacked]
        assert all(a.tobytes() == s[i].tobytes() for a, s in zip(alone, stacked, strict=True))
    fewer = stack.evaluate(nets[3:], [run.state.transform for run in runs[3:]], 30)
    assert runs[4].evaluate_grid(30)[-1].tobytes() == fewer[-1][1].tobytes()


def test_a_stack_refuses_networks_of_another_shape():
    one, other = Run({"seed": "1"}), Run({"seed": "1", "networkShape": [3]})
    stack = GridStack(one.state.net, capacity=2)
    with pytest.raises(ValueError, match="networks of shape"):
        stack.evaluate([one.state.net, other.state.net], [one.state.transform] * 2, 10)
