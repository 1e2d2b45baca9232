"""A session's clocks: its training pace and frame cadence, message rate, epochs/s meter."""

from __future__ import annotations

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
        self.started = clock()

    def restart(self) -> None:
        self.samples.clear()
        self.started = self.clock()

    def add(self, epochs: int) -> None:
        now = self.clock()
        self.samples.append((now, epochs))
        while self.samples and now - self.samples[0][0] > self.WINDOW_S:
            self.samples.popleft()

    def rate(self) -> float:
        if not self.samples:
            return 0.0
        now = self.clock()
        span = min(self.WINDOW_S, now - self.started)
        total = sum(epochs for _, epochs in self.samples)
        return total / span if span > 0 else 0.0


class Pacer:
    """When a playing session trains and when it may draw.

    Speed n means 60·n epochs a second, owed by the clock whatever the frame rate; frames
    follow a fixed cadence of MAX_FRAMES_PER_SECOND, so timer latency does not add up.
    """

    MAX_EPOCHS_PER_CHUNK = 1000  # besides the time limit: a chunk always ends
    MAX_DEBT_S = 0.1  # a machine that cannot keep up trains flat out, without piling up debt

    def __init__(self, clock: Callable[[], float], chunk_ms: float) -> None:
        self.clock, self.chunk_s = clock, chunk_ms / 1000.0
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
        period = 1.0 / protocol.MAX_FRAMES_PER_SECOND
        self._next_frame_at = max(self._next_frame_at + period, self.clock() - period / 2)

    def idle_seconds(self, playing: bool, frame_wanted: bool) -> float | None:
        """How long the loop may sleep before an epoch or a frame is due (None: until a
        message arrives); 0 means work is due now."""
        waits = []
        if playing:
            if self.epochs_per_frame == "max":
                return 0.0
            owed = self._owed + self._rate() * (self.clock() - self._last_tick)
            waits.append(max(0.0, (1.0 - owed) / self._rate()))
        if frame_wanted:
            waits.append(max(0.0, self._next_frame_at - self.clock()))
        return min(waits) if waits else None
