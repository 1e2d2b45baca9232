"""A session's replay (scrub to a kept epoch, continue from here, back to now) and its
hidden-layer view (docs/protocol.md, "Replay" and "Hidden-layer view").

`ReplayingSession` is mixed into Session: `viewing` holds the runs a scrub shows (None at
"now"), `layer_target` the hidden-layer view the page asked for.
"""

from __future__ import annotations

import base64

import numpy as np

import engine
from engine.layer_view import check_view, layer_view
from engine.race import Race
from server import protocol
from server.protocol import Command, ProtocolError

# Messages that keep a scrubbed view on screen; any other control returns to now first.
VIEW_KEEPERS = {
    protocol.ACK, protocol.SCRUB, protocol.CONTINUE_HERE, protocol.BACK_TO_NOW,
    protocol.HISTORY, protocol.FOCUS, protocol.VIEW_LAYER, protocol.EXPORT,
}  # fmt: skip


class ReplayingSession:
    viewing: list[engine.Run] | None = None
    layer_target: tuple[int, tuple[int, int]] | None = None

    # ----- replay ----------------------------------------------------------------------

    def _on_history(self, command: Command) -> None:
        self.outbox.append(history_message(self.shown_lanes(), self.trainee().epoch, command.seq))

    def shown_lanes(self) -> list[engine.Run]:
        return list(self.race.lanes) if self.race is not None else [self.run]

    def _on_scrub(self, command: Command) -> None:
        """Show every lane as it was at the kept epoch nearest `epoch`, paused."""
        requested = command.fields["epoch"]
        self.playing, self.steps_owed = False, 0
        self.viewing = [lane.fork(lane.replay.nearest(requested)) for lane in self.shown_lanes()]
        self._queue_replay(command.seq, requested)

    def _on_continue_here(self, command: Command) -> None:
        """The scrubbed epoch becomes now: every lane forks from it (its data, weights,
        optimizer state and random stream), and training goes on from there."""
        if self.viewing is None:
            raise ProtocolError(
                protocol.INVALID_VALUE, "type", "continue_here: scrub to a kept epoch first"
            )
        forks, self.viewing = self.viewing, None
        if self.race is None:
            self._run = forks[0]
        else:
            epoch = min(run.epoch for run in forks)
            winner = self.race.winner
            if winner is not None and winner["epoch"] > epoch:
                winner = None
            self.race = Race.restored(forks, self.race.target_loss, winner, self.race.seconds)
            self._select(self.lane)
        self._after_change("rebuild", command.seq)
        self._queue_replay(command.seq, forks[0].epoch)
        if self.race is not None:
            self._queue_race()

    def _on_back_to_now(self, command: Command) -> None:
        self.viewing = None
        self._queue_replay(command.seq, self.trainee().epoch)

    def _queue_replay(self, seq: int | None, requested: int) -> None:
        shown = self.shown_runs()
        self.outbox.append({
            "type": protocol.REPLAY, "viewing": self.viewing is not None,
            "epoch": shown[0].epoch, "requested": requested, "now": self.trainee().epoch,
            **({"seq": seq} if seq is not None else {}),
        })  # fmt: skip

    # ----- the hidden-layer view -------------------------------------------------------

    def _on_view_layer(self, command: Command) -> None:
        f = command.fields
        if f["layer"] is None:
            self.layer_target = None
            return
        try:
            self.layer_target = check_view(self.run.layer_sizes, f["layer"], f["neurons"])
        except ValueError as error:
            raise _invalid(str(error).split(":", 1)[0], error) from None

    def queue_layer_view(self, frame_id: int) -> None:
        """The view of the shown run's layer, with the frame it belongs to."""
        if self.layer_target is None:
            return
        run = self.shown_runs()[min(self.lane, len(self.shown_runs()) - 1)]
        layer, neurons = self.layer_target
        try:
            layer, neurons = check_view(run.layer_sizes, layer, neurons)
        except ValueError:
            self.layer_target = None  # the layer is gone (a rebuild): the page closes it
            return
        self.outbox.append(layer_view_message(layer_view(run, layer, neurons), frame_id))


def history_message(runs: list[engine.Run], now: int, seq: int | None) -> dict:
    message = {"type": protocol.HISTORY, "lanes": [run.replay.epochs for run in runs], "now": now}
    if seq is not None:
        message["seq"] = seq
    return message


def layer_view_message(view: dict, frame_id: int) -> dict:
    """Coordinates as uint16 over the view's bounds (base64): about 8 KB a frame."""
    x0, x1, y0, y1 = view["bounds"]

    def quantized(xy: np.ndarray) -> str:
        xy = np.nan_to_num(np.asarray(xy, dtype=np.float64).reshape(-1, 2), nan=0.0)
        unit = (xy - [x0, y0]) / [x1 - x0, y1 - y0]
        return base64.b64encode(np.rint(np.clip(unit, 0, 1) * 65535).astype("<u2")).decode()

    lines = view["lines"]
    return {
        "type": protocol.LAYER_VIEW, "frame": frame_id, "layer": view["layer"],
        "neurons": list(view["neurons"]), "bounds": list(view["bounds"]),
        "n_lines": lines.shape[0], "n_samples": lines.shape[1], "lines": quantized(lines),
        "points": quantized(view["points"]), "n_train": view["n_train"],
        "labels": np.round(view["labels"], 3).tolist(),
    }  # fmt: skip


def _invalid(field: str, error: ValueError) -> ProtocolError:
    return ProtocolError(protocol.INVALID_VALUE, field, str(error))
