"""Several workers: a class that opens the link at once is spread evenly over them."""

import json
import os
import re
import signal
import socket
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack
from pathlib import Path

from websockets.sync.client import connect

from server.workers import CONNECTION, take_handed
from tests.live_server import free_port
from tests.server.helpers import start_workers, worker_pids


def sessions_per_worker(pids: list[int], port: int) -> dict[int, int]:
    """Open TCP connections to `port` held by each worker (its sockets' inodes in /proc)."""
    established = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        for line in Path(table).read_text().splitlines()[1:]:
            fields = line.split()
            local_port = int(fields[1].rsplit(":", 1)[1], 16)
            if local_port == port and fields[3] == "01":  # 01: ESTABLISHED
                established.add(fields[9])
    counts = {}
    for pid in pids:
        inodes = set()
        for fd in Path(f"/proc/{pid}/fd").iterdir():
            match = re.fullmatch(r"socket:\[(\d+)\]", os.readlink(fd))
            if match:
                inodes.add(match.group(1))
        counts[pid] = len(inodes & established)
    return counts


def open_session(url: str, pages: ExitStack):
    ws = pages.enter_context(connect(url, open_timeout=20))
    assert json.loads(ws.recv(timeout=20))["type"] == "hello"
    return ws


def test_a_class_opening_at_once_is_spread_evenly_over_the_workers():
    port = free_port()
    server = start_workers(port)
    url = f"ws://127.0.0.1:{port}/ws"
    pages = ExitStack()
    try:
        with ThreadPoolExecutor(20) as pool:  # twenty pages at the same moment
            list(pool.map(lambda _: open_session(url, pages), range(20)))
        counts = sessions_per_worker(worker_pids(server.pid), port)
        assert sorted(counts.values()) == [10, 10], counts
    finally:
        pages.close()
        server.send_signal(signal.SIGINT)
        assert server.wait(timeout=30) == 0
    assert not worker_pids(server.pid)  # the workers stopped with it


def test_a_worker_takes_every_connection_waiting_on_its_line_in_one_turn():
    """A burst handed over at once is taken at once, not one connection per turn of the
    worker's event loop (a loop busy training turns slowly: a page's files waited seconds)."""
    parent, line = socket.socketpair()
    line.setblocking(False)
    pairs = [socket.socketpair() for _ in range(5)]
    for _, theirs in pairs:
        socket.send_fds(parent, [CONNECTION], [theirs.fileno()])
    handed, parent_gone = take_handed(line)
    assert len(handed) == 5 and not parent_gone
    for i, ((ours, _), sock) in enumerate(zip(pairs, handed, strict=True)):
        ours.sendall(b"GET /%d" % i)  # each taken socket is the very connection, in order
        sock.setblocking(True)
        assert sock.recv(16) == b"GET /%d" % i
    assert take_handed(line) == ([], False)  # nothing waits: the loop goes on
    parent.close()
    assert take_handed(line) == ([], True)  # the parent is gone: the worker stops
    for sock in [line, *handed, *(s for pair in pairs for s in pair)]:
        sock.close()
