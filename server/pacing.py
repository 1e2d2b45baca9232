"""A session's clocks: its training pace and frame cadence, message rate, epochs/s meter."""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable

from server import protocol


class TokenBucket:
    """`rate` messages a second on average, `burst` at once."""

    def __init__(self, rate: float, burst: int, clock: Callable[[], float]) -> None:
        self.rate, self.burst, self.clock = rate, float(burst), clock
        self.tokens, self.updated = float(burst), clock()

    def take(self) -> bool:
        now = self.clock()
        self.tokens = min(self.burst, self.tokens + (now - self.updated) * self.rate)
        self.updated = now
        if self.tokens < 1.0:
            return False
        self.tokens -= 1.0
        return True


class EpochMeter:
    """Epochs per second over the last second or so of training."""

    WINDOW_S = 1.0

    def __init__(self, clock: Callable[[], float]) -> None:
        self.clock = clock
        self.samples: deque[tuple[float, int]] = deque()
        self.total = 0
        self.started = clock()

    def restart(self) -> None:
        self.samples.clear()
        self.total = 0
        self.started = self.clock()

    def add(self, epochs: int) -> None:
        now = self.clock()
        self.samples.append((now, epochs))
        self.total += epochs
        while self.samples and now - self.samples[0][0] > self.WINDOW_S:
            self.total -= self.samples.popleft()[1]

    def rate(self) -> float:
        if not self.samples:
            return 0.0
        span = min(self.WINDOW_S, self.clock() - self.started)
        return self.total / span if span > 0 else 0.0


class Cadence:
    """The frame rate that every session of one worker follows.

    While the worker keeps up, frames go out at MAX_FRAMES_PER_SECOND. When its event loop
    starts to run late (it has more to do than its core can), the rate comes down, to no
    less than MIN_FRAMES_PER_SECOND, and climbs back once the loop is punctual again. Frames
    give way first because training owes its epochs to the clock whatever the frame rate:
    a busy classroom sees every run keep its speed, drawn a little less often, instead of
    every run slowing down.
    """

    LATE_MS = 8.0  # the loop wakes later than this (smoothed): draw less often
    PUNCTUAL_MS = 3.0  # earlier than this: draw more often again
    DOWN, UP = 0.85, 1.04  # multiplicative steps per observation (every LAG_PROBE_S)

    def __init__(
        self,
        max_fps: float | None = None,
        min_fps: float | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.max_fps = max_fps or protocol.MAX_FRAMES_PER_SECOND
        self.min_fps = min_fps or protocol.MIN_FRAMES_PER_SECOND
        self.fps = self.max_fps
        self.clock = clock
        self._floor_since: float | None = None

    def observe(self, lag_ms: float) -> None:
        """One measurement of how late the event loop runs (a moving average, in ms)."""
        if lag_ms > self.LATE_MS:
            self.fps = max(self.min_fps, self.fps * self.DOWN)
        elif lag_ms < self.PUNCTUAL_MS:
            self.fps = min(self.max_fps, self.fps * self.UP)
        if not self.at_floor:
            self._floor_since = None
        elif self._floor_since is None:
            self._floor_since = self.clock()

    def seconds_at_floor(self) -> float:
        """How long frames have been at their floor without the loop catching up."""
        return 0.0 if self._floor_since is None else self.clock() - self._floor_since

    @property
    def period(self) -> float:
        return 1.0 / self.fps

    @property
    def at_floor(self) -> bool:
        return self.fps <= self.min_fps


class Pacer:
    """When a playing session trains and when it may draw.

    Speed n means 60·n epochs a second, owed by the clock whatever the frame rate. Frames
    follow the worker's cadence (at most MAX_FRAMES_PER_SECOND), on a fixed schedule so
    timer latency does not add up. A playing session trains what it owes just before each
    frame (one wake-up per frame, not one per epoch); when the client has no credit for a
    frame (it is slow), it still trains every TRAIN_PERIOD_S, so the pace holds.
    """

    MAX_EPOCHS_PER_CHUNK = 1000  # besides the time limit: a chunk always ends
    MAX_DEBT_S = 0.1  # a machine that cannot keep up trains flat out, without piling up debt
    TRAIN_PERIOD_S = 1 / 30  # the longest a playing session goes without training

    def __init__(
        self, clock: Callable[[], float], chunk_ms: float, cadence: Cadence | None = None
    ) -> None:
        self.clock, self.chunk_s = clock, chunk_ms / 1000.0
        self.cadence = cadence or Cadence()
        self.epochs_per_frame: int | str = 1
        self.meter = EpochMeter(clock)
        self._owed = 0.0
        self._last_tick = self._next_frame_at = clock()

    def restart(self, epochs_per_frame: int | str | None = None) -> None:
        """Start owing epochs from now (on play, or a new speed)."""
        if epochs_per_frame is not None:
            self.epochs_per_frame = epochs_per_frame
        self._owed, self._last_tick = 0.0, self.clock()
        self.meter.restart()

    def _rate(self) -> float:
        return self.epochs_per_frame * protocol.FRAMES_PER_SECOND

    def epochs_due(self, playing: bool) -> tuple[float, float]:
        """(epochs owed now, the time the chunk must end); advances the clock of debts."""
        now = self.clock()
        elapsed, self._last_tick = now - self._last_tick, now
        if not playing:
            return 0.0, now
        if self.epochs_per_frame == "max":
            owed = float("inf")
        else:
            rate = self._rate()
            self._owed = min(self._owed + rate * elapsed, rate * self.MAX_DEBT_S + 1.0)
            owed = self._owed + 1e-9  # float sums of elapsed times
        return min(owed, self.MAX_EPOCHS_PER_CHUNK), now + self.chunk_s

    def trained(self, epochs: int) -> None:
        if self.epochs_per_frame != "max":
            self._owed -= epochs
        self.meter.add(epochs)

    def frame_due(self) -> bool:
        return self.clock() >= self._next_frame_at

    def frame_sent(self) -> None:
        period = self.cadence.period
        self._next_frame_at = max(self._next_frame_at + period, self.clock() - period / 2)

    def idle_seconds(self, playing: bool, frame_wanted: bool, credit: bool) -> float | None:
        """How long the loop may sleep before training or a frame is due (None: until a
        message arrives); 0 means work is due now. `frame_wanted`: something changed and the
        client has credit; `credit`: the client could take a frame now."""
        now = self.clock()
        to_frame = max(0.0, self._next_frame_at - now)
        if not playing:
            return to_frame if frame_wanted else None
        if self.epochs_per_frame == "max":
            return 0.0
        owed = self._owed + self._rate() * (now - self._last_tick)
        to_epoch = max(0.0, (1.0 - owed) / self._rate())
        if frame_wanted:  # e.g. a message changed something: draw it when the frame is due
            return to_frame
        if credit:  # train what is owed right before the next frame
            return max(to_frame, to_epoch)
        return max(to_epoch, self._last_tick + self.TRAIN_PERIOD_S - now)
