"""The backprop inspector is a worked example: its printed chain multiplies out, point by
point, and sums to exactly what training applied."""

from __future__ import annotations

import json

import numpy as np
import pytest

from engine import Run
from engine.exact import ordered_total
from engine.group import group_key


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


@pytest.mark.parametrize("layer", [0, 1, 2])
def test_every_point_of_the_batch_multiplies_out_and_sums_to_training_gradient(layer):
    run = _whole_batch_run(batchSize=10)
    run.step(2)
    last = run.state.trainer.last_update
    values = run.inspect(layer, 1, 0)
    index = run.state.net.flat_index(layer, 1, 0)
    assert len(values["points"]) == values["n_points"] == 10
    for point in values["points"]:
        assert point["dL_dz"] == point["dphi"] * point["dL_dh"] or point["dphi"] is None
        assert point["dL_dw"] == point["a_prev"] * point["dL_dz"]
    products = [p["dL_dw"] for p in values["points"]]
    assert values["sum"] == ordered_total(np.array(products)) == last.grad_sum[index]
    assert values["dL_dw"] == values["sum"] / 10
    assert values["a_prev"] is None  # no averaged factor: the table is the worked example


def test_a_hidden_neuron_sums_its_outgoing_terms_for_the_first_point():
    run = _whole_batch_run(batchSize=10)
    run.step()
    values = run.inspect(1, 0, 1)
    first = values["points"][0]
    assert len(values["terms"]) == 1  # neuron 2 of layer 2 feeds the output only
    assert sum(t["product"] for t in values["terms"]) == first["dL_dh"]
    assert all(t["product"] == t["weight"] * t["dL_dz"] for t in values["terms"])


def test_bias_gradient_is_what_sgd_applied():
    run = _whole_batch_run()
    before = run.biases
    run.step()
    values = run.inspect(1, kind="bias", target=1)
    assert {p["a_prev"] for p in values["points"]} == {1.0}
    applied = (before[1][1] - run.biases[1][1]) / 0.1
    assert values["dL_dw"] == pytest.approx(applied, rel=1e-9)


def test_one_point_chain_rule_factors_multiply():
    run = _whole_batch_run()
    values = run.inspect(0, 1, 2, point=[1.5, -2.0])
    assert values["a_prev"] == -2.0  # the y input of that point
    assert values["dL_dh"] == pytest.approx(sum(t["product"] for t in values["terms"]))
    assert values["dL_dz"] == values["dL_dh"] * values["dphi"]
    assert values["dL_dw"] == values["a_prev"] * values["dL_dz"]
    assert values["update"] == pytest.approx(0.1 * values["dL_dw"])
    assert values["weight_after"] == pytest.approx(values["weight"] - values["update"])
    assert values["h"] == pytest.approx(np.tanh(values["z"]))


def test_output_layer_dl_dh_is_the_loss_derivative():
    run = _whole_batch_run()
    label = run.train_data[1][0]
    values = run.inspect(2, 0, 0, point=[*run.train_data[0][0], label])
    assert values["dL_dh"] == pytest.approx(values["h"] - label)  # ½(o − t)² → o − t
    assert values["points"][0]["t"] == label
    assert values["terms"] == []


def test_regularization_term_and_the_weight_after():
    run = _whole_batch_run(regularization="L2", regularizationRate=0.3)
    run.step()
    values = run.inspect(1, 0, 0)
    assert values["regularization"] == pytest.approx(0.3 * values["weight"])
    expected = values["weight"] - values["update"] - 0.1 * values["regularization"]
    assert values["weight_after"] == pytest.approx(expected, rel=1e-12)
    assert [r["key"] for r in values["steps"]][-3:] == ["lambda", "slope", "penalty"]


def test_before_any_update_the_next_batch_is_shown():
    values = _whole_batch_run().inspect(0, 0, 0)
    assert values["batch"] == "next_batch" and values["n_points"] == 50 and values["applies"]


def test_fewer_training_points_than_the_batch_size_show_no_new_weight():
    run = _whole_batch_run(batchSize=60)  # 50 training points never fill a batch of 60
    run.step(3)
    values = run.inspect(0, 0, 0)
    assert values["batch"] == "no_update" and not values["applies"] and values["steps"] == []
    assert values["weight_after"] == values["weight"] == run.weights[0][0, 0]
    assert values["batch_size"] == 60 and values["n_points"] == 50


def test_softmax_output_reports_the_fused_delta():
    run = Run({"seed": "0.3", "problem": "multiclass", "numClasses": 3})
    run.step()
    values = run.inspect(2, 1, 2)
    assert values["fused_output"] and values["loss"] == "softmax_ce"
    for point in values["points"]:
        assert point["dphi"] is None and point["dL_dh"] is None
        assert point["dL_dz"] == point["h"] - point["t"]


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


def test_one_batch_at_a_time_is_the_epoch_in_pieces():
    whole, pieces = _whole_batch_run(batchSize=15), _whole_batch_run(batchSize=15)
    whole.step(2)  # 50 points in batches of 15: 3 updates and 5 points carried per epoch
    finished = [pieces.step_batch() for _ in range(6)]
    assert finished == [False, False, True] * 2 and pieces.epoch == 2
    np.testing.assert_array_equal(pieces.state.net.params, whole.state.net.params)
    assert pieces.losses() == whole.losses()


def test_each_batch_stepped_alone_is_the_inspectors_last_update():
    run = _whole_batch_run(batchSize=10, optimizer="momentum")
    run.step_batch()
    before = run.weights[1][0, 0]
    run.step_batch()
    values = run.inspect(1, 0, 0)
    assert values["batch_position"] == [2, 5] and values["n_points"] == 10
    assert values["weight"] == before and values["weight_after"] == run.weights[1][0, 0]
    assert values["replayed_weight_after"] == values["weight_after"]
    assert [r["key"] for r in values["steps"]] == ["g", "mu", "v_prev", "v", "step"]
    assert values["steps"][2]["value"] != 0  # the first batch's velocity, decayed by μ


def test_a_run_in_the_middle_of_an_epoch_is_not_grouped():
    run = _whole_batch_run(batchSize=10)
    assert group_key(run) is not None
    run.step_batch()
    assert group_key(run) is None  # a group replays whole epochs
    for _ in range(4):
        run.step_batch()
    assert group_key(run) is not None and run.epoch == 1


def test_a_snapshot_in_the_middle_of_an_epoch_goes_on_from_that_batch():
    run = _whole_batch_run(batchSize=10)
    for _ in range(3):
        run.step_batch()
    again = Run.from_snapshot(run.snapshot())
    assert again.batch_position == (3, 5)
    run.step(2)
    again.step(2)
    np.testing.assert_array_equal(again.state.net.params, run.state.net.params)


def test_a_restored_run_still_shows_adams_own_step():
    run = _whole_batch_run(optimizer="adam")
    run.step(2)
    again = Run.from_snapshot(json.loads(json.dumps(run.snapshot())))
    shown, restored = run.inspect(2, 0, 0), again.inspect(2, 0, 0)
    assert restored["replayed"] and restored["steps"] == shown["steps"]
    assert restored["weight_after"] == restored["replayed_weight_after"] == shown["weight_after"]
