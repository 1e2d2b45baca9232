"""Run a test's coroutine on a loop of its own, whatever else runs in the test process.

The browser tests' Playwright keeps an event loop running on the main thread for the whole
session, so `asyncio.run` there refuses ("cannot be called from a running event loop").
"""

import asyncio
import threading
from collections.abc import Coroutine
from typing import Any


def run(coroutine: Coroutine[Any, Any, Any]) -> Any:
    """asyncio.run(coroutine) on a thread of its own; its result, or its exception."""
    outcome: dict[str, Any] = {}

    def main() -> None:
        try:
            outcome["result"] = asyncio.run(coroutine)
        except BaseException as error:  # re-raised on the caller's thread
            outcome["error"] = error

    thread = threading.Thread(target=main, name="test-coroutine")
    thread.start()
    thread.join()
    if "error" in outcome:
        raise outcome["error"]
    return outcome.get("result")
