"""The websocket endpoint: origin check, admission, a reader task, and the session loop."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections import deque

from starlette.websockets import WebSocket, WebSocketDisconnect

from server import protocol, workers
from server.admission import Admission
from server.protocol import ProtocolError
from server.security import origin_allowed
from server.session import Session
from server.settings import Settings

log = logging.getLogger("neural_playground.ws")
OPENING_WAIT_S = 0.5  # how long the default run waits for the page's own
INBOX_SIZE = 64  # a flooding client waits on its own socket, never grows our memory


def admission_for(websocket: WebSocket) -> Admission:
    state = websocket.app.state
    if not hasattr(state, "sessions"):
        settings = state.settings
        state.sessions = Admission(settings.max_sessions, settings.max_loop_lag_ms)
    return state.sessions


async def refuse(websocket: WebSocket, code: str, message: str, close_code: int) -> None:
    await websocket.accept()
    await websocket.send_json(protocol.error_message(ProtocolError(code, None, message)))
    await websocket.close(code=close_code, reason=code)


async def websocket_endpoint(websocket: WebSocket) -> None:
    settings: Settings = websocket.app.state.settings
    if not origin_allowed(websocket.scope, settings.allow_origins):
        origin = websocket.headers.get("origin")
        log.warning("refused a session from origin %s", origin)
        await refuse(websocket, protocol.ORIGIN_REFUSED, f"origin {origin} is not allowed", 1008)
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
        await drive(websocket, session)
    except (WebSocketDisconnect, ConnectionError):
        pass
    finally:
        admission.release()
        workers.report(workers.SESSION_END)
        epoch = session.epoch if session else 0
        log.info(
            "session %d end after %.1f s at epoch %d (%d active)",
            session_id,
            time.monotonic() - started,
            epoch,
            admission.active,
        )


class Mailbox:
    """The reader task's messages for the session loop: bounded (a flooding client waits on
    its own socket and never grows our memory), with a timed wait that costs one future and
    one timer, not a task per wait as asyncio.wait_for would."""

    def __init__(self, size: int) -> None:
        self.size = size
        self.items: deque[str | bytes | None] = deque()
        self._waiter: asyncio.Future | None = None
        self._space: asyncio.Future | None = None

    async def put(self, item: str | bytes | None) -> None:
        while len(self.items) >= self.size:
            self._space = asyncio.get_running_loop().create_future()
            await self._space
        self.items.append(item)
        _wake(self._waiter)

    def end(self) -> None:
        """The connection ended: past the bound, the loop must learn that the client left."""
        self.items.append(None)
        _wake(self._waiter)

    def get(self) -> str | bytes | None:
        item = self.items.popleft()
        _wake(self._space)
        return item

    async def wait(self, timeout: float | None) -> None:
        """Until a message arrives or `timeout` seconds pass (None: no timeout)."""
        if self.items:
            return
        loop = asyncio.get_running_loop()
        waiter = self._waiter = loop.create_future()
        timer = loop.call_later(timeout, _wake, waiter) if timeout is not None else None
        try:
            await waiter
        finally:
            self._waiter = None
            if timer is not None:
                timer.cancel()


def _wake(future: asyncio.Future | None) -> None:
    if future is not None and not future.done():
        future.set_result(None)


async def drive(websocket: WebSocket, session: Session) -> None:
    """The one task that mutates the session: messages, training chunks, frames."""
    inbox = Mailbox(INBOX_SIZE)
    reader = asyncio.create_task(read(websocket, inbox))
    try:
        await websocket.send_json(session.hello())
        await inbox.wait(OPENING_WAIT_S)  # a page answers hello with its link or snapshot
        if inbox.items and inbox.items[0] is None:
            return
        session.start(inbox.get() if inbox.items else None)
        while True:
            while inbox.items:
                item = inbox.get()
                if item is None:
                    return
                session.receive(item)
            session.tick()
            for message in session.take_outbox():
                await websocket.send_json(message)
            if session.wants_frame() and (frame := session.frame()) is not None:
                await websocket.send_bytes(frame)
            timeout = session.idle_seconds()
            if timeout == 0.0:
                await asyncio.sleep(0)  # work is due: only let other sessions run first
            else:
                await inbox.wait(timeout)
    finally:
        reader.cancel()
        with contextlib.suppress(asyncio.CancelledError, Exception):
            await reader


async def read(websocket: WebSocket, inbox: Mailbox) -> None:
    """Move raw messages into the bounded inbox; None marks the end of the connection."""
    try:
        while True:
            message = await websocket.receive()
            if message["type"] == "websocket.disconnect":
                break
            payload = message.get("text")
            if payload is None:
                payload = message.get("bytes") or b""
            await inbox.put(payload)
    finally:
        inbox.end()
