"""Who gets a session: a fixed limit per worker, and refusal while the worker is overloaded.

A worker serving more sessions than its cores can carry would slow every classroom laptop
to a crawl; instead, a new session is refused with a message when the sessions it has and
the newcomer could not all play at the frame rate's floor (from what their work costs:
Cadence.fits), when the event loop already lags (the sessions it has would suffer), or
when `max_sessions` are open. The same lag
measurement sets the worker's frame cadence (server/pacing.py, Cadence): a busy worker
draws less often before anything else gives way.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import Callable

from server.pacing import Cadence, Pacer

LAG_PROBE_S = 0.05  # how often the loop's punctuality is measured
LAG_SMOOTHING = 0.2  # weight of the newest probe in the moving average
OVERLOAD_S = 2.0  # overloaded for this long: the worker is full


class Admission:
    """Counts this worker's sessions and watches its event loop's lag (one per app)."""

    def __init__(
        self, max_sessions: int, max_lag_ms: float, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.max_sessions, self.max_lag_ms, self.clock = max_sessions, max_lag_ms, clock
        self.active = self.total = 0
        self.lag_ms = 0.0
        self.cadence = Cadence(clock=clock)
        self._probe: asyncio.Task | None = None
        self._late_since: float | None = None

    def refusal(self) -> str | None:
        """Why a new session cannot start now, or None when it can."""
        if self.active >= self.max_sessions:
            return (
                f"the server is full ({self.max_sessions} sessions); try again in a minute "
                "or ask the teacher to start more workers"
            )
        # Lag alone may be a burst of pages opening at once. A worker is full when, for a
        # while, its sessions train at under 40 % of their chosen speed (server/pacing.py,
        # Cadence.FULL_SHARE), or its loop runs later than max_lag_ms.
        overloaded = max(self.cadence.seconds_full(), self.seconds_late()) >= OVERLOAD_S
        if self.active and (overloaded or not self.cadence.fits(self.active + 1)):
            return (
                f"the server is busy (its {self.active} sessions already use all of it); "
                "try again in a minute or ask the teacher to start more workers"
            )
        return None

    def seconds_late(self) -> float:
        """How long the loop's lag has stayed over max_lag_ms."""
        return 0.0 if self._late_since is None else self.clock() - self._late_since

    def acquire(self) -> None:
        self.active += 1
        self.total += 1
        if self._probe is None or self._probe.done():
            self._probe = asyncio.get_running_loop().create_task(self._measure())

    def release(self, pacer: Pacer | None = None) -> None:
        """A session ended; its pacer (if given) no longer counts in the plan."""
        self.active -= 1
        if pacer is not None:
            self.cadence.pacers.discard(pacer)

    async def _measure(self) -> None:
        """Sleep a fixed time and see how late the loop wakes us, while sessions exist."""
        with contextlib.suppress(asyncio.CancelledError):
            while self.active:
                start = self.clock()
                await asyncio.sleep(LAG_PROBE_S)
                self.probed(max(0.0, (self.clock() - start - LAG_PROBE_S) * 1000))
            self.lag_ms = 0.0
            self._late_since = None

    def probed(self, late_ms: float) -> None:
        """One probe woke `late_ms` after its time: smooth it into the lag, tell the cadence,
        and note since when the loop has run late."""
        self.lag_ms += LAG_SMOOTHING * (late_ms - self.lag_ms)
        self.cadence.observe(self.lag_ms)
        if self.lag_ms <= self.max_lag_ms:
            self._late_since = None
        elif self._late_since is None:
            self._late_since = self.clock()
