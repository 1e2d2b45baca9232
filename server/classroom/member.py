"""A student's membership of a class: what the session tells the class, and what the
teacher's commands do to the session.

The hub delivers the teacher's commands into `inbox`; the session's own loop applies them
(`apply_inbox`) under its lock, so exactly one task still changes the session. About once a
second the member publishes a summary for the gallery; while spotlit, it publishes the
session's own config and state messages and, at most SPOT_FPS a second, its frames.
"""

from __future__ import annotations

import asyncio
import base64
import logging
import secrets
import zlib

import numpy as np

import engine
from engine.challenges import architecture, parse_goal, run_facts
from server import protocol
from server.classroom import hub as topics
from server.frames import class_bytes, value_bytes
from server.protocol import ProtocolError

log = logging.getLogger("neural_playground.classroom")
SUMMARY_S = 1.0  # a gallery summary this often
RENEW_S = 10.0  # presence in the class store is renewed this often (it lasts MEMBER_TTL_S)
SPOT_LEASE_S = 15.0  # a spotlight not renewed (the dashboard closed) ends after this
SPOT_FPS = 10
IDLE_S = 120.0  # a student who has sent nothing for this long, and is not training, is idle
GALLERY_RESOLUTION = 20  # the gallery's maps: 20×20 bytes (packed_map)


def packed_map(small: np.ndarray) -> str:
    """A gallery map of R×R bytes as base64 of its zlib-deflated differences: each byte
    minus the one above it, then each of those minus the one to its left (mod 256, PNG's
    up and sub filters). A smooth map becomes mostly small numbers: 110-260 bytes."""
    grid = small.astype(np.int16)
    up = grid.copy()
    up[1:] -= grid[:-1]
    filtered = np.diff(up, axis=1, prepend=0) % 256
    return base64.b64encode(zlib.compress(filtered.astype(np.uint8).tobytes(), 9)).decode()


class Member:
    def __init__(self, session, hub, code: str, name: str, student: str, wake) -> None:
        self.session, self.hub, self.code, self.name = session, hub, code, name
        self.student, self.wake = student, wake
        self.inbox: list[dict] = []
        self.frozen, self.goal = False, None
        self.best_test_loss: float | None = None
        self.met_epoch: int | None = None
        self.undo: dict | None = None  # the run before the last push
        self.spot_until = -1.0
        self.last_summary = self.last_renew = self.last_spot = -1e9
        self.pending_frame: bytes | None = None
        self.subscription = hub.subscribe(topics.students_topic(code), self._heard)
        self.tasks: set[asyncio.Task] = set()

    # ----- the teacher's commands --------------------------------------------------------

    def _heard(self, message) -> None:
        if isinstance(message, dict):
            targets = message.get("students")
            if targets is None or self.student in targets:
                self.inbox.append(message)
                self.wake()

    def apply_inbox(self) -> None:
        commands, self.inbox = self.inbox, []
        for command in commands:
            try:
                getattr(self, "_on_" + command["kind"])(command)
            except (KeyError, TypeError, ValueError, AttributeError):
                log.warning("a class command that could not be applied was skipped")

    def _on_push(self, command: dict) -> None:
        session = self.session
        before = session.session_snapshot()  # a race's lanes too
        run = engine.Run.from_hash(command["hash"])
        self.undo = before
        session.replace_run(run, notices=run.notices)
        self.best_test_loss, self.met_epoch = None, None
        session.outbox.append({"type": protocol.CLASS_PUSHED, "epoch_before": before["epoch"]})
        self.last_summary = -1e9  # the gallery shows the new run at once

    def _on_freeze(self, command: dict) -> None:
        self.frozen = self.session.frozen = bool(command["frozen"])
        if self.frozen:
            self.session.pause()
        self.queue_class_state()

    def _on_goal(self, command: dict) -> None:
        self.goal = None if command["goal"] is None else parse_goal(command["goal"])
        self.best_test_loss, self.met_epoch = None, None
        self.queue_class_state()

    def _on_spotlight(self, command: dict) -> None:
        was = self.spotlit
        self.spot_until = (
            self.session.clock() + SPOT_LEASE_S if command["student"] == self.student else -1.0
        )
        if self.spotlit and not was:
            self._spot_message(self.session.full_config())
            self.session.request_frame()

    def undo_push(self) -> None:
        if self.undo is None:
            raise ProtocolError(
                protocol.INVALID_VALUE, "type", "undo_push: no push from the teacher to undo"
            )
        self.session.restore_snapshot(self.undo)
        self.undo = None
        self.session.show_new_run()
        self.last_summary = -1e9

    # ----- what the class sees -----------------------------------------------------------

    @property
    def spotlit(self) -> bool:
        return self.session.clock() < self.spot_until

    def class_state(self) -> dict:
        goal = None if self.goal is None else self.goal.to_dict()
        standing = {"met_epoch": self.met_epoch, "best_test_loss": self.best_test_loss}
        return {"type": protocol.CLASS, "code": self.code, "name": self.name,
                "student": self.student, "frozen": self.frozen, "goal": goal,
                "standing": standing}  # fmt: skip

    def queue_class_state(self) -> None:
        self.session.outbox.append(self.class_state())

    def summary(self) -> dict:
        run = self.session.run
        facts, sizes = run_facts(run), run.layer_sizes
        multiclass = run.config["problem"] == "multiclass"
        with np.errstate(all="ignore"):  # a diverged run's map is drawn grey, not warned about
            outputs = [
                run.neuron_map(len(sizes) - 1, k, GALLERY_RESOLUTION) for k in range(sizes[-1])
            ]
            small = class_bytes(np.array(outputs)) if multiclass else value_bytes(outputs[0])
        idle = not self.session.playing and self.session.clock() - self.session.last_action > IDLE_S
        return {
            "student": self.student, "name": self.name, "epoch": run.epoch,
            "architecture": architecture(sizes, run.config["activation"]),
            "parameters": facts["parameters"], "layers": facts["layers"],
            "test_loss": facts["test_loss"], "test_accuracy": facts["test_accuracy"],
            "train_loss": run.losses().get("train"), "diverged": facts["diverged"],
            "playing": self.session.playing, "idle": bool(idle), "frozen": self.frozen,
            "problem": run.config["problem"], "resolution": GALLERY_RESOLUTION,
            "map": packed_map(small),
            "met_epoch": self.met_epoch, "best_test_loss": self.best_test_loss,
        }  # fmt: skip

    def check_goal(self) -> None:
        """After a frame (the run's figures are computed): the best test loss, and the
        epoch the goal was first met."""
        run = self.session.run
        loss = run.losses().get("test")
        if loss is not None and np.isfinite(loss):
            if self.best_test_loss is None or loss < self.best_test_loss:
                self.best_test_loss = float(loss)
        if self.goal is not None and self.met_epoch is None and self.goal.met(run_facts(run)):
            self.met_epoch = run.epoch
            self.queue_class_state()
            self.last_summary = -1e9

    def sent(self, messages: list[dict], frame: bytes | None) -> None:
        """The session sent these to its page: the spotlight shows the same."""
        if frame is not None:
            self.check_goal()
        if not self.spotlit:
            return
        for message in messages:
            if message["type"] in (protocol.CONFIG, protocol.STATE):
                self._spot_message(message)
        if frame is not None:
            self.pending_frame = frame
            self._spot_frame(self.session.clock())

    def _spot_message(self, message: dict) -> None:
        self.hub.publish(
            topics.spotlight_topic(self.code),
            {"type": protocol.SPOTLIGHT_CONFIG, "student": self.student, "message": message},
        )

    def _spot_frame(self, now: float) -> None:
        if self.pending_frame is not None and now - self.last_spot >= 1.0 / SPOT_FPS:
            self.hub.publish(
                topics.spotlight_topic(self.code), self.student.encode() + self.pending_frame
            )
            self.pending_frame, self.last_spot = None, now

    def tick(self) -> float:
        """Publish what is due; returns the seconds until the next thing is."""
        now = self.session.clock()
        if self.spotlit:
            self._spot_frame(now)
        if now - self.last_summary >= SUMMARY_S:
            self.last_summary = now
            self.hub.publish(topics.gallery_topic(self.code), {"type": "student", **self.summary()})
        if now - self.last_renew >= RENEW_S:
            self.last_renew = now
            self._spawn(self._renew())
        waits = [self.last_summary + SUMMARY_S - now]
        if self.pending_frame is not None:
            waits.append(self.last_spot + 1.0 / SPOT_FPS - now)
        return max(0.0, min(waits))

    async def _renew(self) -> None:
        try:
            await self.hub.call("join", self.code, self.student, 1 << 30)
        except Exception as exc:  # the store is unreachable: the gallery still sees us
            log.warning("could not renew a class membership: %s", exc)

    def _spawn(self, coroutine) -> None:
        task = asyncio.get_running_loop().create_task(coroutine)
        self.tasks.add(task)
        task.add_done_callback(self.tasks.discard)

    def close(self) -> None:
        """Leave: the gallery drops the student at once, the store soon after."""
        self.subscription.close()
        self.hub.publish(topics.gallery_topic(self.code), {"type": "left", "student": self.student})
        self._spawn(self.hub.call("leave", self.code, self.student))
        self.session.frozen = False


def new_student_id() -> str:
    return secrets.token_hex(8)
