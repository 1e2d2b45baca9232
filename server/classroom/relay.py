"""Classes across the worker processes of one machine, through the parent that balances them.

Each worker has a second Unix socket to the parent (server/workers.py). On it a worker
subscribes to topics, publishes to them and calls the class store; the parent passes each
message to the other workers subscribed to its topic and keeps the one store. A frame on the
line is a 4-byte length, a kind byte, and its body:

    S topic | U topic                      subscribe, unsubscribe (worker → parent)
    P len16 topic payload                  publish (worker → parent), M the same (parent → worker)
    C {"id", "op", "args"} | R {"id", "result"} or {"id", "error"}   a store call and its reply
"""

from __future__ import annotations

import asyncio
import json
import logging
import socket
import struct
import time
from typing import Any

from server.classroom.hub import Deliver
from server.classroom.store import MemoryStore

log = logging.getLogger("neural_playground.classroom")
LENGTH = struct.Struct(">I")
TOPIC = struct.Struct(">H")
MAX_FRAME = 8 << 20  # a frame or a configuration with its data is far smaller
MAX_BUFFERED = 16 << 20  # a worker this far behind misses messages until it catches up
CALL_TIMEOUT_S = 30.0


def frame(kind: bytes, body: bytes) -> bytes:
    return LENGTH.pack(len(body) + 1) + kind + body


def message_body(topic: str, payload: bytes) -> bytes:
    name = topic.encode()
    return TOPIC.pack(len(name)) + name + payload


def split_message(body: bytes) -> tuple[str, bytes]:
    (size,) = TOPIC.unpack_from(body)
    return body[2 : 2 + size].decode(), body[2 + size :]


def frames_in(buffer: bytearray):
    """Take the whole frames out of `buffer`: (kind, body) pairs."""
    while len(buffer) >= LENGTH.size:
        (size,) = LENGTH.unpack_from(buffer)
        if size < 1 or size > MAX_FRAME:
            raise ValueError(f"a hub frame of {size} bytes")
        if len(buffer) < LENGTH.size + size:
            return
        kind, body = bytes(buffer[4:5]), bytes(buffer[5 : 4 + size])
        del buffer[: 4 + size]
        yield kind, body


# ----- the parent ----------------------------------------------------------------------


class Link:
    """The parent's end of one worker's hub line."""

    def __init__(self, sock: socket.socket) -> None:
        self.sock, self.topics = sock, set()
        self.incoming, self.outgoing = bytearray(), bytearray()
        self.closed = False

    def queue(self, data: bytes, droppable: bool = True) -> None:
        if droppable and len(self.outgoing) > MAX_BUFFERED:
            return
        self.outgoing += data


class Relay:
    """Runs in the parent's selector loop: reads, passes on, answers store calls."""

    def __init__(self, clock=time.monotonic) -> None:
        self.store = MemoryStore(clock)
        self.links: list[Link] = []

    def add(self, sock: socket.socket) -> Link:
        sock.setblocking(False)
        link = Link(sock)
        self.links.append(link)
        return link

    def remove(self, link: Link) -> None:
        link.closed = True
        if link in self.links:
            self.links.remove(link)
        link.sock.close()

    def readable(self, link: Link) -> None:
        try:
            data = link.sock.recv(1 << 16)
        except (BlockingIOError, InterruptedError):
            return
        except OSError:
            data = b""
        if not data:
            self.remove(link)
            return
        link.incoming += data
        try:
            for kind, body in frames_in(link.incoming):
                self._handle(link, kind, body)
        except ValueError as exc:  # a worker that writes junk is a bug: cut its line
            log.error("hub line of a worker dropped: %s", exc)
            self.remove(link)

    def _handle(self, link: Link, kind: bytes, body: bytes) -> None:
        if kind == b"S":
            link.topics.add(body.decode())
        elif kind == b"U":
            link.topics.discard(body.decode())
        elif kind == b"P":
            topic, _ = split_message(body)
            out = frame(b"M", body)
            for other in self.links:
                if other is not link and topic in other.topics:
                    other.queue(out)
        elif kind == b"C":
            link.queue(frame(b"R", self._call(json.loads(body))), droppable=False)

    def _call(self, request: dict) -> bytes:
        try:
            result = {
                "id": request["id"],
                "result": self.store.call(request["op"], request["args"]),
            }
        except (KeyError, TypeError, ValueError) as exc:
            result = {"id": request.get("id"), "error": str(exc)[:200]}
        return json.dumps(result).encode()

    def writable(self, link: Link) -> None:
        try:
            sent = link.sock.send(link.outgoing)
        except (BlockingIOError, InterruptedError):
            return
        except OSError:
            self.remove(link)
            return
        del link.outgoing[:sent]


# ----- a worker ------------------------------------------------------------------------


class ParentTransport:
    """A worker's end of its hub line to the parent."""

    def __init__(self, sock: socket.socket) -> None:
        self.sock = sock
        self.writer: asyncio.StreamWriter | None = None
        self.calls: dict[int, asyncio.Future] = {}
        self._ids = 0
        self._reader_task: asyncio.Task | None = None
        self._pending: list[bytes] = []  # written before the line was open

    async def start(self, deliver: Deliver) -> None:
        self.sock.setblocking(False)
        reader, self.writer = await asyncio.open_unix_connection(sock=self.sock)
        self._reader_task = asyncio.create_task(self._read(reader, deliver))
        for data in self._pending:
            self.writer.write(data)
        self._pending.clear()

    def _write(self, data: bytes, droppable: bool = True) -> None:
        if self.writer is None:
            self._pending.append(data)
        elif not droppable or self.writer.transport.get_write_buffer_size() < MAX_BUFFERED:
            self.writer.write(data)

    async def _read(self, reader: asyncio.StreamReader, deliver: Deliver) -> None:
        try:
            while True:
                (size,) = LENGTH.unpack(await reader.readexactly(LENGTH.size))
                data = await reader.readexactly(size)
                kind, body = data[:1], data[1:]
                if kind == b"M":
                    deliver(*split_message(body))
                elif kind == b"R":
                    self._answer(json.loads(body))
        except (asyncio.IncompleteReadError, ConnectionError):
            log.warning("the hub line to the parent closed; classes stay on this worker")

    def _answer(self, reply: dict) -> None:
        future = self.calls.pop(reply.get("id"), None)
        if future is None or future.done():
            return
        if "error" in reply:
            future.set_exception(RuntimeError(f"class store: {reply['error']}"))
        else:
            future.set_result(reply["result"])

    def publish(self, topic: str, payload: bytes) -> None:
        self._write(frame(b"P", message_body(topic, payload)))

    def subscribe(self, topic: str) -> None:
        self._write(frame(b"S", topic.encode()), droppable=False)

    def unsubscribe(self, topic: str) -> None:
        self._write(frame(b"U", topic.encode()), droppable=False)

    async def call(self, op: str, args: list) -> Any:
        self._ids += 1
        call_id, future = self._ids, asyncio.get_running_loop().create_future()
        self.calls[call_id] = future
        request = json.dumps({"id": call_id, "op": op, "args": args}).encode()
        self._write(frame(b"C", request), droppable=False)
        try:
            return await asyncio.wait_for(future, CALL_TIMEOUT_S)
        finally:
            self.calls.pop(call_id, None)

    async def close(self) -> None:
        if self._reader_task is not None:
            self._reader_task.cancel()
        if self.writer is not None:
            self.writer.close()
