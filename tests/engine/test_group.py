"""Runs of one shape trained as one computation give exactly the numbers they give alone."""

from __future__ import annotations

import numpy as np
import pytest

from engine import Run
from engine.group import Group, group_key, train_together

LESSON = {"dataset": "circle", "networkShape": [4, 2], "batchSize": 10}


def _runs(count: int, **config) -> list[Run]:
    """A class: the same lesson, each student with a seed (data, weights) and a rate."""
    rates = [0.03, 0.1, 0.3, 0.01, 1.0, 0.003]
    return [
        Run({**LESSON, **config, "seed": f"s{i}", "learningRate": rates[i % len(rates)]})
        for i in range(count)
    ]


def _state(run: Run) -> dict:
    last = run.state.trainer.last_update
    return {
        "epoch": run.epoch,
        "params": run.state.net.params.tobytes(),
        "alive": run.state.net.alive.tobytes(),
        "history": run.history,
        "carry": run.state.trainer.carry.tobytes(),
        "carry_count": run.state.trainer.carry_count,
        "t": run.state.trainer.optimizer.t,
        "diverged": run.diverged,
        "accuracy": run.accuracy(),
        "last": None
        if last is None
        else (
            last.inputs.tobytes(),
            last.targets.tobytes(),
            last.params_before.tobytes(),
            last.params_after.tobytes(),
            last.grad_sum.tobytes(),
            last.count,
            last.optimizer_before,
            last.alive_before.tobytes(),
        ),  # fmt: skip
    }


def _assert_same_as_alone(make, epochs: list[int], rounds: int = 1) -> list[Run]:
    together, alone = make(), make()
    groups: dict = {}
    for _ in range(rounds):
        train_together(together, epochs, groups)
        for run, n in zip(alone, epochs, strict=True):
            run.step(n)
    for a, b in zip(together, alone, strict=True):
        assert _state(a) == _state(b)
    return together


@pytest.mark.parametrize("size", [2, 5, 40])
def test_a_class_trained_together_equals_each_student_alone(size):
    runs = _assert_same_as_alone(lambda: _runs(size), [3] * size)
    assert all(run.epoch == 3 for run in runs)


def test_students_at_different_speeds_train_their_own_epochs():
    _assert_same_as_alone(lambda: _runs(4), [1, 5, 0, 3], rounds=2)


@pytest.mark.parametrize(
    "config",
    [
        {"batchSize": 7},  # leftover points carried into the next epoch
        {"batchSize": 1, "networkShape": [3]},
        {"regularization": "L2", "regularizationRate": 0.01},
        {"regularization": "L1", "regularizationRate": 0.3},  # links die: then alone
        {"activation": "relu", "problem": "regression", "regDataset": "reg-gauss"},
        {"activation": "sigmoid", "dataset": "spiral", "networkShape": [8, 8, 8]},
        {"problem": "multiclass", "numClasses": 3},
    ],
)
def test_every_kind_of_group_equals_alone(config):
    _assert_same_as_alone(lambda: _runs(3, **config), [4, 4, 4], rounds=2)


def test_a_student_who_changes_the_rate_or_joins_late_stays_exact():
    together, alone = _runs(3), _runs(3)
    groups: dict = {}
    train_together(together, [2, 2, 2], groups)
    for run in alone:
        run.step(2)
    for runs in (together, alone):
        runs[1].configure({"learningRate": 3})  # live: the same group, its own rate
        runs.append(Run({**LESSON, "seed": "late"}))  # joins at epoch 0
    train_together(together, [2, 2, 2, 2], groups)
    for run in alone:
        run.step(2)
    for a, b in zip(together, alone, strict=True):
        assert _state(a) == _state(b)


def test_runs_that_cannot_be_grouped_train_alone():
    adam = Run({**LESSON, "seed": "a", "optimizer": "adam"})
    big_batch = Run({**LESSON, "seed": "b", "batchSize": 300})
    assert group_key(adam) is None and group_key(big_batch) is None
    assert group_key(_runs(1)[0]) != group_key(Run({**LESSON, "networkShape": [3]}))
    assert train_together([adam, big_batch], [2, 2]) == [2, 2]
    with pytest.raises(AssertionError):
        Group([_runs(1)[0], Run({**LESSON, "networkShape": [3]})])


def test_a_group_keeps_its_compiled_epoch_while_its_class_plays_on():
    runs, groups = _runs(3), {}
    train_together(runs, [1, 1, 1], groups)
    (group,) = groups.values()
    train_together(runs, [1, 1, 1], groups)
    assert list(groups.values()) == [group] and all(np.isfinite(r.losses()["test"]) for r in runs)


def test_a_class_keeps_one_compiled_epoch_whoever_has_the_turn_and_whoever_owes_nothing():
    """The server calls with the session whose turn it is first, and a student who is busy
    or owes no epoch this turn passes 0: the class's compiled epoch must serve all turns
    (compiling it again costs more than the epochs it trains)."""
    together, alone = _runs(3), _runs(3)
    groups: dict = {}
    train_together(together, [1, 1, 1], groups)
    (group,) = groups.values()
    turns = [([1, 2, 0], [1, 0, 1]), ([2, 0, 1], [2, 1, 1]), ([0, 1, 2], [0, 0, 3])]
    for order, epochs in turns:
        train_together([together[i] for i in order], epochs, groups)
    assert list(groups.values()) == [group]
    for run, n in zip(alone, [1 + 1 + 1 + 0, 1 + 1 + 1 + 0, 1 + 0 + 2 + 3], strict=True):
        run.step(n)
    for a, b in zip(together, alone, strict=True):
        assert _state(a) == _state(b)


def test_a_run_stopped_within_an_epoch_trains_alone_until_the_epoch_ends():
    together, alone = _runs(2), _runs(2)
    for runs in (together, alone):
        c = runs[0].config
        runs[0].state.trainer.train_batch(c["learningRate"], "none", 0.0)  # one batch of 25
    assert group_key(together[0]) is None and group_key(together[1]) is not None
    train_together(together, [2, 2])
    for run in alone:
        run.step(2)
    for a, b in zip(together, alone, strict=True):
        assert _state(a) == _state(b)


def test_a_group_of_two_problems_reports_each_run_its_own_losses_and_accuracy():
    """Figures computed for the whole group at once: per split (validation included) the
    same numbers as alone, no accuracy for a regression run sharing the group's shape."""

    def make() -> list[Run]:
        runs = _runs(2, outputActivation="tanh", percValData=20)
        regression = Run({**LESSON, "problem": "regression", "regDataset": "reg-plane",
                          "outputActivation": "tanh", "percValData": 20, "seed": "r"})  # fmt: skip
        data = runs[0].state.data
        regression.set_data(data.points, data.labels * 0.5)  # 500 points, like the others
        runs.append(regression)
        assert len({group_key(run) for run in runs}) == 1
        return runs

    runs = _assert_same_as_alone(make, [3, 3, 3], rounds=2)
    assert set(runs[0].accuracy()) == {"train", "validation", "test"}
    assert runs[2].accuracy() is None and "validation" in runs[2].losses()


def test_a_groups_elementwise_calls_run_over_flat_views_with_the_same_numbers():
    """engine.passes.flattened: a call over arrays of one layout (a group's runs innermost
    in memory) runs on 1-D views of them, element for element the same; arrays laid out
    differently, broadcasting and reductions keep their own arguments."""
    from engine.passes import flattened, run_calls, stacked

    rng = np.random.default_rng(3)
    x, y = stacked((20, 4, 10)), stacked((20, 4, 10))
    x[...], y[...] = rng.normal(size=x.shape), rng.normal(size=y.shape)
    out, expected = stacked((20, 4, 10)), np.empty((20, 4, 10))
    c_order = np.ascontiguousarray(y)  # the same values, another layout
    calls = flattened([
        (np.divide, (x, y, out)),
        (np.subtract, (1.0, out, out)),
        (np.multiply, (out, c_order, out)),
        (np.add.accumulate, (x, 1, None, x)),
    ])  # fmt: skip
    assert [a.ndim for a in calls[0][1]] == [1, 1, 1] and calls[1][1][0] == 1.0
    assert calls[2][1][1] is c_order and calls[3][1][0] is x
    before = x.copy()
    np.multiply(np.subtract(1.0, np.divide(before, y)), c_order, expected)
    run_calls(calls)
    assert out.tobytes() == expected.tobytes()
    assert x.tobytes() == np.add.accumulate(before, axis=1).tobytes()
