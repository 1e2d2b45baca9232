"""Input features: the reference's order, per-feature scale, standardization on train only."""

from __future__ import annotations

import numpy as np

from engine import Run
from engine.features import FEATURES


def test_inputs_follow_the_reference_order():
    run = Run({"seed": "1", "x": False, "sinY": True, "xTimesY": True, "ySquared": True})
    assert run.input_names == ["y", "ySquared", "xTimesY", "sinY"]
    assert list(FEATURES) == ["x", "y", "xSquared", "ySquared", "xTimesY", "sinX", "sinY"]


def test_scale_multiplies_the_feature():
    run = Run({"seed": "1", "xScale": 1000.0})
    x_map = run.evaluate_grid(3)[0][0]
    np.testing.assert_allclose(x_map[0], [-6000, 0, 6000])


def test_standardization_uses_the_training_set_only():
    run = Run({"seed": "1", "standardize": True, "xSquared": True})
    inputs = run.state.transform.apply(run.train_data[0])
    np.testing.assert_allclose(inputs.mean(axis=0), 0, atol=1e-12)
    np.testing.assert_allclose(inputs.std(axis=0), 1, atol=1e-12)
    test_inputs = run.state.transform.apply(run.test_data[0])
    assert np.abs(test_inputs.mean(axis=0)).max() > 1e-6  # not re-fitted on the test points


def test_no_features_at_all_still_builds_a_network():
    run = Run({"seed": "1", "x": False, "y": False})
    run.step(2)
    assert run.layer_sizes[0] == 0 and run.evaluate_grid(4)[0].shape == (0, 4, 4)
