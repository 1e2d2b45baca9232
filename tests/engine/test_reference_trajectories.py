"""Training equals the real TensorFlow Playground's, number for number (not to a tolerance).

../shared/reference/vectors/tfplayground-training.jsonl holds 50 links run by the reference
for 300 epochs: first weights, every epoch's train and test loss, and the weights, biases
and dead links after epoch 300. Chaotic links among them turn a last-bit difference into a
different curve within a few hundred epochs, so only the reference's rounding stays on them.
"""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import pytest

from engine import Run

VECTORS = Path(__file__).parents[2].parent / "shared" / "reference" / "vectors"
TRAJECTORIES = VECTORS / "tfplayground-training.jsonl"
EPOCHS = 300


def _number(value) -> float:
    return float(value) if isinstance(value, str) else value  # "NaN", "Infinity"


def _lines() -> list[dict]:
    if not TRAJECTORIES.exists():  # a collection error, never a silent skip
        raise FileNotFoundError(f"missing reference vectors: {TRAJECTORIES}")
    return [json.loads(line) for line in TRAJECTORIES.read_text().splitlines() if line]


def _same(actual: float, expected) -> bool:
    expected = _number(expected)
    return actual == expected or (math.isnan(actual) and math.isnan(expected))


LINES = _lines()


@pytest.mark.parametrize("line", LINES, ids=[f"line{i + 1}" for i in range(len(LINES))])
def test_every_epoch_equals_the_reference(line):
    run = Run.from_hash(line["hash"])
    assert run.input_names == line["inputIds"]
    assert run.layer_sizes == line["shape"]
    assert len(run.train_data[0]) == line["nTrain"] and len(run.test_data[0]) == line["nTest"]
    for layer, expected in enumerate(line["weights0"]):  # [target][source] in the file
        assert np.array_equal(run.weights[layer], np.array(expected).T), f"layer {layer}"
    losses = run.losses()
    assert [losses["train"], losses["test"]] == line["loss0"]
    for epoch in range(1, EPOCHS + 1):
        run.step(1)
        train, test = (_number(v) for v in line["losses"][str(epoch)])
        if run.diverged and not (math.isfinite(train) and math.isfinite(test)):
            assert run.diverged["epoch"] == epoch  # stops, explained, where the reference
            return  # counts on in NaN (lines 17 and 18)
        assert run.diverged is None, f"epoch {epoch}: stopped although the reference trains on"
        losses = run.losses()
        assert _same(losses["train"], train) and _same(losses["test"], test), f"epoch {epoch}"
    for layer, (weights, biases) in enumerate(
        zip(line["weightsFinal"], line["biasesFinal"], strict=True)
    ):
        expected_w = np.array([[_number(v) for v in row] for row in weights]).T
        assert np.array_equal(run.weights[layer], expected_w, equal_nan=True), f"layer {layer}"
        expected_b = np.array([_number(v) for v in biases])
        assert np.array_equal(run.biases[layer], expected_b, equal_nan=True), f"layer {layer}"
    for layer, dead in enumerate(line["deadFinal"]):
        assert np.array_equal(run.dead_links[layer], np.array(dead, dtype=bool).T)
