"""A lean websocket client for the load benchmark: many clients, little CPU per frame.

A classroom's 40 clients run on 40 laptops; the load benchmark runs them in one process on
the same two cores as the server, so every microsecond the client spends per frame is taken
from the server it measures. This client is an asyncio Protocol that parses frames straight
from the socket's buffer (RFC 6455: unmasked server frames, masked client frames, pings
answered, fragmented messages joined) and leaves the rest to the caller's callbacks.
"""

from __future__ import annotations

import asyncio
import base64
import os
import struct
from collections.abc import Callable

TEXT, BINARY, CLOSE, PING, PONG, CONTINUATION = 0x1, 0x2, 0x8, 0x9, 0xA, 0x0


def mask(payload: bytes, key: bytes) -> bytes:
    """XOR the payload with the repeated 4-byte key, as one big-integer operation."""
    if not payload:
        return payload
    n = len(payload)
    keys = (key * (n // 4 + 1))[:n]
    return (int.from_bytes(payload, "little") ^ int.from_bytes(keys, "little")).to_bytes(
        n, "little"
    )


def encode(opcode: int, payload: bytes) -> bytes:
    """One final, masked client frame."""
    n = len(payload)
    if n < 126:
        head = struct.pack("!BB", 0x80 | opcode, 0x80 | n)
    elif n < 1 << 16:
        head = struct.pack("!BBH", 0x80 | opcode, 0x80 | 126, n)
    else:
        head = struct.pack("!BBQ", 0x80 | opcode, 0x80 | 127, n)
    key = os.urandom(4)
    return head + key + mask(payload, key)


class Client(asyncio.Protocol):
    """One connection. `on_message(opcode, payload)` gets each whole text or binary message;
    `closed` is set (with `error`, if any) when the connection ends."""

    def __init__(self, host: str, path: str, on_message: Callable[[int, bytes], None]) -> None:
        self.host, self.path, self.on_message = host, path, on_message
        self.buffer = bytearray()
        self.upgraded = asyncio.get_running_loop().create_future()
        self.closed = asyncio.Event()
        self.error: str | None = None
        self.transport: asyncio.Transport | None = None
        self._parts: list[bytes] = []
        self._opcode = 0

    # ----- asyncio.Protocol ------------------------------------------------------------

    def connection_made(self, transport: asyncio.Transport) -> None:
        self.transport = transport
        key = base64.b64encode(os.urandom(16)).decode()
        transport.write(
            (
                f"GET {self.path} HTTP/1.1\r\nHost: {self.host}\r\nUpgrade: websocket\r\n"
                f"Connection: Upgrade\r\nSec-WebSocket-Key: {key}\r\n"
                "Sec-WebSocket-Version: 13\r\n\r\n"
            ).encode()
        )

    def data_received(self, data: bytes) -> None:
        self.buffer += data
        if not self.upgraded.done():
            end = self.buffer.find(b"\r\n\r\n")
            if end < 0:
                return
            status = bytes(self.buffer[: self.buffer.find(b"\r\n")])
            del self.buffer[: end + 4]
            if b" 101 " not in status:
                self.fail(f"handshake refused: {status.decode(errors='replace')}")
                return
            self.upgraded.set_result(None)
        self._parse()

    def connection_lost(self, exc: Exception | None) -> None:
        if exc is not None and self.error is None:
            self.error = f"{type(exc).__name__}: {exc}"
        if not self.upgraded.done():
            self.upgraded.set_exception(ConnectionError(self.error or "connection closed"))
        self.closed.set()

    # ----- frames ----------------------------------------------------------------------

    def _parse(self) -> None:
        buffer = self.buffer
        start = 0
        while True:
            available = len(buffer) - start
            if available < 2:
                break
            first, second = buffer[start], buffer[start + 1]
            length, offset = second & 0x7F, 2
            if length == 126:
                if available < 4:
                    break
                length, offset = int.from_bytes(buffer[start + 2 : start + 4], "big"), 4
            elif length == 127:
                if available < 10:
                    break
                length, offset = int.from_bytes(buffer[start + 2 : start + 10], "big"), 10
            if available < offset + length:
                break
            payload = bytes(buffer[start + offset : start + offset + length])
            start += offset + length
            self._frame(first & 0x80, first & 0x0F, payload)
        if start:
            del buffer[:start]

    def _frame(self, fin: int, opcode: int, payload: bytes) -> None:
        if opcode == PING:
            self.send(PONG, payload)
        elif opcode == CLOSE:
            self.send(CLOSE, payload[:2])
            self.transport.close()
        elif opcode in (TEXT, BINARY, CONTINUATION):
            if opcode != CONTINUATION:
                self._opcode, self._parts = opcode, []
            self._parts.append(payload)
            if fin:
                message = self._parts[0] if len(self._parts) == 1 else b"".join(self._parts)
                self._parts = []
                self.on_message(self._opcode, message)

    def send(self, opcode: int, payload: bytes) -> None:
        if self.transport is not None and not self.transport.is_closing():
            self.transport.write(encode(opcode, payload))

    def send_text(self, text: str) -> None:
        self.send(TEXT, text.encode())

    def fail(self, error: str) -> None:
        self.error = error
        if self.transport is not None:
            self.transport.close()

    def close(self) -> None:
        self.send(CLOSE, struct.pack("!H", 1000))
        if self.transport is not None:
            self.transport.close()


async def connect(
    host: str, port: int, path: str, on_message: Callable[[int, bytes], None], timeout: float = 30
) -> Client:
    loop = asyncio.get_running_loop()
    _, client = await asyncio.wait_for(
        loop.create_connection(lambda: Client(f"{host}:{port}", path, on_message), host, port),
        timeout,
    )
    await asyncio.wait_for(client.upgraded, timeout)
    return client
