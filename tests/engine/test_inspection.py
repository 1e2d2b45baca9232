"""The backprop inspector shows exactly the numbers training applies."""

from __future__ import annotations

import numpy as np
import pytest

from engine import Run


def _whole_batch_run(**overrides) -> Run:
    # 10 % of 500 points = 50 training points, batch of 50: one update = the training set
    return Run({"seed": "0.3", "percTrainData": 10, "batchSize": 50, "learningRate": 0.1,
                "networkShape": [3, 2], **overrides})  # fmt: skip


@pytest.mark.parametrize("layer", [0, 1, 2])
def test_last_batch_gradient_is_what_sgd_applied(layer):
    run = _whole_batch_run()
    run.step()  # moves the weights once, then keep the values before the last update
    before = run.weights
    run.step()
    after = run.weights
    for source in range(before[layer].shape[0]):
        for target in range(before[layer].shape[1]):
            values = run.inspect(layer, source, target)
            applied = (before[layer][source, target] - after[layer][source, target]) / 0.1
            assert values["dL_dw"] == pytest.approx(applied, rel=1e-9, abs=1e-15)
            assert values["weight"] == before[layer][source, target]
            assert values["weight_after"] == after[layer][source, target]
            assert values["batch"] == "last_update" and values["n_points"] == 50


def test_bias_gradient_is_what_sgd_applied():
    run = _whole_batch_run()
    before = run.biases
    run.step()
    values = run.inspect(1, kind="bias", target=1)
    assert values["a_prev"] == 1.0
    applied = (before[1][1] - run.biases[1][1]) / 0.1
    assert values["dL_dw"] == pytest.approx(applied, rel=1e-9)


def test_one_point_chain_rule_factors_multiply():
    run = _whole_batch_run()
    values = run.inspect(0, 1, 2, point=[1.5, -2.0])
    assert values["a_prev"] == -2.0  # the y input of that point
    assert values["dL_dh"] == pytest.approx(sum(t["product"] for t in values["terms"]))
    assert values["dL_dz"] == pytest.approx(values["dL_dh"] * values["dphi"])
    assert values["dL_dw"] == pytest.approx(values["a_prev"] * values["dL_dz"])
    assert values["update"] == pytest.approx(0.1 * values["dL_dw"])
    assert values["weight_after"] == pytest.approx(values["weight"] - values["update"])
    assert values["h"] == pytest.approx(np.tanh(values["z"]))


def test_output_layer_dl_dh_is_the_loss_derivative():
    run = _whole_batch_run()
    label = run.train_data[1][0]
    values = run.inspect(2, 0, 0, point=[*run.train_data[0][0], label])
    assert values["dL_dh"] == pytest.approx(values["h"] - label)  # ½(o − t)² → o − t
    assert values["terms"] == []


def test_regularization_term_and_the_weight_after():
    run = _whole_batch_run(regularization="L2", regularizationRate=0.3)
    run.step()
    values = run.inspect(1, 0, 0)
    assert values["regularization"] == pytest.approx(0.3 * values["weight"])
    expected = values["weight"] - values["update"] - 0.1 * values["regularization"]
    assert values["weight_after"] == pytest.approx(expected, rel=1e-12)


def test_before_any_update_the_next_batch_is_shown():
    values = _whole_batch_run().inspect(0, 0, 0)
    assert values["batch"] == "next_batch" and values["n_points"] == 50


def test_softmax_output_reports_the_fused_delta():
    run = Run({"seed": "0.3", "problem": "multiclass", "numClasses": 3})
    run.step()
    values = run.inspect(2, 1, 2)
    assert values["dphi"] is None and values["fused_output"]


@pytest.mark.parametrize(
    ("arguments", "field"),
    [
        ({"layer": 3, "source": 0, "target": 0}, "layer"),
        ({"layer": 0, "source": 5, "target": 0}, "source"),
        ({"layer": 0, "source": 0, "target": 9}, "target"),
        ({"layer": 0, "source": 0, "target": 0, "kind": "link"}, "kind"),
        ({"layer": 0, "source": 0, "target": 0, "point": [1.0]}, "point"),
    ],
)
def test_bad_targets_are_refused(arguments, field):
    with pytest.raises(ValueError, match=f"^{field}"):
        _whole_batch_run().inspect(**arguments)
