"""Races (lanes on the same data from the same start, in lockstep) and the hidden-layer view."""

import itertools

import numpy as np
import pytest

from engine import Run
from engine.layer_view import layer_view, plane_lines
from engine.race import MAX_LANES, Race, from_hash, race_configs
from engine.replay import BUDGET_BYTES

SPIRAL = {"dataset": "spiral", "seed": "race", "networkShape": [6, 4]}


def params_of(run: Run) -> bytes:
    return b"".join(w.tobytes() for w in run.weights + run.biases)


def fake_clock(step: float = 0.25):
    ticks = itertools.count()
    return lambda: next(ticks) * step


def test_lanes_share_the_data_and_for_equal_shapes_the_first_weights():
    race = Race(Run(SPIRAL))
    race.add({**SPIRAL, "activation": "relu"})
    race.add({**SPIRAL, "networkShape": [3]})
    tanh, relu, small = race.lanes
    for lane in (relu, small):
        assert lane.points[0].tobytes() == tanh.points[0].tobytes()
        assert lane.points[1].tobytes() == tanh.points[1].tobytes()
    assert params_of(relu) == params_of(tanh) == params_of(Run(SPIRAL))
    assert relu.layer_sizes == tanh.layer_sizes and small.layer_sizes != tanh.layer_sizes


@pytest.mark.parametrize(
    "change", [{"activation": "relu"}, {"optimizer": "adam"}, {"networkShape": [3, 3, 2]}]
)
def test_a_lane_trains_exactly_as_the_same_run_alone(change):
    race = Race(Run(SPIRAL))
    race.add({**SPIRAL, **change})
    race.step(30)
    alone = Run({**SPIRAL, **change})
    alone.step(30)
    lane = race.lanes[1]
    assert lane.epoch == race.lanes[0].epoch == 30
    assert params_of(lane) == params_of(alone) and lane.losses() == alone.losses()


def test_a_race_trained_lane_by_lane_is_the_race_trained_epoch_by_epoch():
    whole, pieces = Race(Run(SPIRAL)), Race(Run(SPIRAL))
    for race in (whole, pieces):
        race.add({**SPIRAL, "activation": "relu"})
        race.add({**SPIRAL, "networkShape": [3]})
    whole.step(12)
    rounds = [pieces.step_lane() for _ in range(3 * 12)]
    assert rounds == [False, False, True] * 12  # every lane one epoch further per round
    for a, b in zip(whole.lanes, pieces.lanes, strict=True):
        assert a.epoch == b.epoch == 12 and params_of(a) == params_of(b)
    assert pieces.step_lane() is False and pieces.turn == 1  # lane 0 is one epoch ahead
    pieces.step(1)  # a round left half done is finished first, then the epoch asked for
    assert [lane.epoch for lane in pieces.lanes] == [14, 14, 14] and pieces.turn == 0
    pieces.step_lane()
    pieces.configure(1, {"learningRate": 0.1})  # a live change: the round ends before it
    assert [lane.epoch for lane in pieces.lanes] == [15, 15, 15]


def test_a_diverged_lane_takes_no_turn_in_a_round():
    race = Race(Run(SPIRAL))
    race.add({**SPIRAL, "activation": "relu"})
    race.lanes[0].diverged = True
    assert race.step_lane() is False and race.turn == 1  # lane 0's turn passes, untrained
    assert race.step_lane() is True and [lane.epoch for lane in race.lanes] == [0, 1]
    race.lanes[1].diverged = True
    assert race.step_lane() is True and race.diverged  # nothing left to train: no round


def test_a_race_from_a_moved_run_starts_all_lanes_from_its_first_weights():
    base = Run(SPIRAL)
    base.step(12)
    race = Race(base)
    race.add({**base.config, "learningRate": 0.1})
    first = Run(SPIRAL)
    assert [lane.epoch for lane in race.lanes] == [0, 0]
    assert params_of(race.lanes[0]) == params_of(race.lanes[1]) == params_of(first)


def test_drawn_data_is_shared_by_every_lane():
    base = Run({"seed": "drawn"})
    base.set_data([[1, 1, 1], [-1, -1, -1], [2, 1, 1], [-2, -1, -1], [1, 2, 1], [-1, -2, -1]])
    race = Race(base)
    race.add({**base.config, "activation": "sigmoid"})
    assert race.lanes[1].user_data and race.lanes[1].points[0].tobytes() == base.points[0].tobytes()


def test_the_first_lane_under_the_target_wins_with_its_epoch_and_time():
    race = Race(Run({"seed": "win", "learningRate": 0.3}), clock=fake_clock(), target_loss=0.2)
    race.add({**race.lanes[0].config, "learningRate": 0.001})
    while race.winner is None and race.epoch < 500:
        race.step(1)
    assert race.winner["lane"] == 0 and race.winner["test_loss"] <= 0.2
    assert race.winner["epoch"] == race.epoch
    assert race.winner["seconds"] == pytest.approx(0.25 * race.epoch)  # each epoch: one tick
    race.set_target(1e-9)
    assert race.winner is None


def test_a_lane_change_that_needs_a_new_network_restarts_the_race():
    race = Race(Run(SPIRAL))
    race.add(SPIRAL)
    race.step(5)
    assert race.configure(1, {"learningRate": 0.1}) == "live" and race.epoch == 5
    assert race.configure(1, {"activation": "linear"}) == "rebuild"
    assert [lane.epoch for lane in race.lanes] == [0, 0]
    assert params_of(race.lanes[0]) == params_of(race.lanes[1])


def test_lanes_refuse_their_own_data_and_a_fifth_lane():
    race = Race(Run(SPIRAL))
    with pytest.raises(ValueError, match="lanes of a race share their data"):
        race.add({**SPIRAL, "dataset": "xor"})
    with pytest.raises(ValueError, match="lanes of a race share their data"):
        race.configure(0, {"noise": 20})
    for _ in range(MAX_LANES - 1):
        race.add(SPIRAL)
    with pytest.raises(ValueError, match="at most 4 lanes"):
        race.add(SPIRAL)
    with pytest.raises(ValueError, match="lane: 7 does not exist; use 0..3"):
        race.configure(7, {})
    assert sum(lane.replay.budget for lane in race.lanes) <= BUDGET_BYTES


def test_a_race_link_reopens_every_lane():
    race = Race(Run(SPIRAL))
    race.add({**SPIRAL, "activation": "relu", "learningRate": 0.1})
    race.add(SPIRAL)
    link = race.to_hash()
    again = from_hash(link)
    assert [lane.config for lane in again.lanes] == [lane.config for lane in race.lanes]
    assert race_configs(Run(SPIRAL).to_hash()) is None


def test_layer_zero_of_x_and_y_is_the_plane_itself():
    run = Run({"seed": "view"})
    view = layer_view(run, 0)
    assert np.array_equal(view["lines"], plane_lines())
    assert np.array_equal(view["points"], run.points[0])
    assert view["bounds"][0] < -6 and view["bounds"][1] > 6


def test_a_hidden_layer_view_is_that_layer_s_outputs_on_the_lines_and_points():
    run = Run({**SPIRAL, "networkShape": [5, 2]})
    run.step(20)
    view = layer_view(run, 2, (1, 0))
    lines = plane_lines().reshape(-1, 2)
    expected = run.layer_outputs(lines)[2][:, [1, 0]]
    assert np.array_equal(view["lines"].reshape(-1, 2), expected)
    assert np.array_equal(view["points"], run.layer_outputs(run.points[0])[2][:, [1, 0]])
    assert np.abs(view["lines"]).max() <= 1  # tanh: the layer's square
    assert view["n_train"] == len(run.train_data[0])


def test_a_layer_view_names_what_does_not_exist():
    run = Run({"networkShape": [4, 1]})
    with pytest.raises(ValueError, match=r"layer: 3 is not allowed; use an integer in 0..2"):
        layer_view(run, 3)
    with pytest.raises(ValueError, match=r"neurons: 4 is not allowed"):
        layer_view(run, 1, (0, 4))
    assert layer_view(run, 2)["neurons"] == (0, 0)
