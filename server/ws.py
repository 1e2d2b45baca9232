"""The websocket endpoint: origin check, admission, a reader task, and the session loop."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time

from starlette.websockets import WebSocket, WebSocketDisconnect

from server import protocol, workers
from server.admission import Admission
from server.classroom import joining
from server.classroom.routes import hub_for
from server.grouping import TrainingPool
from server.protocol import ProtocolError
from server.security import host_allowed, origin_allowed, refused_host_text
from server.session import Session
from server.settings import Settings

log = logging.getLogger("neural_playground.ws")
OPENING_WAIT_S = 0.5  # how long a new session waits for the page's link or snapshot
# Turns of the event loop a session lets pass between two chunks of work. Another session's
# frame takes a few (its timer fires, its task runs, its ack is read), so one chunk, even a
# whole epoch of the largest network, is all that can come between two of its frames.
YIELD_TURNS = 3


def admission_for(websocket: WebSocket) -> Admission:
    state = websocket.app.state
    if not hasattr(state, "sessions"):
        settings = state.settings
        state.sessions = Admission(settings.max_sessions, settings.max_loop_lag_ms)
    return state.sessions


def pool_for(websocket: WebSocket) -> TrainingPool:
    state = websocket.app.state
    if not hasattr(state, "training_pool"):
        state.training_pool = TrainingPool()
    return state.training_pool


async def refuse(websocket: WebSocket, code: str, message: str, close_code: int) -> None:
    await websocket.accept()
    await websocket.send_text(
        protocol.encode(protocol.error_message(ProtocolError(code, None, message)))
    )
    await websocket.close(code=close_code, reason=code)


async def guard(websocket: WebSocket) -> bool:
    """The Host and Origin checks of every websocket; a refused one is told why and closed."""
    settings: Settings = websocket.app.state.settings
    if not host_allowed(websocket.scope, settings.allow_hosts):
        text = refused_host_text(websocket.scope)
        log.warning("refused a session: %s", text)
        await refuse(websocket, protocol.HOST_REFUSED, text, 1008)
        return False
    if not origin_allowed(websocket.scope, settings.allow_origins, settings.allow_hosts):
        origin = (websocket.headers.get("origin") or "")[:80]
        log.warning("refused a session from origin %r", origin)
        await refuse(websocket, protocol.ORIGIN_REFUSED, f"origin {origin!r} is not allowed", 1008)
        return False
    return True


async def websocket_endpoint(websocket: WebSocket) -> None:
    settings: Settings = websocket.app.state.settings
    if not await guard(websocket):
        return
    admission = admission_for(websocket)
    reason = admission.refusal()
    if reason is not None:
        log.warning("refused a session: %s", reason)
        await refuse(websocket, protocol.SERVER_FULL, reason, 1013)
        return
    admission.acquire()
    workers.report(workers.SESSION_START)
    client = websocket.client
    peer = f"{client.host}:{client.port}" if client else "?"
    started = time.monotonic()
    session_id = admission.total
    log.info("session %d start from %s (%d active)", session_id, peer, admission.active)
    session = None
    try:
        await websocket.accept()
        session = Session(settings, cadence=admission.cadence)
        if settings.group_training:
            pool_for(websocket).add(session)
        await drive(websocket, session)
    except (WebSocketDisconnect, ConnectionError):
        pass
    finally:
        admission.release(session.pace if session else None)
        if session is not None and session.pool is not None:
            session.pool.discard(session)
        if session is not None and session.member is not None:
            session.member.close()
        workers.report(workers.SESSION_END)
        epoch = session.epoch if session else 0
        log.info(
            "session %d end after %.1f s at epoch %d (%d active)",
            session_id,
            time.monotonic() - started,
            epoch,
            admission.active,
        )


class Wakeup:
    """A timed wait that another task can cut short: one future and one timer per wait, not
    a task per wait as asyncio.wait_for would cost."""

    def __init__(self) -> None:
        self._waiter: asyncio.Future | None = None

    def wake(self) -> None:
        if self._waiter is not None and not self._waiter.done():
            self._waiter.set_result(None)

    async def wait(self, timeout: float | None) -> None:
        """Until `wake` or `timeout` seconds (None: no timeout)."""
        loop = asyncio.get_running_loop()
        waiter = self._waiter = loop.create_future()
        timer = loop.call_later(timeout, self.wake) if timeout is not None else None
        try:
            await waiter
        finally:
            self._waiter = None
            if timer is not None:
                timer.cancel()


async def flush(websocket: WebSocket, session: Session) -> None:
    """Send what the session has queued, then a frame if one is wanted and due. Callers
    hold the session's lock, so a reply and the frame that shows it leave in that order."""
    messages, frame = session.take_outbox(), None
    for message in messages:
        await websocket.send_text(protocol.encode(message))
    if session.wants_frame() and (frame := session.frame()) is not None:
        await websocket.send_bytes(frame)
        for message in session.take_outbox():  # what belongs to the frame (a layer view)
            await websocket.send_text(protocol.encode(message))
    if session.member is not None:  # the teacher's spotlight and the challenge see them too
        session.member.sent(messages, frame)


async def drive(websocket: WebSocket, session: Session) -> None:
    """Two tasks share the session (one event loop, so never at the same time): the reader
    answers each message at once, and this loop trains and draws on the session's clock.

    Answering in the reader saves a busy worker one turn of its event loop per message (the
    time it takes every other session to have its turn), which is most of the time between
    a student's click and the frame that shows it.
    """
    lock, wakeup = asyncio.Lock(), Wakeup()
    session.lock = lock  # its group trains it only while no task of its own holds it
    await websocket.send_text(protocol.encode(session.hello()))
    reader = asyncio.create_task(read(websocket, session, lock, wakeup))
    try:
        await wakeup.wait(OPENING_WAIT_S)  # a page answers hello with its link or snapshot
        async with lock:
            if not session.started and not reader.done():
                session.start()
        while not reader.done():
            async with lock:
                class_due = _class_turn(session)
                session.tick()
                await flush(websocket, session)
            timeout = session.idle_seconds()
            if class_due is not None:
                timeout = class_due if timeout is None else min(timeout, class_due)
            if timeout != 0.0:
                await wakeup.wait(timeout)
            if timeout == 0.0 or session.steps_owed:  # the reader may have trained a chunk
                await let_others_run()
    finally:
        reader.cancel()
        with contextlib.suppress(asyncio.CancelledError, Exception):
            await reader


def _class_turn(session: Session) -> float | None:
    """The teacher's commands to this student, then what the class is due; the seconds
    until the class is due again (None: not in a class)."""
    member = session.member
    if member is None:
        return None
    member.apply_inbox()
    return member.tick()


async def let_others_run() -> None:
    """Work is due: let every other session take its turns first (YIELD_TURNS)."""
    for _ in range(YIELD_TURNS):
        await asyncio.sleep(0)


async def read(websocket: WebSocket, session: Session, lock: asyncio.Lock, wakeup: Wakeup) -> None:
    """Answer each message as it arrives (the first one opens the session); the websocket
    layer's own bounded queue holds back a client that sends faster than this."""
    try:
        while True:
            message = await websocket.receive()
            if message["type"] == "websocket.disconnect":
                break
            payload = message.get("text")
            if payload is None:
                payload = message.get("bytes") or b""
            async with lock:
                session.receive(payload)
                if session.class_request is not None:
                    hub = await hub_for(websocket.app.state)
                    size = websocket.app.state.settings.max_class_size
                    await joining.answer(session, hub, size, wakeup.wake)
                await flush(websocket, session)
            wakeup.wake()  # the loop's next wake-up may have changed (play, speed, ...)
    finally:
        wakeup.wake()
