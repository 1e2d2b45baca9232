"""RunState: a run's working parts (stream, data, transform, network, trainer) in one object."""

from __future__ import annotations

from typing import Any

import numpy as np

from engine import grid
from engine.activations import HIDDEN_ACTIVATIONS, OUTPUT_ACTIVATIONS
from engine.config import resolve_output
from engine.data import DataSplit, targets
from engine.features import InputTransform, enabled_features
from engine.losses import LOSSES
from engine.network import Network, initial_parameters
from engine.rng import SeedRandom
from engine.training import Evaluator, Trainer

Array = np.ndarray


def layer_sizes_for(config: dict[str, Any]) -> list[int]:
    """[inputs, *hidden, outputs] of a normalized configuration."""
    n_outputs = config["numClasses"] if config["problem"] == "multiclass" else 1
    return [len(enabled_features(config)), *config["networkShape"], n_outputs]


class RunState:
    """Everything a Run holds besides its configuration, epoch and loss history.

    `rng` (the run's one random stream), `data` (the points and their split), `transform`
    (features, scales, standardization), `net` (parameters and dead links), `initial` (the
    first parameters, what a "same weights" reset returns to), `trainer` (carried
    gradients, optimizer state, the last update), `evaluator` with `inputs` and `targets`
    of every point, and the caches of what this state evaluates to (`evaluated`,
    `figures`, `grid`). Snapshots, model files, lesson links, the inspector and groups of
    runs read and write a run through `run.state`; after changing parameters or data in
    place, call `changed()` (it counts `version`).
    """

    def __init__(self, config: dict[str, Any], rng: SeedRandom, data: DataSplit,
                 params: Array | None = None) -> None:  # fmt: skip
        self.rng, self.data = rng, data
        self.grid: grid.GridEvaluator | None = None
        self.version = 0  # counts changes: what was computed of this state is valid while equal
        self.build(config, params)

    def build(self, config: dict[str, Any], params: Array | None = None) -> None:
        """A new network on this data: weights from the stream unless `params` (flat) given."""
        self.output_activation, self.loss = resolve_output(config)
        self.transform = InputTransform.fit(config, self.data.pair("train")[0])
        sizes = layer_sizes_for(config)
        if params is None:
            params = initial_parameters(sizes, self.rng, config["initZero"])
        hidden = HIDDEN_ACTIVATIONS[config["activation"]]
        output = OUTPUT_ACTIVATIONS[self.output_activation]
        self.net = Network(sizes, hidden, output, params)
        self.initial = self.net.params.copy()
        self.prepare_training(config)

    def prepare_training(self, config: dict[str, Any], previous: Trainer | None = None) -> None:
        """Inputs and targets of every point, and a trainer on the training rows; with
        `previous`, its carried gradients and optimizer state continue (new data, same net)."""
        data = self.data
        self.inputs = self.transform.apply(data.points)
        self.targets = targets(
            data.labels, config["problem"], self.output_activation, config["numClasses"]
        )
        rows = data.part("train")
        self.trainer = Trainer(
            self.net, LOSSES[self.loss], self.inputs[rows], self.targets[rows],
            config["batchSize"], config["optimizer"],
        )  # fmt: skip
        if previous is not None:
            self.trainer.adopt_state(previous)
        self.evaluator = Evaluator(self.net, LOSSES[self.loss], self.inputs, self.targets)
        self.changed()

    def replace_data(self, config: dict[str, Any], data: DataSplit) -> None:
        """New points (the network, its carried gradients and optimizer state stay)."""
        self.data = data
        self.transform = InputTransform.fit(config, data.pair("train")[0])
        self.prepare_training(config, previous=self.trainer)

    def use_transform(self, config: dict[str, Any], transform: InputTransform) -> None:
        """Feed the network through `transform` (a model file's exact standardization)."""
        self.transform = transform
        self.prepare_training(config)

    def changed(self) -> None:
        """Forget cached outputs after parameters or data changed."""
        self.version += 1
        self.evaluated: tuple[Array, Array] | None = None
        self.figures: dict[str, Any] = {}  # losses, accuracy, gradient norms of this state
        evaluator = self.grid
        if (
            evaluator is None
            or evaluator.net is not self.net
            or evaluator.transform is not (self.transform)
        ):
            self.grid = grid.GridEvaluator(self.net, self.transform)

    def evaluate(self) -> tuple[Array, Array]:
        """(outputs (n, K), per-point loss (n,)) of every point, cached until a change."""
        if self.evaluated is None:
            with np.errstate(all="ignore"):
                self.evaluated = self.evaluator()
        return self.evaluated
