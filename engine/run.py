"""Run: one training session's configuration, data, network and history — the public API."""

from __future__ import annotations

from typing import Any

import numpy as np

from engine import divergence, grid, inspection, lesson_links, metrics, replay, snapshot
from engine.config import change_kind, normalize, parse_hash, to_hash
from engine.data import DataSplit, draw_thumbnails, stable_order, user_points
from engine.edits import checked_index, checked_layers, checked_value
from engine.rng import SeedRandom, to_fixed
from engine.run_state import RunState, layer_sizes_for

Array = np.ndarray
SPLIT_KEYS = {"percTrainData", "percValData"}
HISTORY_LIMIT = 2000  # loss points kept in `history`


class Run:
    """A network trained on a dataset, step by step, exactly like the reference playground.

    Every random choice (seed → data → shuffle → weights, later resets) comes from one
    SeedRandom stream, so a configuration with a seed reproduces the reference's run.
    """

    def __init__(self, config: dict[str, Any] | None = None, state: RunState | None = None) -> None:
        """A new run of `config`: data and weights from its seed's stream, or the working
        parts `state` holds (a snapshot's), at epoch 0 with a fresh loss history."""
        self.config = normalize(config)
        self.notices: list[str] = []
        if state is None:
            rng = SeedRandom(self.config["seed"])
            state = RunState(self.config, rng, DataSplit.generate(self.config, rng))
        self.state = state
        self._start()

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

    layer_sizes_for = staticmethod(layer_sizes_for)
    output_activation = property(lambda self: self.state.output_activation)  # "auto" resolved
    loss = property(lambda self: self.state.loss)

    def _start(self) -> None:
        self.warning = None
        self.start_at(0)

    def start_at(self, epoch: int) -> None:
        """Count from `epoch` with a fresh loss history (this state's losses), not diverged."""
        self.epoch, self.diverged = epoch, None
        self.history: list[tuple[float, ...]] = [self._history_point()]
        self.history_stride = 1
        self.restart_replay()

    def restart_replay(self) -> None:
        """Start the parameter history afresh at this epoch (new network, data or start)."""
        budget = getattr(self, "replay", None)
        self.replay = replay.Replay(budget.budget if budget else replay.BUDGET_BYTES)
        self.replay.restart(self._checkpoint(), self.state.rng.get_state())

    def _checkpoint(self) -> replay.Checkpoint:
        """What decides this run's future at the end of this epoch (copies)."""
        trainer, net = self.state.trainer, self.state.net
        optimizer = {
            k: v.copy() if isinstance(v, np.ndarray) else v
            for k, v in trainer.optimizer.state().items()
        }  # fmt: skip
        carry = trainer.carry.copy() if trainer.carry_count else None
        return replay.Checkpoint(
            self.epoch, net.params.copy(), net.alive.copy() if net.any_dead else None,
            optimizer, carry, trainer.carry_count, tuple(trainer.carry_rows), self.config,
        )  # fmt: skip

    def _keep_now(self) -> None:
        """This epoch changed in place (an edit, a live setting): keep it as it is now."""
        if self.state.trainer.position == 0:
            self.replay.keep(self._checkpoint())

    def _build(self, params: Array | None = None) -> None:
        """A new network (weights from the stream unless given): epoch 0, fresh history."""
        self.state.build(self.config, params)
        self._start()

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
            if self.state.data.user and changed <= SPLIT_KEYS:
                self.state.data = self.state.data.resplit(new)
            else:
                if "seed" not in partial:
                    new["seed"] = to_fixed(self.state.rng.random(), 5)
                self.state.rng = SeedRandom(new["seed"])
                self.state.data = DataSplit.generate(new, self.state.rng)
                if new["problem"] != old["problem"]:
                    draw_thumbnails(new["problem"], self.state.rng)
        if kind == "live":
            self.state.trainer.set_optimizer(new["optimizer"])
            self._keep_now()
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
                self.state.trainer.train_epoch(
                    c["learningRate"], c["regularization"], c["regularizationRate"]
                )
                self.finish_epoch()

    def step_batch(self) -> bool:
        """Train one batch and its update (the lecture's loop one update at a time); True
        when that finished an epoch. `batch_position` says where in the epoch it is."""
        c = self.config
        if self.diverged:
            return False
        with np.errstate(all="ignore"):
            done = self.state.trainer.train_batch(
                c["learningRate"], c["regularization"], c["regularizationRate"]
            )
            if done:
                self.finish_epoch()
            else:
                self.state.changed()
        return done

    @property
    def batch_position(self) -> tuple[int, int]:
        """(batches of this epoch trained so far, updates per epoch)."""
        return self.state.trainer.position, self.state.trainer.n_updates

    def finish_epoch(
        self,
        evaluated: tuple[Array, Array] | None = None,
        figures: dict[str, Any] | None = None,
        finite: bool | None = None,
    ) -> None:
        """An epoch was trained (here, or in a group, which passes the outputs and per-point
        losses it evaluated, the figures it computed from them for all its runs at once and
        whether every parameter is finite): count it, record its losses, check for
        divergence."""
        c = self.config
        self.epoch += 1
        self.state.changed()
        self.state.evaluated = evaluated
        if figures is not None:
            self.state.figures.update(figures)
        losses = self.losses()
        self._record(losses)
        self.diverged = divergence.check(self.state.net, losses, self.epoch, c, finite)
        if self.replay.wants(self.epoch) and self.state.trainer.position == 0:
            self.replay.keep(self._checkpoint())
        if self.warning is None:  # said once per run; training goes on
            self.warning = divergence.stuck(self.history, self.epoch, c)

    def start_from(self, params: Array) -> None:
        """Epoch 0 with these first weights (flat, the network's layout): a race's lanes
        of one shape start from one lane's."""
        self._build(checked_layers("params", [params], [(self.state.net.n_params,)])[0].copy())

    def reset(self, same_weights: bool = False) -> None:
        """Epoch 0 with new weights from the stream, or this network's initial weights."""
        self._build(self.state.initial.copy() if same_weights else None)

    def regenerate(self) -> None:
        """New seed from the stream, new data; the network keeps its weights and epoch."""
        self.config = {**self.config, "seed": to_fixed(self.state.rng.random(), 5)}
        self.state.rng = SeedRandom(self.config["seed"])
        self.state.replace_data(self.config, DataSplit.generate(self.config, self.state.rng))
        self.restart_replay()

    def set_data(self, points: Any, labels: Any = None, shuffle_points: bool = True) -> None:
        """Use the user's points (rows [x, y, label], or points and labels) in a stable
        mixed order (unless `shuffle_points` is False: already in split order, train rows
        first), then split like generated data; the network keeps its weights."""
        array, label_array = user_points(points, labels, self.config)
        if shuffle_points:
            order = stable_order(array, label_array)
            array, label_array = array[order], label_array[order]
        self.state.replace_data(self.config, DataSplit(array, label_array, self.config, user=True))
        self.restart_replay()

    # ----- figures --------------------------------------------------------------------

    def losses(self) -> dict[str, float]:
        """Mean loss per point (no regularization term): train, test and validation if any."""
        if "losses" not in self.state.figures:
            point_losses = self.state.evaluate()[1]
            self.state.figures["losses"] = metrics.mean_losses(point_losses, self.state.data)
        return dict(self.state.figures["losses"])

    def accuracy(self) -> dict[str, float] | None:
        """Share of correctly classified points per split; None for regression."""
        if "accuracy" not in self.state.figures:
            outputs = self.state.evaluate()[0]
            self.state.figures["accuracy"] = metrics.accuracies(
                outputs, self.state.data, self.config["problem"], self.output_activation
            )
        accuracy = self.state.figures["accuracy"]
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
        state = self.state
        last = state.trainer.last_update
        if last is None:
            return [0.0] * len(state.net.views)
        if "gradient_norms" not in state.figures:
            views = state.net.parameter_views(np.abs(last.grad_sum))
            state.figures["gradient_norms"] = [
                float(np.add.reduce(view[:-1], axis=None)) / (view[:-1].size * last.count)
                if view[:-1].size
                else 0.0
                for view in views
            ]
        return list(state.figures["gradient_norms"])

    # ----- data and network as arrays -------------------------------------------------

    train_data = property(lambda self: self.state.data.pair("train"))
    validation_data = property(lambda self: self.state.data.pair("validation"))
    test_data = property(lambda self: self.state.data.pair("test"))
    input_names = property(lambda self: list(self.state.transform.names))
    layer_sizes = property(lambda self: list(self.state.net.layer_sizes))
    user_data = property(lambda self: self.state.data.user)  # drawn or imported, not generated
    dead_links = property(lambda self: self.state.net.dead_masks())
    initial_params = property(lambda self: self.state.initial.copy())  # of same-weights resets

    @property
    def points(self) -> tuple[Array, Array]:
        """Every point (n, 2) and label (n,), in split order (train, validation, test)."""
        return self.state.data.points.copy(), self.state.data.labels.copy()

    def layer_outputs(self, points: Any) -> list[Array]:
        """For raw 2-D points (n, 2): the network's inputs, then each layer's outputs h,
        each (n, neurons) float64, rounded as training rounds them."""
        array = np.asarray(points, dtype=np.float64).reshape(-1, 2)
        with np.errstate(all="ignore"):
            inputs = self.state.transform.apply(array)
            return [inputs, *(h for _, h in self.state.net.forward(inputs))]

    @property
    def weights(self) -> list[Array]:
        """Per layer, W of shape (fan_in, fan_out) (copies; assign a list to change them)."""
        return self.state.net.weights

    @weights.setter
    def weights(self, values: list[Array]) -> None:
        net = self.state.net
        arrays = checked_layers("weights", values, [v[:-1].shape for v in net.views])
        for view, array in zip(net.views, arrays, strict=True):
            view[:-1] = array
        net.revive(np.flatnonzero((net.alive == 0) & (net.params != 0)))
        self.state.changed()
        self._keep_now()

    @property
    def biases(self) -> list[Array]:
        return self.state.net.biases

    @biases.setter
    def biases(self, values: list[Array]) -> None:
        net = self.state.net
        arrays = checked_layers("biases", values, [v[-1].shape for v in net.views])
        for view, array in zip(net.views, arrays, strict=True):
            view[-1] = array
        self.state.changed()
        self._keep_now()

    def set_weight(self, layer: int, source: int, target: int, value: float) -> None:
        """Edit one link (layer indexes `weights`; 0 starts at the inputs); revives it."""
        net = self.state.net
        layer = checked_index("layer", layer, len(net.views))
        rows, cols = net.shapes[layer]
        index = net.flat_index(
            layer, checked_index("source", source, rows - 1), checked_index("target", target, cols)
        )
        net.params[index] = checked_value(value)
        net.revive(index)
        self.state.changed()
        self._keep_now()

    def set_bias(self, layer: int, neuron: int, value: float) -> None:
        net = self.state.net
        layer = checked_index("layer", layer, len(net.views))
        rows, cols = net.shapes[layer]
        index = net.flat_index(layer, rows - 1, checked_index("neuron", neuron, cols))
        net.params[index] = checked_value(value)
        self.state.changed()
        self._keep_now()

    def predict(self, points: Any) -> Array:
        """The network's output for raw 2-D points (n, 2): (n,), or (n, K) for classes."""
        array = np.asarray(points, dtype=np.float64).reshape(-1, 2)
        with np.errstate(all="ignore"):
            out = self.state.net.predict(self.state.transform.apply(array))
        return out if self.config["problem"] == "multiclass" else out[:, 0]

    # ----- pictures, inspection, snapshots --------------------------------------------

    def evaluate_grid(self, resolution: int = 100) -> list[Array]:
        """Every neuron on the R×R grid: per layer (n_neurons, R, R), float32; layer 0 is
        the enabled inputs, row 0 is y = +6. Read-only arrays, reused by the next call."""
        return self.state.grid.evaluate(resolution)

    def neuron_map(self, layer: int, neuron: int, resolution: int = 100) -> Array:
        """One neuron (layer 0 = inputs, as in evaluate_grid) on the grid, float64 (R, R)."""
        return grid.neuron_map(self.state.net, self.state.transform, layer, neuron, resolution)

    def inspect(self, layer: int, source: int | None = None, target: int = 0,
                kind: str = "weight", point: Any = None) -> dict[str, Any]:  # fmt: skip
        """The chain rule for one weight or bias, for the last update's points or one point."""
        return inspection.inspect(self, layer, source, target, kind, point)

    def fork(self, epoch: int) -> Run:
        """A new run from kept epoch `epoch` (replay.epochs): it continues bit for bit as
        this run did from there; this run is unchanged."""
        return replay.fork(self, epoch)

    def snapshot(self) -> dict[str, Any]:
        """The whole run as JSON-able data; Run.from_snapshot rebuilds it bit for bit."""
        return snapshot.dump(self)

    @classmethod
    def from_snapshot(cls, data: dict[str, Any]) -> Run:
        return snapshot.load(cls, data)
