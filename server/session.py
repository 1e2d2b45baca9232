"""One browser tab's training session: its run, pace, flow control and last good state.

A Session knows nothing of sockets: the websocket loop (server/ws.py) feeds it text with
`receive`, calls `tick` to train, asks `wants_frame` and `frame`, and sends `outbox`.
Exactly one task calls its methods.
"""

from __future__ import annotations

import json
import logging
import re
import time
from collections.abc import Callable

import engine
from engine.csv_data import parse_csv
from engine.model_io import import_model
from server import messages, protocol
from server.frames import FrameInfo
from server.pacing import Cadence, Pacer, TokenBucket, cost_clock
from server.protocol import Command, ProtocolError
from server.racing import RacingSession, race_info
from server.replaying import VIEW_KEEPERS
from server.settings import Settings
from server.views import (
    config_message,
    csv_report,
    exported,
    hello_message,
    inspection_message,
)

log = logging.getLogger("neural_playground.session")
_KEY_PREFIX = re.compile(r"^([A-Za-z_][\w.\[\]]*):")


class Session(RacingSession):
    def __init__(
        self,
        settings: Settings,
        clock: Callable[[], float] = time.monotonic,
        cadence: Cadence | None = None,
    ) -> None:
        self.settings, self.clock = settings, clock
        self._run: engine.Run | None = None  # built when first needed: see `run`, `start`
        self._good: dict | None = None
        self._warned: dict | None = None  # the run's warning last sent to the page
        self.focus: tuple[int | None, int] = (None, 0)
        self.inspect_target: dict | None = None
        self.last_seq = 0
        self.frame_id = 0
        self._acked = 0  # the highest frame id acknowledged
        self.steps_owed = 0  # epochs of `step` messages still to train (metered like play)
        self.epoch_s: float | None = None  # what a whole epoch of this run took (a step's)
        self.needs_frame = True
        self._unseen = False  # the command being applied changed nothing a frame shows
        self.outbox: list[dict] = []
        self._bucket = TokenBucket(settings.max_messages_per_second, settings.message_burst, clock)
        self.pace = Pacer(clock, settings.chunk_ms, cadence)
        self._last_snapshot = clock()
        self.started = False  # `start` has queued the opening messages
        self.pool = None  # server.grouping.TrainingPool: sessions of one shape train together
        self.lock = None  # the asyncio.Lock its tasks hold while they use it (server/ws.py)
        self.member = None  # server.classroom.member.Member while the student is in a class
        self.class_request: Command | None = None  # join/leave, answered by server/ws.py
        self.frozen = False  # the teacher froze the class: nothing may change the run
        self.last_action = clock()  # the last message other than an ack (idle students)

    @property
    def playing(self) -> bool:
        return self.pace.playing

    @playing.setter
    def playing(self, playing: bool) -> None:
        self.pace.playing = playing

    @property
    def run(self) -> engine.Run:
        """The session's run. The default one is built only when something needs it: a
        page opens with its own link or snapshot, which replaces it (`start`)."""
        if self._run is None:
            self._run = engine.Run()
            self._good = self._run.snapshot()
        return self._run

    @run.setter
    def run(self, run: engine.Run) -> None:
        self._run = run

    @property
    def epoch(self) -> int:
        return self.trainee().epoch if self._run is not None else 0

    # ----- messages in -----------------------------------------------------------------

    def hello(self) -> dict:
        return hello_message(self.settings)

    def start(self, opening: str | bytes | None = None) -> None:
        """Queue what a new connection receives after hello: its run and its state.

        `opening` is the client's first message when it came right after hello. A page opens
        with `load_hash` (its link) or `restore` (its snapshot); that run is then the first
        one built and sent, instead of a default run the page would throw away.
        """
        self.started = True
        opens = opening is not None and _opens_a_run(opening, self.settings.max_message_bytes)
        if opens:
            self.receive(opening)
            if self._run is not None:
                self._queue_state()
                return
        self._after_change("rebuild", None, notices=[])
        self._queue_state()
        if opening is not None and not opens:
            self.receive(opening)

    def receive(self, text: str | bytes) -> None:
        """Handle one raw message; any problem becomes an `error` in the outbox. The first
        message of a session that has not started opens it (`start`)."""
        if not self.started:
            self.start(text)
            return
        seq = None
        try:
            messages.check_size(text, self.settings.max_message_bytes)
            # What a message may cost the worker grows with its size (a 5000-row CSV takes
            # far longer to read than a click): a large one takes a token per
            # message_cost_bytes, and is refused before it is even parsed.
            tokens = int(min(self._bucket.burst, 1 + len(text) // self.settings.message_cost_bytes))
            if tokens > 1 and not self._bucket.take(tokens):
                raise self._rate_limited(tokens)
            message = messages.decode(text)
            seq = message.get("seq") if isinstance(message.get("seq"), int) else None
            if tokens == 1 and message.get("type") != protocol.ACK and not self._bucket.take():
                raise self._rate_limited(tokens)
            self.apply(messages.parse(message))
        except ProtocolError as exc:
            self.outbox.append(protocol.error_message(exc, seq))
        except ValueError as exc:
            self.outbox.append(protocol.error_message(_engine_error(exc), seq))
        except Exception:
            self._recover(seq)

    def _rate_limited(self, tokens: int) -> ProtocolError:
        rate, size = self.settings.max_messages_per_second, self.settings.message_cost_bytes
        large = f" (a large message counts as one per {size} bytes: this one as {tokens})"
        return ProtocolError(
            protocol.RATE_LIMITED,
            None,
            f"too many messages: at most {rate:g} a second{large if tokens > 1 else ''}; "
            "this one was dropped",
        )

    def _recover(self, seq: int | None = None) -> None:
        """A bug must not end the session: log it, restore the last good state, tell the page."""
        log.exception("internal error; restoring the last good state")
        self.viewing = None
        try:
            self.restore_snapshot(self._good)
        except Exception:  # no good state yet, or it is what fails: a new run
            self.race, self.lane, self.run = None, 0, engine.Run()
        self.playing, self.needs_frame, self.steps_owed = False, True, 0
        error = ProtocolError(protocol.INTERNAL, None, "internal error; the run was restored")
        self.outbox.append(protocol.error_message(error, seq))
        self._queue_state()

    def apply(self, command: Command) -> None:
        if self.frozen and command.type not in protocol.FROZEN_ALLOWED:
            raise ProtocolError(
                protocol.FROZEN,
                "type",
                f"type: {command.type} waits: the teacher has paused the class (eyes on "
                "the projector)",
            )
        if command.type != protocol.ACK:
            self.last_action = self.clock()
            self.finish_round()  # what the command reads or changes: every lane at one epoch
        self._unseen = False
        handler = getattr(self, "_on_" + command.type)
        if self.viewing is not None and command.type not in VIEW_KEEPERS:
            self.leave_view()  # a scrubbed view is paused: anything else returns to now
        handler(command)
        if command.seq is not None:
            self.last_seq = command.seq
        if command.type == protocol.ACK:
            return
        if self._unseen and not self.needs_frame and not self.playing:
            # Paused, nothing a frame shows changed and the last frame was sent: a state says
            # that frame reflects this command, instead of the same frame again.
            self._queue_state(seq=command.seq)
            return
        self.needs_frame = True  # what the user did shows in the next frame, now
        self.pace.frame_now()

    def _on_ack(self, command: Command) -> None:
        """An ack covers every frame up to its id (one message can return several credits)."""
        self._acked = max(self._acked, min(command.fields["frame"], self.frame_id))

    @property
    def in_flight(self) -> int:
        return self.frame_id - self._acked

    def _on_load_hash(self, command: Command) -> None:
        notices = self.open_hash(command.fields["hash"])
        self._after_change("data", command.seq, notices)
        if self.race is not None:
            self._queue_race()

    def _on_configure(self, command: Command) -> None:
        try:
            if self.race is None:
                change = self.run.configure(command.fields["config"])
            else:  # this lane only; a new network restarts every lane from the same start
                change = self.race.configure(self.lane, command.fields["config"])
                self._select(self.lane)
        except ValueError as error:
            raise _engine_error(error, "config") from None
        self._after_change(change, command.seq)
        if self.race is not None and change != "live":
            self._queue_race()

    def _on_play(self, command: Command) -> None:
        if self.trainee().diverged:
            raise ProtocolError(
                protocol.INVALID_VALUE, "type", "the run has diverged; reset it before playing"
            )
        self.steps_owed = 0  # playing takes over from a step still training
        self.playing = True
        self.pace.restart()
        self._queue_state()

    def _on_pause(self, command: Command | None = None) -> None:
        self.playing, self.steps_owed = False, 0
        self._queue_state()
        self._queue_snapshot()

    pause = _on_pause

    def _on_step(self, command: Command) -> None:
        """Owe the epochs and train the first chunk now; `tick` trains the rest, chunk by
        chunk, so one message never holds the worker longer than a chunk (one epoch at
        least). Pause, play, reset, a new configuration or run, and closing the socket
        cancel what is still owed."""
        epochs, limit = command.fields["epochs"], protocol.MAX_STEP_EPOCHS
        if self.steps_owed + epochs > limit:
            raise ProtocolError(
                protocol.INVALID_VALUE,
                "epochs",
                f"epochs: {self.steps_owed} epochs of an earlier step are still training; "
                f"at most {limit} may be owed at once (pause cancels them)",
            )
        self.playing = False
        self.steps_owed += epochs
        self._step_chunk()

    def _on_step_batch(self, command: Command) -> None:
        """One batch and its update (the lecture's loop, one update at a time): pauses,
        cancels a step still owed; the state, a snapshot and the inspector follow."""
        self.playing, self.steps_owed = False, 0
        if self.race is not None:
            raise ProtocolError(
                protocol.INVALID_VALUE, "type", "step_batch: a race steps whole epochs; use step"
            )
        self.run.step_batch()
        self.needs_frame = True
        self._queue_state()
        self._queue_snapshot()

    def _on_reset(self, command: Command) -> None:
        self.playing = False
        if self.race is None:
            self.run.reset(same_weights=command.fields["same_weights"])
        else:
            self.race.reset(same_weights=command.fields["same_weights"])
            self._select(self.lane)
            self._queue_race()
        self._queue_state()
        self._after_change("rebuild", command.seq)

    def _on_regenerate(self, command: Command) -> None:
        self.refuse_in_race("regenerate")
        self.run.regenerate()
        self._after_change("data", command.seq)

    def _on_speed(self, command: Command) -> None:
        self.pace.restart(command.fields["epochs_per_frame"])
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
            _check_index("layer", layer, len(sizes), f"layer sizes are {sizes}")
            _check_index("neuron", neuron, sizes[layer], f"layer sizes are {sizes}")
        self.focus = (layer, neuron)

    def _on_inspect(self, command: Command) -> None:
        target = command.fields if command.fields["kind"] else None
        if target is not None:
            self._check_inspected(target)
            self.outbox.append(inspection_message(self.run, target))
        self.inspect_target = target

    def _check_inspected(self, target: dict) -> None:
        """The inspected weight or bias exists (errors name the message's own fields)."""
        sizes, layer = self.run.layer_sizes, target["layer"]
        _check_index("layer", layer, len(sizes) - 1, f"{len(sizes) - 1} layers of weights")
        into = f"layer {layer} leads into {sizes[layer + 1]} neurons"
        if target["kind"] == "weight":
            _check_index("source", target["source"], sizes[layer], f"{sizes[layer]} inputs")
            _check_index("target", target["target"], sizes[layer + 1], into)
        else:
            _check_index("neuron", target["neuron"], sizes[layer + 1], into)

    def _on_restore(self, command: Command) -> None:
        try:
            self.restore_snapshot(command.fields["snapshot"])
        except ValueError as error:
            raise _engine_error(error, "snapshot") from None
        self.show_new_run(command.seq)

    def replace_run(self, run: engine.Run, seq: int | None = None, notices=None) -> None:
        """A whole new run (imported, pushed by the teacher), no race: see show_new_run."""
        self.run, self.race, self.lane = run, None, 0
        self.show_new_run(seq, notices)

    def show_new_run(self, seq: int | None = None, notices=None) -> None:
        """After a new run or race: paused, and the page gets its state, configuration,
        data and snapshot, and a frame."""
        self.playing = False
        self._queue_state()
        self._after_change("data", seq, notices)
        if self.race is not None:
            self._queue_race()
        self.request_frame()

    def request_frame(self) -> None:
        self.needs_frame = True
        self.pace.frame_now()

    def full_config(self) -> dict:
        """The configuration message with the data, as a new page (or a spotlight) needs."""
        return config_message(self.run, "data", None, [])

    def _on_join_class(self, command: Command) -> None:
        self.class_request = command  # the class store is asynchronous: server/ws.py joins

    _on_leave_class = _on_join_class

    def _on_undo_push(self, command: Command) -> None:
        if self.member is None:
            raise ProtocolError(protocol.INVALID_VALUE, "type", "undo_push: not in a class")
        self.member.undo_push()

    def _on_set_data(self, command: Command) -> None:
        self.refuse_in_race("set_data")
        try:
            self.run.set_data(command.fields["points"])
        except ValueError as error:
            raise _engine_error(error, "points") from None
        self._after_change("data", command.seq)

    def _on_import_csv(self, command: Command) -> None:
        f = command.fields
        self.refuse_in_race("import_csv")
        problem = self.run.config["problem"]
        try:
            result = parse_csv(f["text"], problem, self.run.config["numClasses"], f["rescale"])
        except ValueError as error:  # "csv: the file has no rows …": about the file's text
            raise ProtocolError(protocol.INVALID_VALUE, "text", str(error)) from None
        # Never half-applied: rows with problems stop the import unless the user chose
        # to take the valid rows anyway, after seeing the report.
        apply = len(result.labels) >= 2 and (not result.rejected or f["apply_valid"])
        if apply:
            self.run.set_data(result.points, result.labels)
        self.outbox.append(csv_report(result, apply, command.seq))
        if apply:
            self._after_change("data", command.seq)

    def _on_import_model(self, command: Command) -> None:
        try:
            run = import_model(command.fields["model"])
        except ValueError as error:  # the file's field, as a field of this message
            raise _engine_error(ValueError(f"model.{error}"), "model") from None
        self.replace_run(run, command.seq)

    def _on_export(self, command: Command) -> None:
        f = command.fields
        self.outbox.append(exported(self.run, f["format"], f["include_weights"], command.seq))

    # ----- training and frames ---------------------------------------------------------

    def tick(self) -> int:
        """Train one chunk (of a step still owed, or at the chosen pace); returns the epochs
        trained."""
        try:
            return self._step_chunk() if self.steps_owed else self._train_chunk()
        except Exception:
            self._recover()
            return 0

    def _step_chunk(self) -> int:
        """Train owed step epochs until the chunk's time is up; when the last is done, the
        step's state and snapshot follow, as after a pause.

        An epoch that takes longer than a chunk (the largest network with batches of one
        point: 450 updates) is trained batch by batch (Run.step_batch), so even its chunks
        end on time; a chunk then may end within an epoch, as after a step_batch message.
        """
        deadline, trained = self.pace.chunk_deadline(), 0
        budget, trainee = deadline - self.clock(), self.trainee()
        while self.steps_owed and not trainee.diverged:
            started = self.clock()
            if self.race is None and self.epoch_s is not None and self.epoch_s > budget:
                finished = self.run.step_batch()
            else:  # a race trains whole epochs of every lane
                whole = self.race is not None or self.run.batch_position[0] == 0
                trainee.step(1)
                finished = True
                if whole:  # the session's clock: what an epoch of this network costs
                    self.epoch_s = self.clock() - started
            if finished:
                trained, self.steps_owed = trained + 1, self.steps_owed - 1
            if self.clock() >= deadline:
                break
        self.needs_frame = True
        self.race_after_training()
        if trainee.diverged:
            self.steps_owed = 0
        if not self.steps_owed:
            self._queue_state()
            self._queue_snapshot()
        return trained

    def _train_chunk(self) -> int:
        owed, deadline = self.pace.epochs_due()
        alone = self.race is None
        if alone and self.pool is not None and owed >= 1 and not self.run.diverged:
            trained = self.pool.train(self, owed, deadline)
            if trained is not None:  # trained with its group (trained_in_group did the rest)
                return trained
        trained, trainee = 0, self.trainee()
        started = cost_clock()
        while (self.mid_round() or trained + 1 <= owed) and not trainee.diverged:
            trained += self.train_piece()
            if self.clock() >= deadline:
                break
        self.pace.trained(trained, cost_clock() - started)
        if trained:
            self.needs_frame = True
        self._after_training(self.clock())
        return trained

    def can_train_with_others(self) -> bool:
        """Another session of its group may train it now: it plays, and none of its own
        tasks is using it (answering a message, metering a step)."""
        idle = self.lock is None or not self.lock.locked()
        alone = self.race is None and self.viewing is None
        return self.started and self.playing and not self.steps_owed and idle and alone

    def can_be_drawn(self) -> bool:
        """Another session may draw its next frame now: its page has credit for one and
        something new to see, and none of its own tasks is using it."""
        idle = self.lock is None or not self.lock.locked()
        alone = self.race is None and self.viewing is None  # it shows its run now
        return self.started and self.frame_wanted() and idle and alone

    def trained_in_group(self, epochs: int, seconds: float) -> None:
        """Its group trained it `epochs` epochs, its share of the time `seconds`."""
        self.pace.trained(epochs, seconds)
        if epochs:
            self.needs_frame = True
        self._after_training(self.clock())

    def _after_training(self, now: float) -> None:
        self.race_after_training()
        if self.run.warning is not self._warned:  # a frozen run: explained once, trains on
            self._warned = self.run.warning
            self._queue_state()
        if self.trainee().diverged:
            self.playing = False
            self._queue_state()
            self._queue_snapshot()
        elif now - self._last_snapshot >= self.settings.snapshot_interval_s:
            self._queue_snapshot()

    def has_credit(self) -> bool:
        """The client can take one more frame (at most max_frames_in_flight unacknowledged)."""
        return self.in_flight < self.settings.max_frames_in_flight

    def frame_wanted(self) -> bool:
        """Something changed and the client has credit for a frame."""
        return self.needs_frame and self.has_credit()

    def wants_frame(self) -> bool:
        return self.frame_wanted() and self.pace.frame_due() and not self.mid_round()

    def idle_seconds(self) -> float | None:
        if self.steps_owed or self.mid_round():
            return 0.0  # a step or a race's round is training: due once others had a turn
        return self.pace.idle_seconds(self.frame_wanted(), self.has_credit())

    def frame(self) -> bytes | None:
        """The next frame, or None (and an `internal` error queued) if it cannot be built."""
        try:
            return self._frame()
        except Exception:
            self._recover()
            return None

    def _frame(self) -> bytes:
        """Pack the next frame; its id is used up only once it is packed, so a frame that
        fails never costs the client a credit."""
        started = cost_clock()
        info = FrameInfo(
            frame_id=self.frame_id + 1,
            last_seq=self.last_seq,
            playing=self.playing,
            epochs_per_second=self.pace.meter.rate() if self.playing else 0.0,
            focus_layer=self.focus[0],
            focus_neuron=self.focus[1],
            replay=self.viewing is not None,
        )
        if self.pool is not None and self.race is None and self.viewing is None:
            frame, seconds = self.pool.frame(self, info)  # drawn with its peers of one shape
        else:
            frame = self.pack_shown(info)
            seconds = cost_clock() - started
        self.frame_id, self.needs_frame = info.frame_id, False
        self.queue_layer_view(self.frame_id)
        # A session's first frame costs 3-4 times the next ones (buffers, caches): counted,
        # it would make a class that just opened look heavier to admission than it is.
        self.pace.frame_sent(seconds if self.frame_id > 1 else None)
        return frame

    def take_outbox(self) -> list[dict]:
        messages, self.outbox = self.outbox, []
        return messages

    # ----- replies ---------------------------------------------------------------------

    def _after_change(self, change: str, seq: int | None, notices: list[str] | None = None) -> None:
        if change != "live":
            self.steps_owed = 0  # a new network or new data: a step still owed is cancelled
            self.epoch_s = None
        sizes, (layer, neuron) = self.run.layer_sizes, self.focus
        if layer is not None and (layer >= len(sizes) or neuron >= sizes[layer]):
            self.focus = (None, 0)  # that neuron is gone (a layer or a feature switched off)
        message = config_message(self.run, change, seq, notices or [])
        if self.race is not None:  # the page's link is the race's; the lanes come with it
            message["hash"], message["race"] = self.race.to_hash(), race_info(self.race, self.lane)
        self.outbox.append(message)
        if change != "live":
            self._queue_snapshot()
            return
        # A live change (learning rate, regularization, optimizer, a display toggle, hidden
        # controls) of a run changes nothing its frame shows: paused, no frame follows it.
        self._unseen = self.race is None
        if not self.playing:  # while playing, the next periodic snapshot carries it
            self._queue_snapshot(only_if_more_than_config=self.race is None)

    def _queue_state(self, seq: int | None = None) -> None:
        state = {
            "type": protocol.STATE,
            "playing": self.playing,
            "epochs_per_frame": self.pace.epochs_per_frame,
            "diverged": self.run.diverged,
            "warning": self.run.warning,
        }
        if seq is not None:  # answers that command: no frame follows it
            state["seq"] = seq
        self.outbox.append(state)

    def _queue_snapshot(self, only_if_more_than_config: bool = False) -> None:
        """Send a restorable snapshot, refresh the inspector, and remember the good state.

        `only_if_more_than_config` (a live change of a run, not a race): the page puts the
        config echo into the snapshot it keeps, so the snapshot is sent only when something
        else in it changed (a new optimizer's state); the inspector's numbers did not either.
        """
        snapshot = self.session_snapshot()
        skip = only_if_more_than_config and _same_besides_config(snapshot, self._good)
        self._good, self._last_snapshot = snapshot, self.clock()  # the page's is up to date
        if skip:
            return
        self.outbox = [m for m in self.outbox if m["type"] != protocol.SNAPSHOT]
        self.outbox.append({"type": protocol.SNAPSHOT, "snapshot": self._good})
        if self.inspect_target is not None:
            try:
                self.outbox.append(inspection_message(self.run, self.inspect_target))
            except ValueError:  # the inspected weight no longer exists after a rebuild
                self.inspect_target = None


def _same_besides_config(snapshot: dict, other: dict | None) -> bool:
    return other is not None and all(
        snapshot[key] == other.get(key) for key in snapshot if key != "config"
    )


def _opens_a_run(text: str | bytes, max_bytes: int) -> bool:
    """The message is a `load_hash` or a `restore` (checked again, fully, by `receive`)."""
    try:
        messages.check_size(text, max_bytes)
        message = json.loads(text)
    except (ValueError, RecursionError, ProtocolError):  # "[[[[…" nests past the stack
        return False
    return isinstance(message, dict) and message.get("type") in (
        protocol.LOAD_HASH,
        protocol.RESTORE,
    )


def _check_index(field: str, value: int, size: int, what: str) -> None:
    if value >= size:
        raise ProtocolError(
            protocol.INVALID_VALUE,
            field,
            f"{field}: {value} does not exist; use 0..{size - 1} ({what})",
        )


def _engine_error(exc: ValueError, field: str | None = None) -> ProtocolError:
    """The engine's ValueErrors start with the key they refuse ("learningRate: ..."); one
    that names no key it can be read from is about `field` (the message's own)."""
    text = str(exc) or "invalid value"
    match = _KEY_PREFIX.match(text)
    return ProtocolError(protocol.INVALID_VALUE, match.group(1) if match else field, text)
