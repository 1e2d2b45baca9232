"""HTTP/1.1 with limits: header size and count caps, and a time limit for the headers.

uvicorn's default parser (httptools) takes a header of any size: four 128 MB headers once
drove a worker from 65 to 599 MB. h11 refuses a request head over its incomplete-event
size; this protocol also refuses more than MAX_HEADERS header lines, and closes a
connection whose request head has not fully arrived HEADER_TIMEOUT_S after it opened (or
after its last response): idle and slowloris connections no longer hold a file descriptor
each for as long as they like. Once the head is in, a websocket is upgraded as usual.
"""

from __future__ import annotations

import asyncio
from typing import Any

import h11
from uvicorn.protocols.http.h11_impl import H11Protocol

MAX_HEADER_BYTES = 16 * 1024  # the whole request head: a browser's is well under 4 KB
MAX_HEADERS = 64  # header lines: a browser sends about 15
HEADER_TIMEOUT_S = 10.0  # from connecting (or the last response) to a complete request head

# uvicorn.Config options for this protocol (the CLI, the workers and the tests use them).
UVICORN_OPTIONS: dict[str, Any] = {
    "http": "server.http:GuardedH11Protocol",
    "h11_max_incomplete_event_size": MAX_HEADER_BYTES,
    "timeout_keep_alive": 5,  # seconds an idle connection stays open after a response
}


class GuardedH11Protocol(H11Protocol):
    """uvicorn's h11 protocol with the limits above (a `http=` protocol class for uvicorn)."""

    _head_timer: asyncio.TimerHandle | None = None

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._wait_for_head()
        next_event = self.conn.next_event

        def checked_next_event() -> Any:
            event = next_event()
            if isinstance(event, h11.Request):
                self._head_arrived()
                if len(event.headers) > MAX_HEADERS:  # answered 400 by uvicorn, then closed
                    raise h11.RemoteProtocolError("too many headers", error_status_hint=431)
            return event

        self.conn.next_event = checked_next_event  # type: ignore[method-assign]

    def connection_lost(self, exc: Exception | None) -> None:
        self._head_arrived()
        super().connection_lost(exc)

    def on_response_complete(self) -> None:
        super().on_response_complete()
        if not self.transport.is_closing():
            self._wait_for_head()  # the next request's head has the same time limit

    def _wait_for_head(self) -> None:
        self._head_arrived()
        self._head_timer = self.loop.call_later(HEADER_TIMEOUT_S, self._head_too_slow)

    def _head_arrived(self) -> None:
        if self._head_timer is not None:
            self._head_timer.cancel()
            self._head_timer = None

    def _head_too_slow(self) -> None:
        self._head_timer = None
        if not self.transport.is_closing():
            self.transport.close()
