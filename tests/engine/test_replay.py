"""A run's parameter history: kept epochs, the memory budget, scrubbing and exact forks."""

import tracemalloc

import numpy as np
import pytest

from engine import Run
from engine.group import train_together
from engine.replay import BUDGET_BYTES, DENSE_EPOCHS, Checkpoint, Replay

B = {"dataset": "spiral", "networkShape": [8] * 6, "batchSize": 10, "seed": "0.5",
     "x": True, "y": True, "xTimesY": True, "xSquared": True, "ySquared": True,
     "sinX": True, "sinY": True}  # fmt: skip


def same_run(a: Run, b: Run) -> None:
    """Bit for bit: parameters, losses, epoch and the optimizer's future."""
    assert a.epoch == b.epoch
    for wa, wb in zip(a.weights + a.biases, b.weights + b.biases, strict=True):
        assert wa.tobytes() == wb.tobytes()
    assert a.losses() == b.losses()


@pytest.mark.parametrize("optimizer", ["sgd", "momentum", "adam"])
def test_a_fork_continues_exactly_as_the_original_did(optimizer):
    original = Run({"seed": "fork", "optimizer": optimizer, "networkShape": [5, 3]})
    original.step(40)
    later = Run.from_snapshot(original.snapshot())  # the original's future, kept aside
    original.step(25)
    fork = original.fork(12)
    assert fork.epoch == 12 and [p[0] for p in fork.history][-1] == 12
    again = Run({"seed": "fork", "optimizer": optimizer, "networkShape": [5, 3]})
    again.step(12)
    same_run(fork, again)
    fork.step(28)
    same_run(fork, later)
    fork.step(25)
    same_run(fork, original)
    assert original.epoch == 65  # the fork left the original as it was


def test_a_fork_carries_leftover_points_and_l1_dead_links():
    config = {"seed": "carry", "batchSize": 7, "regularization": "L1",
              "regularizationRate": 0.03, "learningRate": 0.3}  # fmt: skip
    original = Run(config)
    original.step(30)
    kept = original.replay.at(20)
    assert kept.carry_count > 0 and kept.carry is not None
    original.step(10)
    fork = original.fork(20)
    fork.step(20)
    same_run(fork, original)
    assert any(mask.any() for mask in original.dead_links)
    assert [m.tolist() for m in fork.dead_links] == [m.tolist() for m in original.dead_links]


def test_a_fork_takes_the_learning_rate_in_effect_from_its_epoch():
    original = Run({"seed": "rate", "learningRate": 0.03})
    original.step(10)
    original.configure({"learningRate": 0.3})
    original.step(10)
    fork = original.fork(10)
    assert fork.config["learningRate"] == 0.3
    fork.step(10)
    same_run(fork, original)
    assert original.fork(5).config["learningRate"] == 0.03


def test_scrubbing_shows_the_weights_as_they_were_then():
    run = Run({"seed": "scrub"})
    first = run.weights
    run.step(30)
    assert run.fork(0).weights[0].tobytes() == first[0].tobytes()
    assert run.fork(0).losses() == Run({"seed": "scrub"}).losses()
    assert run.weights[0].tobytes() != first[0].tobytes()


def test_an_edit_is_kept_at_its_epoch():
    run = Run({"seed": "edit"})
    run.step(5)
    run.set_weight(0, 0, 0, 1.25)
    assert run.fork(5).weights[0][0, 0] == 1.25


def test_every_epoch_is_kept_early_and_a_missing_one_is_named():
    run = Run({"seed": "kept"})
    run.step(30)
    assert run.replay.epochs == list(range(31))
    with pytest.raises(ValueError, match="epoch: 31 is not a kept epoch; the nearest are 30"):
        run.fork(31)


def test_new_data_or_a_new_network_starts_a_new_history():
    run = Run({"seed": "stretch"})
    run.step(10)
    run.regenerate()
    assert run.replay.epochs == [10]
    run.step(3)
    run.configure({"networkShape": [3]})
    assert run.replay.epochs == [0]


def test_a_restored_snapshot_keeps_from_its_epoch_and_forks_exactly():
    run = Run({"seed": "restore", "optimizer": "adam"})
    run.step(7)
    restored = Run.from_snapshot(run.snapshot())
    assert restored.replay.epochs == [7]
    restored.step(5)
    run.step(5)
    fork = restored.fork(7)
    fork.step(5)
    same_run(fork, run)


def _checkpoint(epoch: int, n_params: int, slots: tuple[str, ...] = ("m", "v")) -> Checkpoint:
    state = {"t": epoch, **{slot: np.zeros(n_params) for slot in slots}}
    return Checkpoint(epoch, np.zeros(n_params), None, state, None, 0, (), {})


B_PARAMS = sum((i + 1) * o for i, o in zip([7] + [8] * 6, [8] * 6 + [1], strict=True))
A_PARAMS = 3 * 4 + 5 * 2 + 3 * 1


@pytest.mark.parametrize(
    ("n_params", "slots"), [(B_PARAMS, ("m", "v")), (A_PARAMS, ())], ids=["B adam", "A sgd"]
)
def test_history_stays_within_its_budget_over_100000_epochs(n_params, slots):
    """The largest kept epoch (B with Adam) and the smallest (A with SGD, where Python's own
    objects weigh most): counted bytes and the bytes the process really holds stay within
    the budget, and the kept epochs spread over the run."""
    history = Replay()
    tracemalloc.start()
    base = tracemalloc.get_traced_memory()[0]
    peak = 0
    for epoch in range(100_001):
        if history.wants(epoch):
            history.keep(_checkpoint(epoch, n_params, slots))
            peak = max(peak, history.nbytes)
    held = tracemalloc.get_traced_memory()[0] - base
    tracemalloc.stop()
    assert peak <= BUDGET_BYTES and held <= BUDGET_BYTES
    epochs = history.epochs
    assert epochs[0] == 0 and epochs[-1] > 100_000 - history.stride
    assert len(epochs) > BUDGET_BYTES // _checkpoint(0, n_params, slots).nbytes // 3
    assert history.nearest(50_000) - 50_000 <= history.stride


def test_a_small_budget_thins_the_dense_start_too():
    history = Replay(budget=10 * _checkpoint(0, 50).nbytes)
    for epoch in range(1000):
        if history.wants(epoch):
            history.keep(_checkpoint(epoch, 50))
    assert history.nbytes <= history.budget
    assert history.dense < DENSE_EPOCHS and history.epochs[0] == 0


def test_a_run_trained_in_a_group_keeps_the_epochs_it_keeps_alone():
    """Leftover points (batch 7) carry a gradient sum a group holds in its own arrays."""
    make = [Run({"seed": f"g{i}", "batchSize": 7, "learningRate": 0.1}) for i in range(2)]
    alone = [Run({"seed": f"g{i}", "batchSize": 7, "learningRate": 0.1}) for i in range(2)]
    train_together(make, [9, 9], {})
    for together, run in zip(make, alone, strict=True):
        run.step(9)
        assert together.replay.epochs == run.replay.epochs
        for epoch in run.replay.epochs:
            a, b = together.replay.at(epoch), run.replay.at(epoch)
            assert a.params.tobytes() == b.params.tobytes() and a.carry_count == b.carry_count
            assert (a.carry is None) == (b.carry is None)
            assert a.carry is None or a.carry.tobytes() == b.carry.tobytes()
