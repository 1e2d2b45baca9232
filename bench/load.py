"""Load benchmark: N real websocket clients play configuration A against a real server.

Prints frames/s per client (min, median), the p95 latency from a control message to the
first frame that reflects it, errors, and the server's memory before and after.

    python bench/load.py --sessions 40 --seconds 60 --workers 2
    python bench/load.py --find-max          # the largest classroom within the budgets
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import signal
import socket
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from websockets.asyncio.client import connect

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from server.frames import unpack_header  # noqa: E402

CONFIG_A = (
    "dataset=circle&noise=0&percTrainData=50&x=true&y=true&networkShape=4,2"
    "&activation=tanh&batchSize=10&seed=0.5"
)
CONTROL_EVERY_S = 0.5
COMPRESSION = "deflate"  # what a browser negotiates; --no-compression to compare
BUDGET_FPS, BUDGET_P95_MS = 20.0, 150.0


@dataclass
class ClientStats:
    frames: int = 0
    latencies_ms: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    last_epoch: int = 0


async def client(url: str, seconds: float, stats: ClientStats, start: asyncio.Event) -> None:
    try:
        async with connect(url, max_size=2**24, open_timeout=30, compression=COMPRESSION) as ws:
            await ws.send(json.dumps({"type": "load_hash", "hash": CONFIG_A}))
            await ws.send(json.dumps({"type": "speed", "epochs_per_frame": 1}))
            await start.wait()
            await ws.send(json.dumps({"type": "play", "seq": 1}))
            await run_client(ws, seconds, stats)
    except Exception as exc:  # a benchmark reports failures, it does not stop on them
        stats.errors.append(f"{type(exc).__name__}: {exc}")


async def run_client(ws, seconds: float, stats: ClientStats) -> None:
    seq, sent_at = 1, {}
    end = time.monotonic() + seconds
    next_control = time.monotonic() + CONTROL_EVERY_S
    while time.monotonic() < end:
        now = time.monotonic()
        if now >= next_control:
            seq += 1
            rate = 0.03 if seq % 2 else 0.01
            sent_at[seq] = now
            await ws.send(
                json.dumps({"type": "configure", "config": {"learningRate": rate}, "seq": seq})
            )
            next_control = now + CONTROL_EVERY_S
        try:
            message = await asyncio.wait_for(ws.recv(), timeout=max(0.01, next_control - now))
        except TimeoutError:
            continue
        if isinstance(message, bytes):
            header = unpack_header(message)
            await ws.send(json.dumps({"type": "ack", "frame": header["frame_id"]}))
            stats.frames += 1
            stats.last_epoch = header["epoch"]
            for waiting in [s for s in sent_at if s <= header["last_seq"]]:
                stats.latencies_ms.append((time.monotonic() - sent_at.pop(waiting)) * 1000)
        else:
            data = json.loads(message)
            if data["type"] == "error":
                stats.errors.append(data["message"])


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def rss_mb(pid: int) -> float:
    """Resident memory of the server and its worker processes."""
    total = 0
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            status = (proc / "status").read_text()
        except OSError:
            continue
        fields = dict(line.split(":", 1) for line in status.splitlines() if ":" in line)
        if int(proc.name) == pid or fields.get("PPid", "").strip() == str(pid):
            total += int(fields.get("VmRSS", "0 kB").split()[0])
    return total / 1024


def start_server(port: int, workers: int, max_sessions: int) -> subprocess.Popen:
    command = [
        sys.executable,
        "-m",
        "server",
        "--port",
        str(port),
        "--workers",
        str(workers),
        "--log-level",
        "warning",
        "--max-sessions",
        str(max_sessions),
    ]
    proc = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.DEVNULL)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                time.sleep(1.0 * workers)  # let every worker come up
                return proc
        time.sleep(0.1)
    proc.kill()
    raise RuntimeError("the server did not start")


async def load(url: str, sessions: int, seconds: float) -> list[ClientStats]:
    stats = [ClientStats() for _ in range(sessions)]
    start = asyncio.Event()
    tasks = [asyncio.create_task(client(url, seconds, s, start)) for s in stats]
    await asyncio.sleep(2.0)  # every client connected and configured
    start.set()
    await asyncio.gather(*tasks)
    return stats


def measure(sessions: int, seconds: float, workers: int) -> dict:
    port = free_port()
    server = start_server(port, workers, max_sessions=max(60, sessions))
    try:
        before = rss_mb(server.pid)
        stats = asyncio.run(load(f"ws://127.0.0.1:{port}/ws", sessions, seconds))
        after = rss_mb(server.pid)
    finally:
        server.send_signal(signal.SIGINT)
        server.wait(timeout=30)
    rates = [s.frames / seconds for s in stats]
    latencies = sorted(x for s in stats for x in s.latencies_ms)
    p95 = latencies[int(0.95 * (len(latencies) - 1))] if latencies else float("nan")
    errors = [e for s in stats for e in s.errors]
    result = {
        "sessions": sessions,
        "workers": workers,
        "seconds": seconds,
        "fps_min": min(rates),
        "fps_median": statistics.median(rates),
        "epochs_per_s_median": statistics.median(s.last_epoch / seconds for s in stats),
        "p95_ms": p95,
        "errors": len(errors),
        "first_error": errors[0] if errors else "",
        "rss_before_mb": before,
        "rss_after_mb": after,
    }
    report(result)
    return result


def within_budget(result: dict) -> bool:
    return (
        result["fps_min"] >= BUDGET_FPS
        and result["p95_ms"] <= BUDGET_P95_MS
        and result["errors"] == 0
    )


def report(result: dict) -> None:
    verdict = "within budget" if within_budget(result) else "OVER BUDGET"
    r = result
    print(
        f"{r['sessions']:3d} sessions, {r['workers']} workers, {r['seconds']:.0f} s: "
        f"frames/s min {r['fps_min']:.1f} median {r['fps_median']:.1f} "
        f"(budget ≥ {BUDGET_FPS:.0f}); "
        f"p95 control→frame {result['p95_ms']:.0f} ms (budget ≤ {BUDGET_P95_MS:.0f}); "
        f"epochs/s median {result['epochs_per_s_median']:.0f}; errors {result['errors']}"
        f"{' (' + result['first_error'] + ')' if result['errors'] else ''}; "
        f"server RSS {result['rss_before_mb']:.0f} → {result['rss_after_mb']:.0f} MB — {verdict}",
        flush=True,
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=40)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--find-max", action="store_true", help="the largest N within budget")
    parser.add_argument("--step", type=int, default=10, help="N's step for --find-max")
    args = parser.parse_args()
    print(f"machine: {os.cpu_count()} cores; python {sys.version.split()[0]}")
    if not args.find_max:
        return 0 if within_budget(measure(args.sessions, args.seconds, args.workers)) else 1
    # Grow from --sessions while the budgets hold, or shrink until they do.
    results = {}
    sessions = args.sessions
    while 0 < sessions <= 400:
        ok = results[sessions] = within_budget(measure(sessions, args.seconds, args.workers))
        if ok and sessions + args.step not in results:
            sessions += args.step
        elif not ok and sessions - args.step not in results:
            sessions -= args.step
        else:
            break
    passing = [n for n, ok in results.items() if ok]
    best = max(passing) if passing else 0
    print(f"largest classroom within the budgets: {best} sessions on {args.workers} workers")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
