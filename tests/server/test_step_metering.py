"""A `step` is metered like play (issue 13, item 1): chunks, fair turns, cancellable.

Time is virtual: every session reads a fake clock, the event loop's own clock is that fake
clock, and an epoch of the largest network "costs" what it measured on the issue's machine
(29 ms) by moving the fake clock on. So the tests see what another session would see on a
worker, whatever the speed of the machine that runs them.
"""

from __future__ import annotations

import asyncio
import json
from concurrent.futures import ThreadPoolExecutor

from server import protocol
from server.frames import unpack_header
from server.pacing import Cadence
from server.session import Session
from server.settings import Settings
from server.ws import drive
from tests.server.helpers import FakeClock, of_type, send

LARGEST = {
    "networkShape": [16] * 8, "batchSize": 1, "percTrainData": 90, "x": True, "y": True,
    "xTimesY": True, "xSquared": True, "ySquared": True, "sinX": True, "sinY": True,
}  # fmt: skip
EPOCH_S = 0.029  # one epoch of LARGEST, as measured in the issue


def costly(session: Session, clock: FakeClock, seconds: float) -> Session:
    """Each epoch the session trains moves the fake clock on by `seconds` (and each batch
    by its share of that)."""
    run = session.run
    real_step, real_batch = run.step, run.step_batch

    def step(epochs: int = 1) -> None:
        done, updates = run.batch_position
        real_step(epochs)
        clock.advance(seconds * (epochs - done / max(updates, 1)))

    def step_batch() -> bool:
        finished = real_batch()
        clock.advance(seconds / max(run.batch_position[1], 1))
        return finished

    run.step, run.step_batch = step, step_batch
    return session


def stepping_session(clock: FakeClock, epoch_s: float, **config) -> Session:
    session = Session(Settings(), clock=clock, cadence=Cadence(clock=clock))
    session.start()
    send(session, {"type": "configure", "config": {"seed": "0.5", **config}})
    return costly(session, clock, epoch_s)


def test_a_long_step_trains_a_chunk_per_turn_and_pause_cancels_the_rest():
    clock = FakeClock()
    session = stepping_session(clock, 0.0025)  # 2.5 ms an epoch: a 4 ms chunk ends after two
    replies = send(session, {"type": "step", "epochs": 1000, "seq": 3})
    assert session.run.epoch == 2 and session.steps_owed == 998
    assert not of_type(replies, "state")  # the step is not done yet
    assert session.idle_seconds() == 0.0  # the loop comes back for it after others' turns
    assert session.tick() == 2 and session.run.epoch == 4
    send(session, {"type": "pause"})
    assert session.steps_owed == 0 and session.tick() == 0 and session.run.epoch == 4


def test_a_step_finishes_with_its_state_and_snapshot():
    clock = FakeClock()
    session = stepping_session(clock, 0.002)
    send(session, {"type": "step", "epochs": 5})
    replies = []
    while session.steps_owed:
        session.tick()
        replies += session.take_outbox()
    assert session.run.epoch == 5
    assert of_type(replies, "state")[-1]["playing"] is False
    assert of_type(replies, "snapshot")[-1]["snapshot"]["epoch"] == 5


def test_what_a_flood_of_steps_may_cost_is_bounded_by_what_one_asks():
    """197 × step 1000 used to queue 197 000 epochs: now at most 1000 are ever owed."""
    clock = FakeClock()
    session = stepping_session(clock, 0.002)
    session._bucket.tokens = session._bucket.burst = 1e9
    refused = 0
    for _ in range(197):
        errors = of_type(send(session, {"type": "step", "epochs": 1000}), "error")
        refused += bool(errors) and errors[0]["field"] == "epochs"
        assert session.run.epoch + session.steps_owed <= 1000
    assert refused == 196
    one_too_many = {"type": "step", "epochs": 1001 - session.steps_owed}
    assert "still training" in of_type(send(session, one_too_many), "error")[0]["message"]


def test_a_new_configuration_or_reset_cancels_a_step():
    clock = FakeClock()
    for message in (
        {"type": "configure", "config": {"networkShape": [3]}},
        {"type": "reset"},
        {"type": "play"},
        {"type": "load_hash", "hash": "seed=2"},
    ):
        session = stepping_session(clock, 0.002)
        send(session, {"type": "step", "epochs": 500})
        send(session, message)
        assert session.steps_owed == 0, message


class Socket:
    """What drive() needs of a websocket; frames are acknowledged at once when `acks`."""

    def __init__(self, clock: FakeClock, acks: bool) -> None:
        self.clock, self.acks = clock, acks
        self.inbox: asyncio.Queue = asyncio.Queue()
        self.frames: list[tuple[float, dict]] = []  # (fake time, header)

    def push(self, message: dict) -> None:
        self.inbox.put_nowait({"type": "websocket.receive", "text": json.dumps(message)})

    def close(self) -> None:
        self.inbox.put_nowait({"type": "websocket.disconnect"})

    async def receive(self) -> dict:
        return await self.inbox.get()

    async def send_text(self, text: str) -> None:
        json.loads(text)

    async def send_json(self, message: dict) -> None:
        json.dumps(message)

    async def send_bytes(self, frame: bytes) -> None:
        header = unpack_header(frame)
        self.frames.append((self.clock(), header))
        if self.acks:
            self.push({"type": "ack", "frame": header["frame_id"]})


class VirtualTimeLoop(asyncio.SelectorEventLoop):
    """An event loop whose clock is the fake clock: waiting for a timer moves it on."""

    def __init__(self, clock: FakeClock) -> None:
        super().__init__()
        self.clock = clock
        poll = self._selector.select

        def select(timeout=None):
            events = poll(0)
            if not events and timeout:
                clock.advance(timeout)
            return events

        self._selector.select = select

    def time(self) -> float:
        return self.clock()


def run_virtually(clock: FakeClock, scenario) -> None:
    """Run `scenario()` on a VirtualTimeLoop in a thread of its own."""

    def run() -> None:
        loop = VirtualTimeLoop(clock)
        try:
            loop.run_until_complete(scenario())
        finally:
            loop.close()

    with ThreadPoolExecutor(1) as pool:
        pool.submit(run).result()


def test_a_1000_epoch_step_on_the_largest_network_does_not_delay_another_sessions_frames():
    """Another session on the same worker keeps its frames coming while a 1000-epoch step
    of the largest network trains (it once froze the whole worker for 29 s)."""
    clock = FakeClock()
    cadence = Cadence(clock=clock)
    heavy = costly(Session(Settings(), clock=clock, cadence=cadence), clock, EPOCH_S)
    viewer = Session(Settings(), clock=clock, cadence=cadence)
    result: dict = {}

    async def scenario() -> None:
        heavy_socket, viewer_socket = Socket(clock, acks=True), Socket(clock, acks=True)
        tasks = [
            asyncio.ensure_future(drive(heavy_socket, heavy)),
            asyncio.ensure_future(drive(viewer_socket, viewer)),
        ]
        heavy_socket.push({"type": "configure", "config": {"seed": "0.5", **LARGEST}})
        viewer_socket.push({"type": "play"})
        await asyncio.sleep(1.0)
        started = clock()
        heavy_socket.push({"type": "step", "epochs": 1000})
        await asyncio.sleep(1.0)
        result["trained"] = heavy.run.epoch
        result["frames"] = [t for t, _ in viewer_socket.frames if t >= started]
        result["gaps"] = [
            b - a for a, b in zip([started, *result["frames"]], result["frames"], strict=False)
        ]
        heavy_socket.push({"type": "pause"})
        await asyncio.sleep(0.1)
        result["after_pause"] = heavy.run.epoch
        await asyncio.sleep(0.5)
        result["later"] = heavy.run.epoch
        heavy_socket.close()
        viewer_socket.close()
        await asyncio.gather(*tasks)

    run_virtually(clock, scenario)
    period = 1 / protocol.FRAMES_PER_SECOND  # of the display
    assert result["trained"] >= 10  # the step goes on, a chunk (here some batches) a turn
    assert max(result["gaps"]) <= 2 * period  # a frame every frame period or so
    assert len(result["frames"]) >= 24  # in one second, the frame rate's floor at least
    assert result["later"] == result["after_pause"] < 1000  # the pause cancelled the rest


def test_a_step_that_fails_is_not_retried_on_the_restored_run():
    clock = FakeClock()
    session = stepping_session(clock, 0.0025)
    send(session, {"type": "step", "epochs": 100})

    def broken(epochs: int = 1) -> None:
        raise RuntimeError("a bug")

    session.run.step = broken
    session.tick()
    errors = of_type(session.take_outbox(), "error")
    assert [e["code"] for e in errors] == [protocol.INTERNAL]
    assert session.steps_owed == 0 and session.run.step is not broken
    assert session.tick() == 0  # nothing is owed any more


def test_an_epoch_longer_than_a_chunk_is_trained_batch_by_batch():
    """The largest network with batches of one point: an epoch (29 ms) is longer than a
    chunk (4 ms), so after the first epoch a chunk ends within an epoch, on time."""
    clock = FakeClock()
    session = stepping_session(clock, EPOCH_S, **LARGEST)
    send(session, {"type": "step", "epochs": 3})
    assert session.run.epoch == 1 and abs(session.epoch_s - EPOCH_S) < 1e-9  # too long
    started = clock()
    session.tick()
    assert clock() - started <= 0.004 + EPOCH_S / 450  # one chunk, and one batch at most
    assert session.run.epoch == 1 and 0 < session.run.batch_position[0] < 450
    while session.steps_owed:
        session.tick()
    assert session.run.epoch == 3 and session.run.batch_position[0] == 0
