"""Admission: a full or overloaded worker refuses new sessions with a reason."""

import asyncio
import time
from concurrent.futures import ThreadPoolExecutor

from server.admission import Admission


def run_loop(scenario):
    """asyncio.run in a thread of its own: the browser tests' driver may hold this one's."""
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, scenario()).result()


def test_a_full_worker_refuses_with_a_reason():
    async def scenario():
        admission = Admission(max_sessions=2, max_lag_ms=1000)
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
        admission = Admission(max_sessions=100, max_lag_ms=40)
        admission.acquire()
        for _ in range(40):  # sessions hogging the loop for 5 s: every probe 80 ms late
            await asyncio.sleep(0.05)
            time.sleep(0.08)
        busy = admission.refusal()
        for _ in range(40):  # the load goes away
            await asyncio.sleep(0.05)
        return busy, admission.refusal()

    busy, calm = run_loop(scenario)
    assert busy is not None and "busy" in busy
    assert calm is None


def test_a_burst_of_pages_opening_is_not_a_full_worker():
    """One long stall (many pages connecting at once) slows frames a little but does not
    refuse the next page: only a loop still late after frames gave way is full."""

    async def scenario():
        admission = Admission(max_sessions=100, max_lag_ms=40)
        admission.acquire()
        for _ in range(10):  # forty pages' sessions built in about a second
            await asyncio.sleep(0.05)
            time.sleep(0.1)
        return admission.refusal(), admission.cadence.factor

    refusal, factor = run_loop(scenario)
    assert refusal is None
    assert factor < 1.0  # the worker plans with less of its core while it runs late
