"""A real uvicorn serving the app on a free loopback port, in a thread of the test process."""

from __future__ import annotations

import socket
import threading
import time

import uvicorn

from server.app import create_app
from server.http import UVICORN_OPTIONS
from server.settings import Settings

# How long a readiness poll may go on: a bound against hanging, never a speed assertion (a
# busy machine only makes the wait longer).
READY_S = 120.0


def wait_until(ready, seconds: float = READY_S, poll_s: float = 0.02) -> bool:
    """Poll `ready()` until it is true (True) or `seconds` have gone by (False)."""
    deadline = time.monotonic() + seconds
    while not ready():
        if time.monotonic() > deadline:
            return False
        time.sleep(poll_s)
    return True


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class LiveServer:
    """Start, stop and restart (same port) a uvicorn server; `url` is its address."""

    def __init__(self, settings: Settings | None = None, port: int | None = None) -> None:
        # Browser tests share a busy machine with the browser: admission by loop lag is
        # tested on its own (test_admission.py), not left to chance here.
        self.settings = settings or Settings(max_loop_lag_ms=10_000)
        self.port = port or free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self._server: uvicorn.Server | None = None
        self._thread: threading.Thread | None = None

    def start(self) -> LiveServer:
        self.app = create_app(self.settings)
        config = uvicorn.Config(
            self.app,
            host="127.0.0.1",
            port=self.port,
            log_level="warning",
            lifespan="off",
            ws_max_size=4 * self.settings.max_message_bytes,
            ws_per_message_deflate=False,  # as `neural-playground` serves by default
            **UVICORN_OPTIONS,  # and with its header limits
        )
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(target=self._server.run, daemon=True)
        self._thread.start()
        wait_until(lambda: self._server.started or not self._thread.is_alive())
        if not self._server.started:
            raise RuntimeError("the test server did not start")
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.should_exit = True
            self._server.force_exit = True
            self._thread.join(timeout=READY_S)
            self._server = None
