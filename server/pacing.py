"""A session's clocks: its training pace and frame cadence, message rate, epochs/s meter."""

from __future__ import annotations

import random
import statistics
import time
import weakref
from collections import deque
from collections.abc import Callable

from server import protocol

# What a piece of work cost: the CPU time of this thread (the worker's event loop), not the
# wall time, so another process busy on the same cores does not make every session look
# dearer to the plan and to admission (the loop's lag still shrinks the plan then).
cost_clock = time.thread_time


class TokenBucket:
    """`rate` tokens a second on average, `burst` at once; a message takes one token, or
    more when it asks for more work (a large one: see Session.receive)."""

    def __init__(self, rate: float, burst: int, clock: Callable[[], float]) -> None:
        self.rate, self.burst, self.clock = rate, float(burst), clock
        self.tokens, self.updated = float(burst), clock()

    def take(self, tokens: float = 1.0) -> bool:
        now = self.clock()
        self.tokens = min(self.burst, self.tokens + (now - self.updated) * self.rate)
        self.updated = now
        if self.tokens < tokens:
            return False
        self.tokens -= tokens
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
    """How the sessions of one worker share its core: how often they draw, and how much of
    their chosen speed they train.

    Every session measures what its epochs and its frames cost (moving averages of their
    wall time). Every LAG_PROBE_S the worker plans the next moments from those costs: if
    every playing session can train at its chosen speed and draw MAX_FRAMES_PER_SECOND
    within CAPACITY of the core, so be it; otherwise frames come less often first, down to
    SMOOTH_FPS; then every session trains the same smaller share of its chosen speed, down
    to KEEP_SHARE; then frames give way down to MIN_FRAMES_PER_SECOND, and below that
    training alone. The plan's capacity shrinks while the event loop still runs
    late (other processes on the same cores, costs not measured) and grows back when it is
    punctual. A busy classroom keeps a smooth picture and prompt controls, and its runs
    train a little slower (as the reference's runs do when the browser is busy), instead
    of every picture freezing.
    """

    CAPACITY = 0.9  # of one core: what the plan fills, leaving room for messages
    # The loop's lag, as a share of the frame period. A group's epoch (20 A runs: ~5 ms in
    # one call) and a class's drawing (≤ 2 ms) make a loop that keeps up run a few ms late:
    # at 0.5 / 0.2 that alone shrank the plan (a class of 40 at 27-36 frames/s on 1.4-1.7
    # cores, the frame rate swinging 27-75 with the factor); at 0.75 / 0.3, 43-60.
    LATE, PUNCTUAL = 0.75, 0.3
    MIN_FACTOR = 0.3  # the capacity never shrinks below this share of CAPACITY
    # A class too large for its worker: a picture that still moves smoothly (the 30 frames
    # a second issue 16 asks of a class that edited its networks and of 10 sessions of B,
    # and a little over: the slowest session draws 1-2 a second fewer than planned) is
    # worth more than the last third of the chosen speed (40 of 60 epochs a second still
    # trains visibly); only then do frames give way to their floor, and training after
    # them. (36 kept a class of 10 shapes at 36 frames/s and 54-56 epochs/s, but took 10
    # sessions of B, which fit at 30-40 frames/s and full speed, down to 56 epochs/s.)
    SMOOTH_FPS = 32.0
    KEEP_SHARE = 2 / 3
    MIN_SHARE = 0.05
    # Training below this share of its chosen speed: the worker is full. At speed 1 that
    # is fewer epochs, and so fewer frames, than MIN_FRAMES_PER_SECOND.
    FULL_SHARE = protocol.MIN_FRAMES_PER_SECOND / protocol.FRAMES_PER_SECOND
    # For admission (`fits`): what a frame costs the worker besides packing it (sending it,
    # reading its ack, the loop's turns), from the load figures in docs/performance.md:
    # 40 sessions on 2 workers took 0.68 ms of worker CPU a frame with its epoch (1.62
    # cores for 2 400 of each a second), of which ~0.13 packing and ~0.3-0.4 the epoch.
    # (0.8 ms, from an earlier engine, admitted 21 a worker; 52 sessions admitted with 0.4
    # played at 27 frames/s and 57 epochs/s, above the floor.)
    FRAME_OVERHEAD_S = 0.0004
    # A session not measured yet costs what the measured ones cost (their median), or
    # configuration A's epoch and frame on a busy 2-core machine when none is measured.
    TYPICAL_EPOCH_S, TYPICAL_FRAME_S = 0.0007, 0.00025

    def __init__(
        self,
        max_fps: float | None = None,
        min_fps: float | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.max_fps = max_fps or protocol.MAX_FRAMES_PER_SECOND
        self.min_fps = min_fps or protocol.MIN_FRAMES_PER_SECOND
        self.fps = self.max_fps
        self.share = 1.0  # of each session's chosen training speed
        self.factor = 1.0  # of CAPACITY, lowered while the loop runs late
        self.clock = clock
        self.pacers: weakref.WeakSet[Pacer] = weakref.WeakSet()
        self._full_since: float | None = None

    def observe(self, lag_ms: float) -> None:
        """One measurement of how late the event loop runs (a moving average, in ms)."""
        period_ms = 1000.0 / self.fps
        if lag_ms > self.LATE * period_ms:
            self.factor = max(self.MIN_FACTOR, self.factor * 0.97)
        elif lag_ms < self.PUNCTUAL * period_ms:
            self.factor = min(1.0, self.factor * 1.02)
        self.plan()

    def plan(self) -> None:
        """Frame rate and training share that fit the playing sessions' measured costs."""
        playing = [(pacer, pacer.demand()) for pacer in list(self.pacers)]
        demands = [demand for _, demand in playing if demand is not None]
        floors = [p.frame_floor for p, d in playing if d is not None and p.frame_floor]
        self.fps, self.share = self._fit(demands, max([self.min_fps, *floors]))
        now = self.clock()
        self._full_since = (self._full_since or now) if self.share < self.FULL_SHARE else None

    def _fit(
        self, demands: list[tuple[float, float, float]], floor: float | None = None
    ) -> tuple[float, float]:
        """(frames a second, share of the chosen speeds) for sessions that each need
        (seconds a second to train at the chosen speed, seconds per frame, the chosen
        speed in epochs a second); frames give way first, down to SMOOTH_FPS, then
        training down to KEEP_SHARE, then frames down to `floor` a second (min_fps, or a
        playing session's own higher floor: a race's), then training."""
        min_fps = min(self.max_fps, floor or self.min_fps)
        smooth_fps = min(self.max_fps, max(min_fps, self.SMOOTH_FPS))
        training = sum(d[0] for d in demands)  # seconds a second at full speed
        frames = sum(d[1] for d in demands)  # seconds per frame-per-second
        slowest = min((d[2] for d in demands), default=float("inf"))  # epochs a second
        capacity = self.CAPACITY * self.factor
        if training + frames * self.max_fps <= capacity:
            return self.max_fps, 1.0
        if training + frames * smooth_fps <= capacity:
            return (capacity - training) / frames, 1.0
        if training and frames:
            share = (capacity - frames * smooth_fps) / training
            if share >= self.KEEP_SHARE and slowest * share >= smooth_fps:
                return smooth_fps, share
            fps = (capacity - training * self.KEEP_SHARE) / frames
            if fps >= min_fps and slowest * self.KEEP_SHARE >= fps:
                return fps, self.KEEP_SHARE
        spare = capacity - frames * min_fps
        share = min(1.0, max(self.MIN_SHARE, spare / training if training else 1.0))
        if slowest * share >= min_fps:
            return min_fps, share
        # A playing session draws only after a new epoch: frames cannot outnumber the
        # slowest run's epochs, so frames and epochs share the core one to one.
        share = max(self.MIN_SHARE, capacity / (training + slowest * frames))
        return max(1.0, slowest * share), share

    def fits(self, sessions: int) -> bool:
        """Whether `sessions` sessions (a newcomer among them) could all play at once and
        still train FULL_SHARE of their chosen speed: admission decides from the capacity
        the worker will have once everyone plays, not from the lag it measures before the
        newcomers start (a class that joins at once would all be admitted, then crawl)."""
        costs = [pacer.costs() for pacer in list(self.pacers)]
        epoch = _median([c[0] for c in costs if c[0] is not None], self.TYPICAL_EPOCH_S)
        frame = _median([c[1] for c in costs if c[1] is not None], self.TYPICAL_FRAME_S)
        speed_1 = float(protocol.FRAMES_PER_SECOND)
        costs += [(None, None, speed_1)] * max(1, sessions - len(costs))
        demands = [
            (rate * (e or epoch), (f or frame) + self.FRAME_OVERHEAD_S, rate)
            for e, f, rate in costs
        ]
        return self._fit(demands)[1] >= self.FULL_SHARE

    @property
    def period(self) -> float:
        return 1.0 / self.fps

    def seconds_full(self) -> float:
        """How long sessions have trained at less than FULL_SHARE of their chosen speed."""
        return 0.0 if self._full_since is None else self.clock() - self._full_since


def _median(values: list[float], default: float) -> float:
    return statistics.median(values) if values else default


class Cost:
    """A moving average of one kind of work's CPU time (cost_clock), in seconds: the mean
    of the first SAMPLES (so a first epoch that compiled its program, or ran with cold
    caches, weighs no more than any other once a few follow), then an exponential average."""

    WEIGHT = 0.05
    SAMPLES = round(1 / WEIGHT)

    def __init__(self) -> None:
        self.seconds: float | None = None
        self._count = 0  # samples averaged, up to SAMPLES

    def add(self, seconds: float, count: int = 1) -> None:
        if count <= 0:
            return
        each = seconds / count
        self._count = min(self._count + min(count, 10), self.SAMPLES)
        if self.seconds is None:
            self.seconds = each
        else:
            weight = max(self.WEIGHT * min(count, 10), min(count, 10) / self._count)
            self.seconds += min(1.0, weight) * (each - self.seconds)


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
        self.cadence.pacers.add(self)
        self.epochs_per_frame: int | str = 1
        self.meter = EpochMeter(clock)
        self.playing = False
        self.epoch_cost, self.frame_cost = Cost(), Cost()
        # Frames a second this session needs while it plays, if more than the worker's
        # floor (a race: server/racing.py); the worker's frames give way only down to it.
        self.frame_floor: float | None = None
        self._part_s = 0.0  # training time of an epoch not finished yet
        self._owed = 0.0
        self._last_tick = self._next_frame_at = clock()

    def restart(self, epochs_per_frame: int | str | None = None) -> None:
        """Start owing epochs from now (on play, or a new speed).

        The first frame and the first epoch come at random points of their periods: a
        class that presses play together would otherwise wake all at the same instants, and
        a worker would see bursts of work (and lag) with time to spare between them.
        """
        if epochs_per_frame is not None:
            self.epochs_per_frame = epochs_per_frame
        self._owed, self._last_tick = random.random(), self.clock()
        self._next_frame_at = self._last_tick + random.uniform(0.0, self.cadence.period)
        self.meter.restart()

    def _chosen_rate(self) -> float:
        """Epochs a second at the chosen speed (a set speed, not "max")."""
        return self.epochs_per_frame * protocol.FRAMES_PER_SECOND

    def _rate(self) -> float:
        """Epochs a second: the chosen speed, times the worker's share when it is busy."""
        return self._chosen_rate() * self.cadence.share

    def epochs_due(self) -> tuple[float, float]:
        """(epochs owed now, the time the chunk must end); advances the clock of debts."""
        now = self.clock()
        elapsed, self._last_tick = now - self._last_tick, now
        if not self.playing:
            return 0.0, now
        if self.epochs_per_frame == "max":
            owed = float("inf")
        else:
            rate = self._rate()
            self._owed = min(self._owed + rate * elapsed, rate * self.MAX_DEBT_S + 1.0)
            owed = self._owed + 1e-9  # float sums of elapsed times
        return min(owed, self.MAX_EPOCHS_PER_CHUNK), now + self.chunk_s * self.cadence.share

    def chunk_deadline(self) -> float:
        """When a chunk of work started now must end: chunk_ms, times the worker's share."""
        return self.clock() + self.chunk_s * self.cadence.share

    def trained(self, epochs: int, seconds: float = 0.0) -> None:
        """`epochs` were trained in `seconds`; the time of a part of an epoch (a race's
        lanes before the last: Session.train_piece) counts with the epoch it ends in."""
        if self.epochs_per_frame != "max":
            self._owed -= epochs
        self.meter.add(epochs)
        self._part_s += seconds
        if epochs:
            self.epoch_cost.add(self._part_s, epochs)
            self._part_s = 0.0

    def demand(self) -> tuple[float, float, float] | None:
        """(seconds a second to train at the chosen speed, seconds per frame, the chosen
        speed in epochs a second), while playing at a set speed with both costs known;
        None otherwise. At "max" a session takes what is left, in chunks of chunk_ms · share.
        """
        if not self.playing or self.epochs_per_frame == "max":
            return None
        epoch, frame = self.epoch_cost.seconds, self.frame_cost.seconds
        if epoch is None or frame is None:
            return None
        rate = self._chosen_rate()
        return rate * epoch, frame, rate

    def costs(self) -> tuple[float | None, float | None, float]:
        """(an epoch's cost, a frame's cost, the chosen speed in epochs a second, "max"
        counting as speed 1): what this session will need once it plays."""
        rate = self._chosen_rate() if self.epochs_per_frame != "max" else protocol.FRAMES_PER_SECOND
        return self.epoch_cost.seconds, self.frame_cost.seconds, float(rate)

    def frame_due(self) -> bool:
        return self.clock() >= self._next_frame_at

    def frame_now(self) -> None:
        """The next frame is due at once (it shows a change the user made)."""
        self._next_frame_at = min(self._next_frame_at, self.clock())

    def frame_sent(self, seconds: float | None = 0.0) -> None:
        """A frame went out; it took `seconds` (None: a cost that says nothing of the next
        frames', such as a session's first, with cold caches)."""
        if seconds is not None:
            self.frame_cost.add(seconds)
        period = self.cadence.period
        self._next_frame_at = max(self._next_frame_at + period, self.clock() - period / 2)

    def idle_seconds(self, frame_wanted: bool, credit: bool) -> float | None:
        """How long the loop may sleep before training or a frame is due (None: until a
        message arrives); 0 means work is due now. `frame_wanted`: something changed and the
        client has credit; `credit`: the client could take a frame now."""
        now = self.clock()
        to_frame = max(0.0, self._next_frame_at - now)
        if not self.playing:
            return to_frame if frame_wanted else None
        if self.epochs_per_frame == "max":
            return 0.0
        owed = self._owed + self._rate() * (now - self._last_tick)
        if owed >= 1.0:
            return 0.0  # epochs are owed now (a chunk ended on its time limit): train on
        to_epoch = (1.0 - owed) / self._rate()
        if frame_wanted:  # e.g. a message changed something: draw it when the frame is due
            return to_frame
        if credit:  # train what is owed right before the next frame
            return max(to_frame, to_epoch)
        return max(to_epoch, self._last_tick + self.TRAIN_PERIOD_S - now)
