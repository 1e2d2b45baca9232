"""Small clocks of a session: the message-rate token bucket and the epochs-per-second meter."""

from __future__ import annotations

from collections import deque
from collections.abc import Callable


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
