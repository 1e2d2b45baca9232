"""The teacher's dashboard connection (/ws/class): the gallery, the spotlight, and the
commands only the class's secret may give (push, freeze, spotlight, goal, results).

Every student's summary arrives about once a second; the dashboard gets the ones that
changed every GALLERY_S, and a student unheard of for ROSTER_TTL_S (a worker that died) is
dropped. The spotlit student's frames are passed on only while the page has credit: a
slow projector gets fewer frames, never a queue.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Callable

import engine
from engine.challenges import data_digest
from engine.lesson_links import lesson_hash
from server import protocol
from server.classroom import commands
from server.classroom import hub as topics
from server.classroom.results import results_csv
from server.pacing import TokenBucket
from server.protocol import Command, ProtocolError

log = logging.getLogger("neural_playground.classroom")
GALLERY_S = 0.5
ROSTER_TTL_S = 10.0
SPOT_RENEW_S = 5.0
TOUCH_S = 60.0
ID_SIZE = 16  # a spotlight frame on the hub: the student's id, then the frame
TEACHER_RATE, TEACHER_BURST = 5.0, 20  # commands a second: each may reach every student


class Dashboard:
    """One dashboard page's view of its class; socket-free (`outbox`, `frames`)."""

    def __init__(self, hub, record: dict, clock: Callable[[], float] = time.monotonic) -> None:
        self.hub, self.record, self.code, self.clock = hub, record, record["code"], clock
        self.roster: dict[str, dict] = {}
        self.seen: dict[str, float] = {}
        self.changed: set[str] = set()
        self.left: set[str] = set()
        self.outbox: list[dict] = []
        self.spot_frame: bytes | None = None
        self.spot_target: str | None = None
        self.frame_id = self.acked = 0
        self.wake: Callable[[], None] = lambda: None
        self.subscriptions = [
            hub.subscribe(topics.gallery_topic(self.code), self._gallery),
            hub.subscribe(topics.spotlight_topic(self.code), self._spotlight),
        ]

    # ----- what arrives from the students ------------------------------------------------

    def _gallery(self, message) -> None:
        if not isinstance(message, dict) or not isinstance(message.get("student"), str):
            return
        student = message["student"]
        if message.get("type") == "left":
            if self.roster.pop(student, None) is not None:
                self.left.add(student)
            self.changed.discard(student)
            self.seen.pop(student, None)
        else:
            self.roster[student], self.seen[student] = message, self.clock()
            self.changed.add(student)
            self.left.discard(student)

    def _spotlight(self, message) -> None:
        if isinstance(message, bytes):
            if self.spot_target is not None and message[:ID_SIZE] == self.spot_target.encode():
                self.spot_frame = message[ID_SIZE:]
                self.wake()
        elif message.get("student") == self.spot_target:
            self.outbox.append(message)
            self.wake()

    def gallery_update(self) -> dict | None:
        """The changed and the departed students since the last update (None: nothing)."""
        now = self.clock()
        for student in [s for s, t in self.seen.items() if now - t > ROSTER_TTL_S]:
            self._gallery({"type": "left", "student": student})
        if not self.changed and not self.left:
            return None
        update = {
            "type": protocol.GALLERY,
            "students": [self.roster[s] for s in sorted(self.changed)],
            "left": sorted(self.left),
            "count": len(self.roster),
        }
        self.changed, self.left = set(), set()
        return update

    def take_frame(self) -> bytes | None:
        """The spotlit student's latest frame, if the page has credit for it."""
        if self.spot_frame is None or self.frame_id - self.acked >= 2:
            return None
        frame, self.spot_frame = self.spot_frame, None
        self.frame_id += 1
        return frame

    # ----- the teacher's commands ------------------------------------------------------

    def info(self) -> dict:
        return {"type": protocol.CLASS_INFO, "code": self.code, "join_path": f"/class/{self.code}",
                "frozen": self.record["frozen"], "goal": self.record["goal"],
                "data": self.record["data"], "spotlight": self.spot_target}  # fmt: skip

    def command(self, students: list[str] | None, **fields) -> None:
        self.hub.publish(topics.students_topic(self.code), {**fields, "students": students})

    async def apply(self, command: Command) -> None:
        await getattr(self, "_on_" + command.type)(command.fields, command.seq)

    async def _on_ack(self, fields: dict, seq) -> None:
        self.acked = max(self.acked, min(fields["frame"], self.frame_id))

    async def _on_teach(self, fields: dict, seq) -> None:
        raise ProtocolError(protocol.INVALID_VALUE, "type", "teach: this page teaches already")

    async def _on_push(self, fields: dict, seq) -> None:
        try:
            run = engine.Run.from_hash(fields["hash"])
            link = lesson_hash(run, fields["include_data"], fields["include_weights"])
        except ValueError as exc:
            raise ProtocolError(protocol.INVALID_VALUE, "hash", f"hash: {exc}") from None
        digest = data_digest(run.train_data, run.test_data)
        self.record = await self.hub.call("update", self.code, {"data": digest}) or self.record
        self.command(fields["students"], kind="push", hash=link)
        targets = fields["students"]
        count = len(self.roster) if targets is None else len(set(targets) & set(self.roster))
        notices = protocol.short_notices(run.notices)
        self.outbox.append({"type": protocol.PUSHED, "seq": seq, "students": count,
                            "data": digest, "notices": notices})  # fmt: skip

    async def _on_freeze(self, fields: dict, seq) -> None:
        self.record = (
            await self.hub.call("update", self.code, {"frozen": fields["frozen"]}) or self.record
        )
        self.command(None, kind="freeze", frozen=fields["frozen"])
        self.outbox.append({**self.info(), "seq": seq})

    async def _on_spotlight(self, fields: dict, seq) -> None:
        self.spot_target, self.spot_frame = fields["student"], None
        self.command(None, kind="spotlight", student=self.spot_target)
        self.outbox.append({**self.info(), "seq": seq})

    async def _on_set_goal(self, fields: dict, seq) -> None:
        goal = fields["goal"]
        if goal is not None and fields["on_pushed_data"]:
            if self.record.get("data") is None:
                raise ProtocolError(
                    protocol.INVALID_VALUE, "on_pushed_data",
                    "on_pushed_data: push the data to the class first",
                )  # fmt: skip
            goal = type(goal)(**{**goal.to_dict(), "data": self.record["data"]})
        raw = None if goal is None else goal.to_dict()
        self.record = await self.hub.call("update", self.code, {"goal": raw}) or self.record
        self.command(None, kind="goal", goal=raw)
        self.outbox.append({**self.info(), "seq": seq})

    async def _on_export_results(self, fields: dict, seq) -> None:
        self.outbox.append({"type": protocol.EXPORTED, "seq": seq, "format": "csv",
                            "filename": f"class-{self.code}-results.csv", "mime": "text/csv",
                            "text": results_csv(list(self.roster.values()))})  # fmt: skip

    def close(self) -> None:
        for subscription in self.subscriptions:
            subscription.close()
        if self.spot_target is not None:
            self.command(None, kind="spotlight", student=None)


async def serve(websocket, dashboard: Dashboard, max_bytes: int) -> None:
    """The connection's loop: the reader answers commands, this sends the gallery every
    GALLERY_S and the spotlight as it comes."""
    wake = asyncio.Event()
    dashboard.wake = wake.set
    await websocket.send_text(protocol.encode(dashboard.info()))
    reader = asyncio.create_task(_read(websocket, dashboard, max_bytes))
    last_gallery = last_renew = last_touch = -1e9
    try:
        while not reader.done():
            now = dashboard.clock()
            if now - last_gallery >= GALLERY_S:
                last_gallery = now
                if (update := dashboard.gallery_update()) is not None:
                    await websocket.send_text(protocol.encode(update))
            if dashboard.spot_target is not None and now - last_renew >= SPOT_RENEW_S:
                last_renew = now
                dashboard.command(None, kind="spotlight", student=dashboard.spot_target)
            if now - last_touch >= TOUCH_S:
                last_touch = now
                with contextlib.suppress(Exception):  # the store is unreachable: try later
                    await dashboard.hub.call("touch", dashboard.code)
            await _flush(websocket, dashboard)
            wake.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(wake.wait(), GALLERY_S)
    finally:
        reader.cancel()
        with contextlib.suppress(asyncio.CancelledError, Exception):
            await reader
        dashboard.close()
        with contextlib.suppress(Exception):
            await dashboard.hub.call("touch", dashboard.code)


async def _flush(websocket, dashboard: Dashboard) -> None:
    messages, dashboard.outbox = dashboard.outbox, []
    for message in messages:
        await websocket.send_text(protocol.encode(message))
    if (frame := dashboard.take_frame()) is not None:
        await websocket.send_bytes(frame)


async def _read(websocket, dashboard: Dashboard, max_bytes: int) -> None:
    bucket = TokenBucket(TEACHER_RATE, TEACHER_BURST, dashboard.clock)
    while True:
        message = await websocket.receive()
        if message["type"] == "websocket.disconnect":
            return
        payload = message.get("text") if message.get("text") is not None else message.get("bytes")
        seq = None
        try:
            command = commands.parse(payload or b"", max_bytes)
            if command.type != protocol.ACK and not bucket.take():
                raise ProtocolError(
                    protocol.RATE_LIMITED,
                    None,
                    f"too many commands: at most {TEACHER_RATE:g} a second; this one was dropped",
                )
            seq = command.seq
            await dashboard.apply(command)
        except ProtocolError as exc:
            dashboard.outbox.append(protocol.error_message(exc, seq))
        except Exception:
            log.exception("a dashboard command failed")
            error = ProtocolError(protocol.INTERNAL, None, "internal error; nothing was changed")
            dashboard.outbox.append(protocol.error_message(error, seq))
        dashboard.wake()
