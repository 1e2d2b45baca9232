"""Each dataset reaches a test loss the reference reaches, within a bounded number of epochs."""

from __future__ import annotations

import pytest

from engine import Run

ALL_FEATURES = {n: True for n in ("x", "y", "xSquared", "ySquared", "xTimesY", "sinX", "sinY")}


@pytest.mark.parametrize(
    ("config", "epochs", "test_loss"),
    [
        ({"dataset": "circle"}, 200, 0.05),  # the reference's defaults
        ({"dataset": "xor"}, 500, 0.05),
        ({"dataset": "gauss"}, 100, 0.01),
        ({"dataset": "spiral", "networkShape": [8, 8, 8, 8], **ALL_FEATURES}, 500, 0.05),
        ({"problem": "regression", "regDataset": "reg-plane"}, 200, 0.01),
    ],
    ids=["circle", "xor", "gauss", "spiral", "reg-plane"],
)
def test_dataset_is_learned(config, epochs, test_loss):
    run = Run({"seed": "0.1", **config})
    run.step(epochs)
    assert run.diverged is None
    assert run.losses()["test"] < test_loss


def test_several_classes_are_learned_with_softmax():
    run = Run({"seed": "0.1", "problem": "multiclass", "mcDataset": "blobs", "numClasses": 4})
    run.step(100)
    assert run.accuracy()["test"] > 0.95
