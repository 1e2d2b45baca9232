"""A reference link opens with the reference's data split and first weights (npm vectors)."""

from __future__ import annotations

import math

import numpy as np
import pytest

import engine
from tests.engine.reference_vectors import assert_points_match, case_id, load

FEATURES = ["x", "y", "xTimesY", "xSquared", "ySquared", "sinX", "sinY"]
NETWORK_CASES = [
    pytest.param(case, network, id=f"{case_id(case)}-{len(network['features'])}in")
    for case in load()["cases"]
    for network in case["networks"]
]


def _link_hash(case: dict, network: dict) -> str:
    """The reference's URL hash (without '#') for this case and network."""
    dataset_key = "dataset" if case["problem"] == "classification" else "regDataset"
    parts = [
        f"seed={case['seed']}",
        f"problem={case['problem']}",
        f"{dataset_key}={case['dataset']}",
        f"noise={case['noise']}",
        f"percTrainData={case['perc_train']}",
        "networkShape=" + ",".join(str(size) for size in network["hidden"]),
    ]
    parts += [f"{name}={str(name in network['features']).lower()}" for name in FEATURES]
    return "&".join(parts)


@pytest.mark.parametrize(("case", "network"), NETWORK_CASES)
def test_link_opens_with_reference_split_and_first_weights(case, network):
    # engine.Run is looked up here, not imported at the top, so that until it exists these
    # tests fail one by one instead of a collection error that stops every other test.
    run = engine.Run.from_hash(_link_hash(case, network))
    points, labels = np.array(case["points"]), np.array(case["labels"])
    n_train = math.floor(case["n_samples"] * case["perc_train"] / 100)

    train_x, train_y = run.train_data
    test_x, test_y = run.test_data
    assert_points_match(case["dataset"], train_x, points[:n_train])
    assert_points_match(case["dataset"], test_x, points[n_train:])
    np.testing.assert_array_equal(train_y, labels[:n_train])
    np.testing.assert_array_equal(test_y, labels[n_train:])

    assert len(run.weights) == len(network["weights"])
    for layer, (actual, expected) in enumerate(zip(run.weights, network["weights"], strict=True)):
        expected = np.array(expected)
        assert actual.shape == expected.shape, f"layer {layer}"
        np.testing.assert_array_equal(actual, expected, err_msg=f"layer {layer}")
