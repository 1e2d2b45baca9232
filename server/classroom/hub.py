"""The hub: topics a process's connections publish to and subscribe to, and the class store.

Messages reach the subscribers of their own process at once, and go through a transport to
the other processes: none (one worker), the parent process that balances the workers
(server/classroom/relay.py), or Redis pub/sub for a class across machines
(server/classroom/redis_hub.py). Publishing never waits: a message that cannot be carried
is dropped (every message is the latest state of something, and the next one replaces it).
"""

from __future__ import annotations

import json
import logging
import secrets
from collections.abc import Callable
from typing import Any

from server.classroom.store import MemoryStore

log = logging.getLogger("neural_playground.classroom")
Deliver = Callable[[str, bytes], None]


def students_topic(code: str) -> str:
    """The teacher's commands to every student of a class."""
    return f"class:{code}:students"


def gallery_topic(code: str) -> str:
    """Every student's summary, about once a second, for the dashboard."""
    return f"class:{code}:gallery"


def spotlight_topic(code: str) -> str:
    """The spotlit student's configuration and frames."""
    return f"class:{code}:spotlight"


def pack(message: dict | bytes) -> bytes:
    """A hub payload: b"j" and JSON text, or b"b" and a binary frame."""
    if isinstance(message, bytes):
        return b"b" + message
    return b"j" + json.dumps(message, allow_nan=False).encode()


def unpack(payload: bytes) -> dict | bytes:
    return payload[1:] if payload[:1] == b"b" else json.loads(payload[1:])


class LocalTransport:
    """One process on its own: nothing to carry; the store lives here."""

    def __init__(self, store: MemoryStore | None = None) -> None:
        self.store = store or MemoryStore()

    async def start(self, deliver: Deliver) -> None:
        pass

    def publish(self, topic: str, payload: bytes) -> None:
        pass

    def subscribe(self, topic: str) -> None:
        pass

    def unsubscribe(self, topic: str) -> None:
        pass

    async def call(self, op: str, args: list) -> Any:
        return self.store.call(op, args)

    async def close(self) -> None:
        pass


class Subscription:
    def __init__(self, hub: Hub, topic: str, callback: Callable[[dict | bytes], None]) -> None:
        self.hub, self.topic, self.callback = hub, topic, callback

    def close(self) -> None:
        self.hub._remove(self)


class Hub:
    """Local fan-out over a transport; `origin` tells our own messages from the others'."""

    def __init__(self, transport=None) -> None:
        self.transport = transport or LocalTransport()
        self.origin = secrets.token_bytes(8)
        self.subscribers: dict[str, list[Subscription]] = {}
        self._started = False

    async def ready(self) -> Hub:
        if not self._started:
            self._started = True
            await self.transport.start(self._from_transport)
        return self

    def subscribe(self, topic: str, callback: Callable[[dict | bytes], None]) -> Subscription:
        subscription = Subscription(self, topic, callback)
        if topic not in self.subscribers:
            self.subscribers[topic] = []
            self.transport.subscribe(topic)
        self.subscribers[topic].append(subscription)
        return subscription

    def _remove(self, subscription: Subscription) -> None:
        listeners = self.subscribers.get(subscription.topic, [])
        if subscription in listeners:
            listeners.remove(subscription)
        if not listeners and subscription.topic in self.subscribers:
            del self.subscribers[subscription.topic]
            self.transport.unsubscribe(subscription.topic)

    def publish(self, topic: str, message: dict | bytes) -> None:
        payload = pack(message)
        self._deliver(topic, message)
        self.transport.publish(topic, self.origin + payload)

    def _from_transport(self, topic: str, payload: bytes) -> None:
        if payload[:8] == self.origin:  # ours, delivered here already
            return
        try:
            message = unpack(payload[8:])
        except ValueError:
            log.warning("dropped a hub message on %s that is not ours to read", topic)
            return
        self._deliver(topic, message)

    def _deliver(self, topic: str, message: dict | bytes) -> None:
        for subscription in list(self.subscribers.get(topic, ())):
            try:
                subscription.callback(message)
            except Exception:  # one connection's bug must not stop the others' messages
                log.exception("a subscriber of %s failed", topic)

    async def call(self, op: str, *args) -> Any:
        """A store operation (server/classroom/store.py), wherever the store lives."""
        return await self.transport.call(op, list(args))

    async def close(self) -> None:
        await self.transport.close()
