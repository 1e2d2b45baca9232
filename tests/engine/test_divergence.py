"""A run whose numbers leave the finite range stops and says why, in a student's words."""

from __future__ import annotations

import math
import warnings

import numpy as np
import pytest

from engine import Run


def _diverging(**overrides) -> Run:
    return Run({"seed": "0.5", "problem": "regression", **overrides})


def test_learning_rate_10_is_detected_and_explained():
    run = _diverging(learningRate=10)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no overflow warnings escape either
        run.step(50)
    assert run.diverged is not None
    assert run.diverged["epoch"] == run.epoch < 50
    assert "learning rate 10 is too high" in run.diverged["message"]
    assert f"epoch {run.epoch}" in run.diverged["message"]
    assert run.diverged["quantity"]


def test_a_diverged_run_does_not_advance():
    run = _diverging(learningRate=10)
    run.step(50)
    epoch, history = run.epoch, list(run.history)
    run.step(5)
    assert run.epoch == epoch and run.history == history


def test_an_unscaled_feature_is_named_as_the_cause():
    run = _diverging(activation="linear", xScale=1000)
    run.step(20)
    assert run.diverged is not None
    assert "multiplied by 1000" in run.diverged["message"]
    assert "Standardize" in run.diverged["message"]


def test_standardizing_the_same_features_trains_fine():
    run = _diverging(activation="linear", xScale=1000, standardize=True)
    run.step(50)
    assert run.diverged is None and run.losses()["test"] < 0.01


def test_reset_clears_the_divergence():
    run = _diverging(learningRate=10)
    run.step(50)
    run.configure({"learningRate": 0.03})
    run.reset()
    assert run.diverged is None and run.epoch == 0
    assert all(math.isfinite(v) for v in run.losses().values())
    assert all(np.isfinite(w).all() for w in run.weights)


@pytest.mark.parametrize("config", [{}, {"networkShape": [8, 8, 8]}, {"activation": "sigmoid"}])
def test_a_classifier_frozen_in_saturation_is_warned_about_and_trains_on(config):
    # tanh outputs never overflow: the overshoot saturates the neurons and the loss freezes;
    # the reference trains on, so the run does too, with the explanation beside it
    run = Run({"seed": "0.5", "learningRate": 10, **config})
    run.step(100)
    assert run.diverged is None and run.epoch == 100
    assert run.warning is not None and run.warning["epoch"] < 40
    assert "stopped moving" in run.warning["message"]
    assert "learning rate 10 is too high" in run.warning["message"]


@pytest.mark.parametrize("config", [{"learningRate": 3}, {"activation": "step"}])
def test_a_noisy_or_idle_classifier_is_not_called_diverged(config):
    run = Run({"seed": "0.5", **config})
    run.step(300)
    assert run.diverged is None and run.warning is None


def test_a_converged_run_without_hidden_layers_trains_on():
    # settles at loss 0.307: it converged, the reference trains on, nothing is wrong
    run = Run.from_hash(
        "#activation=sigmoid&batchSize=4&learningRate=0.1&networkShape=&seed=0.7"
        "&percTrainData=30&x=true&y=false&problem=regression&regDataset=reg-plane"
    )
    run.step(100)
    assert run.diverged is None and run.epoch == 100
    assert run.losses()["train"] < 0.35
