"""Several worker processes behind one port, each new connection to the least busy worker.

uvicorn's own `--workers` shares one listening socket among the workers, and whichever
worker wakes first takes every connection that is waiting. A classroom opens the link at
once, so most sessions landed on one worker while the other core idled (40 connections at
once were split 39/1, 31/9 and 35/5 in three tries). Sessions are long and busy, so that
split decides whether a class runs smoothly.

Here the parent process accepts every connection and hands it, as a file descriptor over a
Unix socket, to the worker with the fewest live sessions (connections handed over in the
last second count too, so a burst alternates). Each worker is an ordinary uvicorn server
that serves the connections it is given and tells the parent when a session starts and
ends. A second line to each worker carries its classes (server/classroom/relay.py): the
parent passes class messages between workers and keeps the class store, so a class may
span them. A worker that dies is replaced, and stopping the parent (Ctrl+C, SIGTERM) stops the
workers gracefully, as with uvicorn's supervisor.
"""

from __future__ import annotations

import asyncio
import logging
import multiprocessing
import os
import selectors
import signal
import socket
import time
from collections import deque
from dataclasses import dataclass, field

from server.classroom.relay import Link, Relay

log = logging.getLogger("neural_playground.workers")

RECENT_S = 1.0  # a connection handed over this recently counts as a session
SESSION_START, SESSION_END, CONNECTION = b"+", b"-", b"c"
STOP_TIMEOUT_S = 10.0

_channel: socket.socket | None = None  # in a worker: the line to the parent
_hub_line: socket.socket | None = None  # in a worker: the classes' line to the parent


def hub_line() -> socket.socket | None:
    """In a worker: its end of the classes' line to the parent (None without a parent)."""
    return _hub_line


def report(message: bytes) -> None:
    """In a worker: tell the parent a session started or ended (no-op without a parent)."""
    if _channel is not None:
        try:
            _channel.send(message)
        except OSError:  # the parent is gone or not reading: balancing is best effort
            pass


# ----- the parent ----------------------------------------------------------------------


@dataclass
class Worker:
    process: multiprocessing.process.BaseProcess
    channel: socket.socket
    link: Link | None = None
    sessions: int = 0
    handed: deque[float] = field(default_factory=deque)

    def load(self, now: float) -> int:
        while self.handed and now - self.handed[0] > RECENT_S:
            self.handed.popleft()
        return self.sessions + len(self.handed)


class Balancer:
    """Accepts on (host, port) and spreads connections over `count` uvicorn workers."""

    def __init__(self, uvicorn_options: dict, host: str, port: int, count: int) -> None:
        self.options, self.host, self.port, self.count = uvicorn_options, host, port, count
        self.context = multiprocessing.get_context("spawn")
        self.selector = selectors.DefaultSelector()
        self.workers: list[Worker] = []
        self.stopping = False
        self._next = 0
        self.relay = Relay()

    def run(self) -> int:
        level = str(self.options.get("log_level", "info")).upper()
        logging.basicConfig(level=level, format="%(levelname)s:     %(message)s")
        family = socket.AF_INET6 if ":" in self.host else socket.AF_INET
        try:
            listener = socket.create_server((self.host, self.port), family=family, backlog=2048)
        except OSError as exc:
            log.error("cannot listen on %s port %d: %s", self.host, self.port, exc)
            return 1
        log.info("%d workers; each new connection goes to the least busy one", self.count)
        listener.setblocking(False)
        self.selector.register(listener, selectors.EVENT_READ, None)
        for signum in (signal.SIGINT, signal.SIGTERM):
            signal.signal(signum, self._on_signal)
        self.workers = [self._spawn() for _ in range(self.count)]
        try:
            while not self.stopping:
                for key, events in self.selector.select(timeout=0.5):
                    if key.data is None:
                        self._accept(listener)
                    elif isinstance(key.data, Link):
                        self._relay(key.data, events)
                    else:
                        self._hear(key.data)
                self._watch_links()
                self._replace_dead()
        finally:
            listener.close()
            self._stop_all()
        return 0

    def _on_signal(self, signum: int, frame) -> None:
        self.stopping = True

    def _spawn(self) -> Worker:
        parent_end, child_end = socket.socketpair()
        hub_end, child_hub_end = socket.socketpair()
        process = self.context.Process(
            target=worker_main,
            args=(self.options, child_end, child_hub_end),
            name="neural-playground-worker",
        )
        process.start()
        child_end.close()
        child_hub_end.close()
        parent_end.setblocking(False)
        worker = Worker(process, parent_end, self.relay.add(hub_end))
        self.selector.register(parent_end, selectors.EVENT_READ, worker)
        self.selector.register(hub_end, selectors.EVENT_READ, worker.link)
        return worker

    def _relay(self, link: Link, events: int) -> None:
        if events & selectors.EVENT_READ:
            self.relay.readable(link)
        if events & selectors.EVENT_WRITE and not link.closed:
            self.relay.writable(link)
        if link.closed and link.sock in self._registered():  # the worker's line closed
            self.selector.unregister(link.sock)

    def _watch_links(self) -> None:
        """Write interest only for the links with bytes waiting (else select spins)."""
        for worker in self.workers:
            link = worker.link
            if link is None or link.closed:
                continue
            want = selectors.EVENT_READ | (selectors.EVENT_WRITE if link.outgoing else 0)
            if self.selector.get_key(link.sock).events != want:
                self.selector.modify(link.sock, want, link)

    def _forget(self, worker: Worker) -> None:
        registered = self._registered()
        if worker.channel.fileno() >= 0 and worker.channel in registered:
            self.selector.unregister(worker.channel)
        worker.channel.close()
        link = worker.link
        if link is not None:
            if link.sock in registered:
                self.selector.unregister(link.sock)
            self.relay.remove(link)

    def _registered(self) -> set:
        return {key.fileobj for key in self.selector.get_map().values()}

    def _replace_dead(self) -> None:
        for i, worker in enumerate(self.workers):
            if not worker.process.is_alive() and not self.stopping:
                log.warning(
                    "worker %s ended (exit code %s); starting a new one",
                    worker.process.pid,
                    worker.process.exitcode,
                )
                self._forget(worker)
                self.workers[i] = self._spawn()

    def _hear(self, worker: Worker) -> None:
        try:
            data = worker.channel.recv(4096)
        except BlockingIOError:
            return
        except OSError:
            data = b""
        if not data:  # the worker is gone; _replace_dead starts another
            self._forget(worker)
            return
        worker.sessions = max(0, worker.sessions + data.count(SESSION_START))
        worker.sessions = max(0, worker.sessions - data.count(SESSION_END))

    def _accept(self, listener: socket.socket) -> None:
        while True:
            try:
                connection, _ = listener.accept()
            except (BlockingIOError, InterruptedError):
                return
            except OSError as exc:  # e.g. out of file descriptors: keep serving the others
                log.warning("could not accept a connection: %s", exc)
                return
            with connection:
                connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
                self._hand(connection)

    def _hand(self, connection: socket.socket) -> None:
        """Give the connection to the least loaded live worker (ties take turns)."""
        now = time.monotonic()
        order = self.workers[self._next :] + self.workers[: self._next]
        self._next = (self._next + 1) % len(self.workers)
        for worker in sorted(order, key=lambda w: w.load(now)):
            if not worker.process.is_alive():
                continue
            try:
                socket.send_fds(worker.channel, [CONNECTION], [connection.fileno()])
            except OSError:  # its line is full or closed: the next worker takes it
                continue
            worker.handed.append(now)
            return
        log.warning("no worker could take a connection; it was closed")

    def _stop_all(self) -> None:
        for worker in self.workers:
            if worker.process.is_alive():
                os.kill(worker.process.pid, signal.SIGTERM)
        deadline = time.monotonic() + STOP_TIMEOUT_S
        for worker in self.workers:
            worker.process.join(max(0.1, deadline - time.monotonic()))
            if worker.process.is_alive():
                worker.process.kill()
                worker.process.join()
            worker.channel.close()


# ----- a worker ------------------------------------------------------------------------


def worker_main(options: dict, channel: socket.socket, hub: socket.socket) -> None:
    """A worker process: a uvicorn server fed with the connections the parent hands over."""
    import uvicorn

    global _channel, _hub_line
    os.setpgrp()  # Ctrl+C in a terminal reaches the parent only, which stops us gracefully
    _channel, _hub_line = channel, hub
    config = uvicorn.Config(**options)
    server = uvicorn.Server(config)
    with asyncio.Runner(loop_factory=config.get_loop_factory()) as runner:  # uvicorn >= 0.36
        runner.run(_serve(server, channel))


def take_handed(channel: socket.socket) -> tuple[list[socket.socket], bool]:
    """The connections handed over and not yet taken, and whether the parent is gone. A read
    brings one descriptor, so this reads until the line is empty: one connection per turn of
    a busy loop left a burst (a class opening the link) waiting, a page's files behind it."""
    handed: list[socket.socket] = []
    while True:
        try:
            data, fds, _, _ = socket.recv_fds(channel, 1024, 64)
        except (BlockingIOError, InterruptedError):
            return handed, False
        except OSError:
            data, fds = b"", []
        for fd in fds:
            sock = socket.socket(fileno=fd)
            sock.setblocking(False)
            handed.append(sock)
        if not data:
            return handed, True


async def _serve(server, channel: socket.socket) -> None:
    loop = asyncio.get_running_loop()
    serving = asyncio.create_task(server.serve(sockets=[]))
    while not server.started:
        if serving.done():
            return await serving
        await asyncio.sleep(0.01)
    config = server.config

    def protocol():
        return config.http_protocol_class(
            config=config, server_state=server.server_state, app_state=server.lifespan.state
        )

    async def take(sock: socket.socket) -> None:
        try:
            await loop.connect_accepted_socket(protocol, sock)
        except OSError:
            sock.close()

    def on_channel() -> None:
        handed, parent_gone = take_handed(channel)
        for sock in handed:
            loop.create_task(take(sock))
        if parent_gone:  # finish the sessions we have and stop
            loop.remove_reader(channel.fileno())
            server.should_exit = True

    channel.setblocking(False)
    loop.add_reader(channel.fileno(), on_channel)
    try:
        await serving
    finally:
        loop.remove_reader(channel.fileno())
