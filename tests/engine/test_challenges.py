"""A class's goal as data: parsing, checking a run against it, and the ranking."""

import pytest

import engine
from engine.challenges import (
    architecture,
    data_digest,
    parameter_count,
    parse_goal,
    ranked,
    run_facts,
)


def test_parameter_count_is_weights_and_biases():
    assert parameter_count([2, 4, 2, 1]) == (2 + 1) * 4 + (4 + 1) * 2 + (2 + 1) * 1
    assert parameter_count([7, 8, 8, 1]) == 64 + 72 + 9


def test_architecture_names_the_shape_and_the_hidden_activation():
    assert architecture([7, 8, 8, 1], "relu") == "7-8-8-1 relu"
    assert architecture([2, 1], "tanh") == "2-1"


def test_the_data_digest_tells_same_data_from_other_data():
    a, b = engine.Run({"seed": "0.5"}), engine.Run({"seed": "0.5"})
    c = engine.Run({"seed": "0.6"})
    digest = data_digest(a.train_data, a.test_data)
    assert digest == data_digest(b.train_data, b.test_data)
    assert digest != data_digest(c.train_data, c.test_data)


def test_a_loss_goal_is_met_below_its_target_within_its_size():
    goal = parse_goal({"metric": "test_loss", "target": 0.1, "max_parameters": 20})
    facts = {"test_loss": 0.05, "parameters": 17, "layers": 1, "data": "x", "diverged": False}
    assert goal.met(facts)
    assert not goal.met({**facts, "test_loss": 0.2})
    assert not goal.met({**facts, "parameters": 21})
    assert not goal.met({**facts, "diverged": True})


def test_an_accuracy_goal_on_the_pushed_data_needs_that_data():
    goal = parse_goal({"metric": "test_accuracy", "target": 0.9, "max_layers": 1,
                       "data": "0123456789abcdef"})  # fmt: skip
    facts = {"test_accuracy": 0.95, "parameters": 9, "layers": 1, "data": "0123456789abcdef"}
    assert goal.met(facts)
    assert not goal.met({**facts, "data": "fedcba9876543210"})
    assert not goal.met({**facts, "layers": 2})
    assert not goal.met({**facts, "test_accuracy": None})  # a regression has no accuracy


@pytest.mark.parametrize(
    "raw, key",
    [
        ("fast", "goal"),
        ({"metric": "speed", "target": 1}, "goal.metric"),
        ({"metric": "test_loss"}, "goal.target"),
        ({"metric": "test_loss", "target": float("nan")}, "goal.target"),
        ({"metric": "test_accuracy", "target": 1.5}, "goal.target"),
        ({"metric": "test_loss", "target": 0.1, "max_layers": -1}, "goal.max_layers"),
        ({"metric": "test_loss", "target": 0.1, "max_parameters": True}, "goal.max_parameters"),
        ({"metric": "test_loss", "target": 0.1, "colour": "red"}, "goal.colour"),
    ],
)
def test_a_bad_goal_names_its_key(raw, key):
    with pytest.raises(ValueError, match=f"^{key}:"):
        parse_goal(raw)


def test_a_trained_run_meets_a_goal_its_first_weights_do_not():
    run = engine.Run({"dataset": "gauss", "seed": "0.25", "noise": 0})
    goal = parse_goal({"metric": "test_loss", "target": 0.05})
    assert not goal.met(run_facts(run))
    run.step(200)
    assert goal.met(run_facts(run))


def test_the_ranking_puts_who_met_the_goal_first_by_epoch_then_by_loss():
    rows = [
        {"name": "Cy", "met_epoch": None, "best_test_loss": 0.01},
        {"name": "Bo", "met_epoch": 90, "best_test_loss": 0.02},
        {"name": "Al", "met_epoch": 40, "best_test_loss": 0.03},
        {"name": "Di", "met_epoch": None, "best_test_loss": None},
        {"name": "Ed", "met_epoch": None, "best_test_loss": 0.005},
    ]
    assert [r["name"] for r in ranked(rows)] == ["Al", "Bo", "Ed", "Cy", "Di"]
