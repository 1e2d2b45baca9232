"""Admission: a full or overloaded worker refuses new sessions with a reason.

Time is a fake clock: the lag probe's readings are fed in as they would arrive, so the
tests mean the same on an idle and on a busy machine.
"""

import asyncio
from concurrent.futures import ThreadPoolExecutor

from server.admission import LAG_PROBE_S, Admission


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def run_loop(scenario):
    """asyncio.run in a thread of its own: the browser tests' driver may hold this one's."""
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, scenario()).result()


def probes(admission: Admission, clock: Clock, late_ms: float, count: int) -> None:
    """`count` lag probes, each waking `late_ms` after its time."""
    for _ in range(count):
        clock.now += LAG_PROBE_S + late_ms / 1000
        admission.probed(late_ms)


def test_a_full_worker_refuses_with_a_reason():
    async def scenario():
        admission = Admission(max_sessions=2, max_lag_ms=1000, clock=Clock())
        assert admission.refusal() is None
        admission.acquire()
        admission.acquire()
        reason = admission.refusal()
        admission.release()
        return reason, admission.refusal()

    full, after_release = run_loop(scenario)
    assert "full (2 sessions)" in full and after_release is None


def test_an_overloaded_event_loop_refuses_new_sessions_and_recovers():
    async def scenario():
        clock = Clock()
        admission = Admission(max_sessions=100, max_lag_ms=40, clock=clock)
        admission.acquire()
        probes(admission, clock, late_ms=80, count=40)  # sessions hog the loop for 5 s
        busy = admission.refusal()
        probes(admission, clock, late_ms=0, count=40)  # the load goes away
        return busy, admission.refusal()

    busy, calm = run_loop(scenario)
    assert busy is not None and "busy" in busy
    assert calm is None


def test_a_burst_of_pages_opening_is_not_a_full_worker():
    """One long stall (many pages connecting at once) slows frames a little but does not
    refuse the next page: only a loop still late after frames gave way is full."""

    async def scenario():
        clock = Clock()
        admission = Admission(max_sessions=100, max_lag_ms=40, clock=clock)
        admission.acquire()
        probes(admission, clock, late_ms=100, count=10)  # forty pages built in a second
        return admission.refusal(), admission.cadence.factor

    refusal, factor = run_loop(scenario)
    assert refusal is None
    assert factor < 1.0  # the worker plans with less of its core while it runs late
