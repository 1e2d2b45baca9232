"""One browser tab's training session: its run, pace, flow control and last good state.

A Session knows nothing of sockets: the websocket loop (server/ws.py) feeds it text with
`receive`, calls `tick` to train, asks `wants_frame` and `frame`, and sends `outbox`.
Exactly one task calls its methods.
"""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Callable

import engine
from engine.config import registries
from engine.csv_data import parse_csv
from engine.model_io import import_model
from server import __version__, protocol
from server.frames import FrameInfo, pack_frame
from server.pacing import EpochMeter, TokenBucket
from server.protocol import Command, ProtocolError
from server.settings import Settings
from server.views import (
    config_message,
    csv_report,
    dataset_previews,
    exported,
    inspection_message,
)

log = logging.getLogger("neural_playground.session")
MAX_EPOCHS_PER_CHUNK = 1000  # besides the time limit: a chunk always ends
_KEY_PREFIX = re.compile(r"^([A-Za-z_][\w.\[\]]*):")


class Session:
    def __init__(self, settings: Settings, clock: Callable[[], float] = time.monotonic) -> None:
        self.settings, self.clock = settings, clock
        self.run = engine.Run()
        self.playing = False
        self.epochs_per_frame: int | str = 1
        self.focus: tuple[int | None, int] = (None, 0)
        self.inspect_target: dict | None = None
        self.last_seq = 0
        self.frame_id = 0
        self._acked = 0  # the highest frame id acknowledged
        self.needs_frame = True
        self.outbox: list[dict] = []
        self._bucket = TokenBucket(settings.max_messages_per_second, settings.message_burst, clock)
        self._meter = EpochMeter(clock)
        self._owed = 0.0
        self._last_tick = self._next_frame_at = self._last_snapshot = clock()
        self._good = self.run.snapshot()

    # ----- messages in -----------------------------------------------------------------

    def hello(self) -> dict:
        s = self.settings
        return {
            "type": protocol.HELLO,
            "protocol": protocol.PROTOCOL_VERSION,
            "version": __version__,
            "registries": registries(),
            "previews": dataset_previews(),
            "defaults": dict(engine.config.DEFAULTS),
            "server": {
                "max_message_bytes": s.max_message_bytes,
                "max_messages_per_second": s.max_messages_per_second,
                "message_burst": s.message_burst,
                "max_frames_in_flight": s.max_frames_in_flight,
                "speeds": list(protocol.SPEEDS),
                "snapshot_interval_s": s.snapshot_interval_s,
            },
        }

    def start(self) -> None:
        """Queue what a new connection receives after hello: the run and its state."""
        self._after_change("rebuild", None, notices=[])
        self._queue_state()

    def receive(self, text: str | bytes) -> None:
        """Handle one raw message; any problem becomes an `error` in the outbox."""
        seq = None
        try:
            if len(text) > self.settings.max_message_bytes:
                raise ProtocolError(
                    protocol.TOO_LARGE,
                    None,
                    f"the message has {len(text)} bytes; the limit is "
                    f"{self.settings.max_message_bytes}",
                )
            message = protocol.decode(text)
            seq = message.get("seq") if isinstance(message.get("seq"), int) else None
            if message.get("type") != protocol.ACK and not self._bucket.take():
                raise ProtocolError(
                    protocol.RATE_LIMITED,
                    None,
                    f"too many messages: at most {self.settings.max_messages_per_second:g} a "
                    "second; this one was dropped",
                )
            self.apply(protocol.parse(message))
        except ProtocolError as exc:
            self.outbox.append(protocol.error_message(exc, seq))
        except ValueError as exc:
            self.outbox.append(protocol.error_message(_engine_error(exc), seq))
        except Exception:
            self._recover(seq)

    def _recover(self, seq: int | None = None) -> None:
        """A bug must not end the session: log it, restore the last good state, tell the page."""
        log.exception("internal error; restoring the last good state")
        self.run = engine.Run.from_snapshot(self._good)
        self.playing, self.needs_frame = False, True
        error = ProtocolError(protocol.INTERNAL, None, "internal error; the run was restored")
        self.outbox.append(protocol.error_message(error, seq))
        self._queue_state()

    def apply(self, command: Command) -> None:
        handler = getattr(self, "_on_" + command.type)
        handler(command)
        if command.seq is not None:
            self.last_seq = command.seq
        if command.type != protocol.ACK:
            self.needs_frame = True

    def _on_ack(self, command: Command) -> None:
        """An ack covers every frame up to its id (one message can return several credits)."""
        self._acked = max(self._acked, min(command.fields["frame"], self.frame_id))

    @property
    def in_flight(self) -> int:
        return self.frame_id - self._acked

    def _on_load_hash(self, command: Command) -> None:
        self.run = engine.Run.from_hash(command.fields["hash"])
        self._after_change("data", command.seq, self.run.notices)

    def _on_configure(self, command: Command) -> None:
        change = self.run.configure(command.fields["config"])
        self._after_change(change, command.seq)

    def _on_play(self, command: Command) -> None:
        if self.run.diverged:
            raise ProtocolError(
                protocol.INVALID_VALUE, "type", "the run has diverged; reset it before playing"
            )
        self.playing, self._owed, self._last_tick = True, 0.0, self.clock()
        self._meter.restart()
        self._queue_state()

    def _on_pause(self, command: Command) -> None:
        self.playing = False
        self._queue_state()
        self._queue_snapshot()

    def _on_step(self, command: Command) -> None:
        self.playing = False
        self.run.step(command.fields["epochs"])
        self._queue_state()
        self._queue_snapshot()

    def _on_reset(self, command: Command) -> None:
        self.playing = False
        self.run.reset(same_weights=command.fields["same_weights"])
        self._queue_state()
        self._after_change("rebuild", command.seq)

    def _on_regenerate(self, command: Command) -> None:
        self.run.regenerate()
        self._after_change("data", command.seq)

    def _on_speed(self, command: Command) -> None:
        self.epochs_per_frame = command.fields["epochs_per_frame"]
        self._owed = 0.0
        self._queue_state()

    def _on_set_weight(self, command: Command) -> None:
        f = command.fields
        self.run.set_weight(f["layer"], f["source"], f["target"], f["value"])
        self._queue_snapshot()

    def _on_set_bias(self, command: Command) -> None:
        f = command.fields
        self.run.set_bias(f["layer"], f["neuron"], f["value"])
        self._queue_snapshot()

    def _on_focus(self, command: Command) -> None:
        layer, neuron = command.fields["layer"], command.fields["neuron"]
        if layer is not None:
            sizes = self.run.layer_sizes
            if layer >= len(sizes) or neuron >= sizes[layer]:
                raise ProtocolError(
                    protocol.INVALID_VALUE,
                    "neuron",
                    f"layer {layer}, neuron {neuron} does not exist; layer sizes are {sizes}",
                )
        self.focus = (layer, neuron)

    def _on_inspect(self, command: Command) -> None:
        target = command.fields if command.fields["kind"] else None
        if target is not None:
            self.outbox.append(inspection_message(self.run, target))  # raises if out of range
        self.inspect_target = target

    def _on_restore(self, command: Command) -> None:
        self.run = engine.Run.from_snapshot(command.fields["snapshot"])
        self.playing = False
        self._queue_state()
        self._after_change("data", command.seq)

    def _on_set_data(self, command: Command) -> None:
        self.run.set_data(command.fields["points"])
        self._after_change("data", command.seq)

    def _on_import_csv(self, command: Command) -> None:
        f = command.fields
        problem = self.run.config["problem"]
        result = parse_csv(f["text"], problem, self.run.config["numClasses"], f["rescale"])
        # Never half-applied: rows with problems stop the import unless the user chose
        # to take the valid rows anyway, after seeing the report.
        apply = not result.rejected or f["apply_valid"]
        if apply:
            self.run.set_data(result.points, result.labels)
        self.outbox.append(csv_report(result, apply, command.seq))
        if apply:
            self._after_change("data", command.seq)

    def _on_import_model(self, command: Command) -> None:
        self.run = import_model(command.fields["model"])
        self.playing = False
        self._queue_state()
        self._after_change("data", command.seq)

    def _on_export(self, command: Command) -> None:
        f = command.fields
        self.outbox.append(exported(self.run, f["format"], f["include_weights"], command.seq))

    # ----- training and frames ---------------------------------------------------------

    def tick(self) -> int:
        """Train one chunk at the chosen pace; returns the epochs trained."""
        try:
            return self._train_chunk()
        except Exception:
            self._recover()
            return 0

    def _train_chunk(self) -> int:
        now = self.clock()
        elapsed, self._last_tick = now - self._last_tick, now
        if not self.playing:
            return 0
        chunk_end = now + self.settings.chunk_ms / 1000.0
        if self.epochs_per_frame == "max":
            owed = float("inf")
        else:
            rate = self.epochs_per_frame * protocol.FRAMES_PER_SECOND
            # Owe at most 0.1 s of epochs: a machine that cannot keep up trains flat out
            # instead of piling up debt.
            self._owed = min(self._owed + rate * elapsed, rate * 0.1 + 1.0)
            owed = self._owed
        trained = 0
        owed = min(owed, MAX_EPOCHS_PER_CHUNK)
        while trained + 1 <= owed + 1e-9 and not self.run.diverged:  # float sums of dt
            self.run.step(1)
            trained += 1
            if self.clock() >= chunk_end:
                break
        if self.epochs_per_frame != "max":
            self._owed -= trained
        self._meter.add(trained)
        if trained:
            self.needs_frame = True
        self._after_training(now)
        return trained

    def _after_training(self, now: float) -> None:
        if self.run.diverged:
            self.playing = False
            self._queue_state()
            self._queue_snapshot()
        elif now - self._last_snapshot >= self.settings.snapshot_interval_s:
            self._queue_snapshot()

    def wants_frame(self) -> bool:
        if not self.needs_frame or self.in_flight >= self.settings.max_frames_in_flight:
            return False
        return self.clock() >= self._next_frame_at

    def seconds_to_next_frame(self) -> float:
        return max(0.0, self._next_frame_at - self.clock())

    def idle_seconds(self) -> float | None:
        """How long the loop may sleep before an epoch or a frame is due (None: until a
        message arrives); 0 means work is due now."""
        waits = []
        if self.playing:
            if self.epochs_per_frame == "max":
                return 0.0
            rate = self.epochs_per_frame * protocol.FRAMES_PER_SECOND
            owed = self._owed + rate * (self.clock() - self._last_tick)
            waits.append(max(0.0, (1.0 - owed) / rate))
        if self.needs_frame and self.in_flight < self.settings.max_frames_in_flight:
            waits.append(self.seconds_to_next_frame())
        return min(waits) if waits else None

    def frame(self) -> bytes | None:
        """The next frame, or None (and an `internal` error queued) if it cannot be built."""
        try:
            return self._frame()
        except Exception:
            self._recover()
            return None

    def _frame(self) -> bytes:
        self.frame_id += 1
        self.needs_frame = False
        # A fixed cadence: timer latency does not add up, and an idle spell allows no burst.
        period = 1.0 / protocol.MAX_FRAMES_PER_SECOND
        now = self.clock()
        self._next_frame_at = max(self._next_frame_at + period, now - period / 2)
        info = FrameInfo(
            frame_id=self.frame_id,
            last_seq=self.last_seq,
            playing=self.playing,
            epochs_per_second=self._meter.rate() if self.playing else 0.0,
            focus_layer=self.focus[0],
            focus_neuron=self.focus[1],
        )
        return pack_frame(self.run, info)

    def take_outbox(self) -> list[dict]:
        messages, self.outbox = self.outbox, []
        return messages

    # ----- replies ---------------------------------------------------------------------

    def _after_change(self, change: str, seq: int | None, notices: list[str] | None = None) -> None:
        if self.focus[0] is not None and self.focus[0] >= len(self.run.layer_sizes):
            self.focus = (None, 0)
        self.outbox.append(config_message(self.run, change, seq, notices or []))
        self._queue_snapshot()

    def _queue_state(self) -> None:
        self.outbox.append(
            {
                "type": protocol.STATE,
                "playing": self.playing,
                "epochs_per_frame": self.epochs_per_frame,
                "diverged": self.run.diverged,
            }
        )

    def _queue_snapshot(self) -> None:
        """Send a restorable snapshot, refresh the inspector, and remember the good state."""
        self._good = self.run.snapshot()
        self._last_snapshot = self.clock()
        self.outbox = [m for m in self.outbox if m["type"] != protocol.SNAPSHOT]
        self.outbox.append({"type": protocol.SNAPSHOT, "snapshot": self._good})
        if self.inspect_target is not None:
            try:
                self.outbox.append(inspection_message(self.run, self.inspect_target))
            except ValueError:  # the inspected weight no longer exists after a rebuild
                self.inspect_target = None


def _engine_error(exc: ValueError) -> ProtocolError:
    """The engine's ValueErrors start with the key they refuse ("learningRate: ...")."""
    text = str(exc) or "invalid value"
    match = _KEY_PREFIX.match(text)
    return ProtocolError(protocol.INVALID_VALUE, match.group(1) if match else None, text)
