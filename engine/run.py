"""Run: one training session's configuration, data, network and history — the public API."""

from __future__ import annotations

from typing import Any

import numpy as np

from engine import divergence, grid, inspection, lesson_links, metrics, snapshot
from engine.activations import HIDDEN_ACTIVATIONS, OUTPUT_ACTIVATIONS
from engine.config import change_kind, normalize, parse_hash, resolve_output, to_hash
from engine.data import DataSplit, draw_thumbnails, stable_order, targets, user_points
from engine.edits import checked_index, checked_layers, checked_value
from engine.features import InputTransform, enabled_features
from engine.losses import LOSSES
from engine.network import Network, initial_parameters
from engine.rng import SeedRandom, to_fixed
from engine.training import Evaluator, Trainer

Array = np.ndarray
SPLIT_KEYS = {"percTrainData", "percValData"}
HISTORY_LIMIT = 2000  # loss points kept in `history`


class Run:
    """A network trained on a dataset, step by step, exactly like the reference playground.

    Every random choice (seed → data → shuffle → weights, later resets) comes from one
    SeedRandom stream, so a configuration with a seed reproduces the reference's run.
    """

    def __init__(self, config: dict[str, Any] | None = None) -> None:
        self.config = normalize(config)
        self.notices: list[str] = []
        self._rng = SeedRandom(self.config["seed"])
        self._data = DataSplit.generate(self.config, self._rng)
        self._build()

    @classmethod
    def from_hash(cls, text: str) -> Run:
        """The run the reference builds for a URL hash; `notices` lists what was skipped."""
        config, notices = parse_hash(text)
        run = cls(config)
        run.notices = notices + lesson_links.apply(run, text)
        return run

    def to_hash(self) -> str:
        return to_hash(self.config)

    # ----- building -------------------------------------------------------------------

    @staticmethod
    def layer_sizes_for(config: dict[str, Any]) -> list[int]:
        """[inputs, *hidden, outputs] of a normalized configuration."""
        n_outputs = config["numClasses"] if config["problem"] == "multiclass" else 1
        return [len(enabled_features(config)), *config["networkShape"], n_outputs]

    def _build(self, params: Array | None = None) -> None:
        """A new network (weights from the stream unless given): epoch 0, fresh history."""
        c = self.config
        self.output_activation, self.loss = resolve_output(c)
        self._transform = InputTransform.fit(c, self._data.pair("train")[0])
        sizes = self.layer_sizes_for(c)
        if params is None:
            params = initial_parameters(sizes, self._rng, c["initZero"])
        hidden, output = (
            HIDDEN_ACTIVATIONS[c["activation"]],
            OUTPUT_ACTIVATIONS[self.output_activation],
        )
        self._net = Network(sizes, hidden, output, params)
        self._initial = self._net.params.copy()
        self._prepare_training()
        self.epoch, self.diverged, self.warning = 0, None, None
        self.history: list[tuple[float, ...]] = [self._history_point()]
        self.history_stride = 1

    def _prepare_training(self, previous: Trainer | None = None) -> None:
        """Inputs and targets of every point, and a trainer on the training rows; with
        `previous`, its carried gradients and optimizer state continue (new data, same net)."""
        c, data = self.config, self._data
        self._inputs = self._transform.apply(data.points)
        self._targets = targets(data.labels, c["problem"], self.output_activation, c["numClasses"])
        rows = data.part("train")
        self._trainer = Trainer(
            self._net, LOSSES[self.loss], self._inputs[rows], self._targets[rows],
            c["batchSize"], c["optimizer"],
        )  # fmt: skip
        if previous is not None:
            self._trainer.adopt_state(previous)
        self._evaluator = Evaluator(self._net, LOSSES[self.loss], self._inputs, self._targets)
        self._changed()

    def _changed(self) -> None:
        """Forget cached outputs after parameters or data changed."""
        self._evaluated: tuple[Array, Array] | None = None
        self._figures: dict[str, Any] = {}  # losses, accuracy, gradient norms of this state
        grid_evaluator = getattr(self, "_grid", None)
        if (
            grid_evaluator is None
            or grid_evaluator.net is not self._net
            or (grid_evaluator.transform is not self._transform)
        ):
            self._grid = grid.GridEvaluator(self._net, self._transform)

    def configure(self, partial: dict[str, Any]) -> str:
        """Apply settings; returns "live", "rebuild" or "data". On ValueError nothing changes.

        A data change draws a new seed from the stream (like the reference) unless `partial`
        names a seed; user points survive a change of the split percentages only.
        """
        if not isinstance(partial, dict):
            raise ValueError(f"config: {partial!r} is not allowed; use an object of settings")
        new = normalize({**self.config, **partial})
        kind = change_kind(self.config, new)
        old, self.config = self.config, new
        if kind == "data":
            changed = {key for key in new if new[key] != old[key]}
            if self._data.user and changed <= SPLIT_KEYS:
                self._data = self._data.resplit(new)
            else:
                if "seed" not in partial:
                    new["seed"] = to_fixed(self._rng.random(), 5)
                self._rng = SeedRandom(new["seed"])
                self._data = DataSplit.generate(new, self._rng)
                if new["problem"] != old["problem"]:
                    draw_thumbnails(new["problem"], self._rng)
        if kind == "live":
            self._trainer.set_optimizer(new["optimizer"])
        else:
            self._build()
        return kind

    # ----- training -------------------------------------------------------------------

    def step(self, epochs: int = 1) -> None:
        """Train `epochs` epochs; a diverged run does not advance (and nothing raises)."""
        if not isinstance(epochs, int) or isinstance(epochs, bool) or epochs < 0:
            raise ValueError(f"epochs: {epochs!r} is not allowed; use an integer >= 0")
        c = self.config
        with np.errstate(all="ignore"):
            for _ in range(epochs):
                if self.diverged:
                    break
                self._trainer.train_epoch(
                    c["learningRate"], c["regularization"], c["regularizationRate"]
                )
                self._epoch_done()

    def step_batch(self) -> bool:
        """Train one batch and its update (the lecture's loop one update at a time); True
        when that finished an epoch. `batch_position` says where in the epoch it is."""
        c = self.config
        if self.diverged:
            return False
        with np.errstate(all="ignore"):
            done = self._trainer.train_batch(
                c["learningRate"], c["regularization"], c["regularizationRate"]
            )
            if done:
                self._epoch_done()
            else:
                self._changed()
        return done

    @property
    def batch_position(self) -> tuple[int, int]:
        """(batches of this epoch trained so far, updates per epoch)."""
        return self._trainer.position, self._trainer.n_updates

    def _epoch_done(self, evaluated: tuple[Array, Array] | None = None) -> None:
        """An epoch was trained (here or in a group, which passes the outputs and per-point
        losses it evaluated): count it, record its losses, check for divergence."""
        c = self.config
        self.epoch += 1
        self._changed()
        self._evaluated = evaluated
        losses = self.losses()
        self._record(losses)
        self.diverged = divergence.check(self._net, losses, self.epoch, c)
        if self.warning is None:  # said once per run; training goes on
            self.warning = divergence.stuck(self.history, self.epoch, c)

    def reset(self, same_weights: bool = False) -> None:
        """Epoch 0 with new weights from the stream, or this network's initial weights."""
        self._build(self._initial.copy() if same_weights else None)

    def regenerate(self) -> None:
        """New seed from the stream, new data; the network keeps its weights and epoch."""
        self.config = {**self.config, "seed": to_fixed(self._rng.random(), 5)}
        self._rng = SeedRandom(self.config["seed"])
        self._replace_data(DataSplit.generate(self.config, self._rng))

    def set_data(self, points: Any, labels: Any = None, shuffle_points: bool = True) -> None:
        """Use the user's points (rows [x, y, label], or points and labels) in a stable
        mixed order (unless `shuffle_points` is False: already in split order, train rows
        first), then split like generated data; the network keeps its weights."""
        array, label_array = user_points(points, labels, self.config)
        if shuffle_points:
            order = stable_order(array, label_array)
            array, label_array = array[order], label_array[order]
        self._replace_data(DataSplit(array, label_array, self.config, user=True))

    def _replace_data(self, data: DataSplit) -> None:
        self._data = data
        self._transform = InputTransform.fit(self.config, data.pair("train")[0])
        self._prepare_training(previous=self._trainer)

    # ----- figures --------------------------------------------------------------------

    def _evaluate(self) -> tuple[Array, Array]:
        """(outputs (n, K), per-point loss (n,)) of every point, cached until a change."""
        if self._evaluated is None:
            with np.errstate(all="ignore"):
                self._evaluated = self._evaluator()
        return self._evaluated

    def losses(self) -> dict[str, float]:
        """Mean loss per point (no regularization term): train, test and validation if any."""
        if "losses" not in self._figures:
            self._figures["losses"] = metrics.mean_losses(self._evaluate()[1], self._data)
        return dict(self._figures["losses"])

    def accuracy(self) -> dict[str, float] | None:
        """Share of correctly classified points per split; None for regression."""
        if "accuracy" not in self._figures:
            outputs = self._evaluate()[0]
            self._figures["accuracy"] = metrics.accuracies(
                outputs, self._data, self.config["problem"], self.output_activation
            )
        accuracy = self._figures["accuracy"]
        return None if accuracy is None else dict(accuracy)

    def _record(self, losses: dict[str, float]) -> None:
        """Keep every `history_stride`-th epoch; past HISTORY_LIMIT points the stride
        doubles and the points off it are dropped, so a long run stays small."""
        if self.epoch % self.history_stride:
            return
        self.history.append(self._history_point(losses))
        if len(self.history) > HISTORY_LIMIT:
            self.history_stride *= 2
            self.history = [p for p in self.history if p[0] % self.history_stride == 0]

    def _history_point(self, losses: dict[str, float] | None = None) -> tuple[float, ...]:
        losses = losses or self.losses()
        return (self.epoch, *(losses[name] for name in metrics.PARTS if name in losses))

    def gradient_norms(self) -> list[float]:
        """Per layer, the mean |∂L/∂w| of the last update (0 before any update)."""
        last = self._trainer.last_update
        if last is None:
            return [0.0] * len(self._net.views)
        if "gradient_norms" not in self._figures:
            views = self._net.parameter_views(np.abs(last.grad_sum))
            self._figures["gradient_norms"] = [
                float(np.add.reduce(view[:-1], axis=None)) / (view[:-1].size * last.count)
                if view[:-1].size
                else 0.0
                for view in views
            ]
        return list(self._figures["gradient_norms"])

    # ----- data and network as arrays -------------------------------------------------

    train_data = property(lambda self: self._data.pair("train"))
    validation_data = property(lambda self: self._data.pair("validation"))
    test_data = property(lambda self: self._data.pair("test"))
    input_names = property(lambda self: list(self._transform.names))
    layer_sizes = property(lambda self: list(self._net.layer_sizes))
    user_data = property(lambda self: self._data.user)  # drawn or imported, not generated
    dead_links = property(lambda self: self._net.dead_masks())

    @property
    def weights(self) -> list[Array]:
        """Per layer, W of shape (fan_in, fan_out) (copies; assign a list to change them)."""
        return self._net.weights

    @weights.setter
    def weights(self, values: list[Array]) -> None:
        arrays = checked_layers("weights", values, [v[:-1].shape for v in self._net.views])
        for view, array in zip(self._net.views, arrays, strict=True):
            view[:-1] = array
        self._net.revive(np.flatnonzero((self._net.alive == 0) & (self._net.params != 0)))
        self._changed()

    @property
    def biases(self) -> list[Array]:
        return self._net.biases

    @biases.setter
    def biases(self, values: list[Array]) -> None:
        arrays = checked_layers("biases", values, [v[-1].shape for v in self._net.views])
        for view, array in zip(self._net.views, arrays, strict=True):
            view[-1] = array
        self._changed()

    def set_weight(self, layer: int, source: int, target: int, value: float) -> None:
        """Edit one link (layer indexes `weights`; 0 starts at the inputs); revives it."""
        layer = checked_index("layer", layer, len(self._net.views))
        rows, cols = self._net.shapes[layer]
        index = self._net.flat_index(
            layer, checked_index("source", source, rows - 1), checked_index("target", target, cols)
        )
        self._net.params[index] = checked_value(value)
        self._net.revive(index)
        self._changed()

    def set_bias(self, layer: int, neuron: int, value: float) -> None:
        layer = checked_index("layer", layer, len(self._net.views))
        rows, cols = self._net.shapes[layer]
        index = self._net.flat_index(layer, rows - 1, checked_index("neuron", neuron, cols))
        self._net.params[index] = checked_value(value)
        self._changed()

    def predict(self, points: Any) -> Array:
        """The network's output for raw 2-D points (n, 2): (n,), or (n, K) for classes."""
        array = np.asarray(points, dtype=np.float64).reshape(-1, 2)
        with np.errstate(all="ignore"):
            out = self._net.predict(self._transform.apply(array))
        return out if self.config["problem"] == "multiclass" else out[:, 0]

    # ----- pictures, inspection, snapshots --------------------------------------------

    def evaluate_grid(self, resolution: int = 100) -> list[Array]:
        """Every neuron on the R×R grid: per layer (n_neurons, R, R), float32; layer 0 is
        the enabled inputs, row 0 is y = +6. Read-only arrays, reused by the next call."""
        return self._grid.evaluate(resolution)

    def neuron_map(self, layer: int, neuron: int, resolution: int = 100) -> Array:
        """One neuron (layer 0 = inputs, as in evaluate_grid) on the grid, float64 (R, R)."""
        return grid.neuron_map(self._net, self._transform, layer, neuron, resolution)

    def inspect(self, layer: int, source: int | None = None, target: int = 0,
                kind: str = "weight", point: Any = None) -> dict[str, Any]:  # fmt: skip
        """The chain rule for one weight or bias, for the last update's points or one point."""
        return inspection.inspect(self, layer, source, target, kind, point)

    def snapshot(self) -> dict[str, Any]:
        """The whole run as JSON-able data; Run.from_snapshot rebuilds it bit for bit."""
        return snapshot.dump(self)

    @classmethod
    def from_snapshot(cls, data: dict[str, Any]) -> Run:
        return snapshot.load(cls, data)
