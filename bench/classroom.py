"""A class of 40 playing configuration A, the teacher's dashboard open in Chromium and
spotlighting one student: what the dashboard receives and what it costs the page.

Prints the dashboard's bytes per second (the gallery's JSON and the spotlight's frames apart),
the gallery maps it receives per second (budget ≤ 40), its main-thread time per second (wall
TaskDuration and the renderer main thread's CPU from a Chrome trace), and the students'
frames/s, epochs/s and p95 control→frame latency (their budgets are issue 13's: ≥ 50 frames/s
at 60 epochs/s, p95 ≤ 100 ms, on 2 workers), beside the CPU the server and the dashboard's
Chromium (all its processes) took in the window.

In a classroom the dashboard runs on the teacher's laptop, not on the server; here both share
the same 2 cores. `--dashboard-nice N` starts Chromium at that niceness, so that it takes
what the server leaves (it stands for a browser on another machine, as far as one machine
can).

    python bench/classroom.py --sessions 40 --seconds 30 [--dashboard-nice 19]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import signal
import statistics
import sys
import tempfile
import threading
import time
import urllib.request

from browser import metrics, renderer_cpu_ms
from load import (
    CONFIG_A,
    ClientStats,
    LoadClient,
    cpu_seconds,
    free_port,
    process_stats,
    rawws,
    start_server,
    stats_cpu_seconds,
)
from playwright.sync_api import sync_playwright

from tests.e2e.conftest import CHROMIUM, CHROMIUM_ARGS

MAPS_BUDGET = 40.0
TILES = "(n) => document.querySelectorAll('#gallery .tile').length >= n"


async def student(port: int, code: str, index: int, stats: ClientStats, stop: asyncio.Event):
    page = LoadClient(stats)
    try:
        page.ws = await rawws.connect("127.0.0.1", port, "/ws", page.on_message)
        page.ws.send_text(json.dumps({"type": "load_hash", "hash": CONFIG_A}))
        page.ws.send_text(json.dumps({"type": "join_class", "code": code, "name": f"S{index:02d}"}))
        page.ws.send_text(json.dumps({"type": "speed", "epochs_per_frame": 1}))
        page.ws.send_text(json.dumps({"type": "play", "seq": 1}))
        await asyncio.sleep(1.0)
        page.counting = True
        page.control()
        await stop.wait()
    except Exception as exc:  # a benchmark reports failures, it does not stop on them
        stats.errors.append(f"{type(exc).__name__}: {exc}")
    finally:
        page.close()


def run_class(port: int, code: str, stats: list[ClientStats], stop: threading.Event) -> None:
    async def main():
        done = asyncio.Event()
        tasks = [asyncio.create_task(student(port, code, i, s, done)) for i, s in enumerate(stats)]
        while not stop.is_set():
            await asyncio.sleep(0.1)
        done.set()
        await asyncio.gather(*tasks)

    asyncio.run(main())


class Received:
    """What the dashboard's websocket delivers: bytes of text and of frames, gallery maps."""

    def __init__(self) -> None:
        self.text = self.binary = self.maps = 0
        self.counting = False

    def on_frame(self, payload) -> None:
        if not self.counting:
            return
        if isinstance(payload, bytes):
            self.binary += len(payload)
            return
        self.text += len(payload.encode())
        message = json.loads(payload)
        if message.get("type") == "gallery":
            self.maps += len(message["students"])


CHROMIUM_BINARY = "/usr/lib/chromium/chromium"  # what Debian's /usr/bin/chromium starts


def chromium_cpu_seconds() -> float:
    """User + system CPU seconds of every running process of the Chromium binary."""
    binary = os.path.realpath(CHROMIUM_BINARY)
    return stats_cpu_seconds(
        process_stats(lambda proc, _: os.path.realpath(proc / "exe") == binary)
    )


def niced(executable: str, niceness: int) -> str:
    """A launcher that starts `executable` at `niceness` (kept until the process ends)."""
    handle, path = tempfile.mkstemp(prefix="chromium-nice-", suffix=".sh")
    with os.fdopen(handle, "w") as script:
        script.write(f'#!/bin/sh\nexec nice -n {niceness} {executable} "$@"\n')
    os.chmod(path, 0o755)
    return path


def measure_dashboard(page, browser, received: Received, seconds: float, server_pid: int) -> dict:
    cdp = page.context.new_cdp_session(page)
    cdp.send("Performance.enable")
    browser.start_tracing(
        page=page, categories=["devtools.timeline", "disabled-by-default-devtools.timeline"]
    )
    before, started = metrics(cdp), time.monotonic()
    server_s, chromium_s = cpu_seconds(server_pid), chromium_cpu_seconds()
    received.counting = True
    page.wait_for_timeout(seconds * 1000)
    received.counting = False
    after, window = metrics(cdp), time.monotonic() - started
    server_s, chromium_s = cpu_seconds(server_pid) - server_s, chromium_cpu_seconds() - chromium_s
    cpu_ms, _ = renderer_cpu_ms(browser.stop_tracing())
    return {
        "window": window,
        "text_bps": received.text / window,
        "binary_bps": received.binary / window,
        "maps_per_s": received.maps / window,
        "task_ms_per_s": 1000 * (after["TaskDuration"] - before["TaskDuration"]) / window,
        "cpu_ms_per_s": cpu_ms / window,
        "server_cores": server_s / window,
        "chromium_cores": chromium_s / window,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=40)
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--dashboard-nice", type=int, default=0, metavar="N")
    args = parser.parse_args()
    executable = niced(CHROMIUM, args.dashboard_nice) if args.dashboard_nice else CHROMIUM
    print(f"machine: {os.cpu_count()} cores; load average {os.getloadavg()[0]:.1f}")
    port = free_port()
    server = start_server(port, args.workers, 60)
    stop, stats = threading.Event(), [ClientStats() for _ in range(args.sessions)]
    try:
        request = urllib.request.Request(f"http://127.0.0.1:{port}/class/new", method="POST")
        started = json.load(urllib.request.urlopen(request, timeout=30))
        load = threading.Thread(target=run_class, args=(port, started["code"], stats, stop))
        load.start()
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
            page = browser.new_page(viewport={"width": 1920, "height": 1080})
            received = Received()
            page.on("websocket", lambda ws: ws.on("framereceived", received.on_frame))
            time.sleep(10)  # the class has joined and plays before the dashboard opens
            page.goto(f"http://127.0.0.1:{port}{started['dashboard_path']}", timeout=120_000)
            page.wait_for_function(TILES, arg=args.sessions, timeout=120_000)
            page.locator("#gallery .tile .tile-main").first.click()
            page.wait_for_selector("#network .node", timeout=60_000)
            page.wait_for_timeout(2000)
            for s in stats:  # the students' window starts with the dashboard's
                s.frames, s.latencies_ms, s.first_epoch = 0, [], s.last_epoch
            t0 = time.monotonic()
            figures = measure_dashboard(page, browser, received, args.seconds, server.pid)
            elapsed = time.monotonic() - t0
            browser.close()
        stop.set()
        load.join()
    finally:
        stop.set()
        server.send_signal(signal.SIGINT)
        server.wait(timeout=60)
        if executable != CHROMIUM:
            os.unlink(executable)
    report(figures, stats, elapsed, args)
    return 0 if figures["maps_per_s"] <= MAPS_BUDGET else 1


def report(figures: dict, stats: list[ClientStats], elapsed: float, args) -> None:
    fps = [s.frames / elapsed for s in stats]
    eps = [(s.last_epoch - s.first_epoch) / elapsed for s in stats]
    latencies = sorted(ms for s in stats for ms in s.latencies_ms)
    p95 = latencies[int(0.95 * (len(latencies) - 1))] if latencies else float("nan")
    errors = sum(len(s.errors) for s in stats)
    total = figures["text_bps"] + figures["binary_bps"]
    niceness = f" (Chromium at nice {args.dashboard_nice})" if args.dashboard_nice else ""
    print(f"class of {args.sessions} playing A on {args.workers} workers, the dashboard at "
          f"1920×1080 spotlighting one student{niceness}, {figures['window']:.0f} s:")  # fmt: skip
    print(f"  dashboard receives {total / 1000:.1f} KB/s: gallery "
          f"{figures['text_bps'] / 1000:.1f} KB/s ({figures['maps_per_s']:.1f} maps/s, budget "
          f"≤ {MAPS_BUDGET:.0f}), spotlight frames "
          f"{figures['binary_bps'] / 1000:.1f} KB/s")  # fmt: skip
    print(
        f"  dashboard main thread: {figures['task_ms_per_s']:.0f} ms/s wall (TaskDuration), "
        f"{figures['cpu_ms_per_s']:.0f} ms/s CPU (trace)"
    )
    print(f"  students: frames/s min {min(fps):.1f} median {statistics.median(fps):.1f}; "
          f"epochs/s median {statistics.median(eps):.0f}; p95 control→frame {p95:.0f} ms; "
          f"errors {errors}")  # fmt: skip
    print(f"  CPU in the window: server {figures['server_cores']:.2f} cores, the dashboard's "
          f"Chromium {figures['chromium_cores']:.2f} cores (all its processes)")  # fmt: skip


if __name__ == "__main__":
    sys.exit(main())
