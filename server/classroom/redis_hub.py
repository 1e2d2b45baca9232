"""Classes across machines: the hub's topics as Redis pub/sub channels and the class store
as Redis keys (redis-py's asyncio client), for servers started with `--redis redis://…`.

Keys: np:class:CODE holds the record (JSON) and np:members:CODE a sorted set of student ids
scored by when their presence runs out; both expire an hour after the last connection.
Members' times are wall-clock seconds, shared by every machine of the class.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import time
from typing import Any

import redis.asyncio as aioredis

from server.classroom.hub import Deliver
from server.classroom.store import CLASS_TTL_S, FULL, MEMBER_TTL_S, OPS

log = logging.getLogger("neural_playground.classroom")
PREFIX = "np:"
MAX_QUEUED = 2000  # messages waiting to be published; past it new ones are dropped
_JOIN = """
if redis.call('EXISTS', KEYS[1]) == 0 then return -2 end
redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', ARGV[2])
if not redis.call('ZSCORE', KEYS[2], ARGV[1])
   and redis.call('ZCARD', KEYS[2]) >= tonumber(ARGV[4]) then return -1 end
redis.call('ZADD', KEYS[2], ARGV[3], ARGV[1])
redis.call('EXPIRE', KEYS[1], ARGV[5])
redis.call('EXPIRE', KEYS[2], ARGV[5])
return redis.call('ZCARD', KEYS[2])
"""


class RedisTransport:
    def __init__(self, url: str) -> None:
        self.url = url
        self.client = aioredis.Redis.from_url(url)
        self.pubsub = self.client.pubsub()
        self.topics: set[str] = set()
        self.changed = asyncio.Event()
        self.outgoing: asyncio.Queue[tuple[str, bytes]] = asyncio.Queue(MAX_QUEUED)
        self.tasks: list[asyncio.Task] = []
        self._join_script = self.client.register_script(_JOIN)

    async def start(self, deliver: Deliver) -> None:
        self.tasks = [
            asyncio.create_task(self._listen(deliver)),
            asyncio.create_task(self._send()),
        ]

    def publish(self, topic: str, payload: bytes) -> None:
        with contextlib.suppress(asyncio.QueueFull):  # Redis is slow or gone: drop, not wait
            self.outgoing.put_nowait((PREFIX + topic, payload))

    def subscribe(self, topic: str) -> None:
        self.topics.add(PREFIX + topic)
        self.changed.set()

    def unsubscribe(self, topic: str) -> None:
        self.topics.discard(PREFIX + topic)
        self.changed.set()

    async def _send(self) -> None:
        while True:
            batch = [await self.outgoing.get()]
            while not self.outgoing.empty() and len(batch) < 100:
                batch.append(self.outgoing.get_nowait())
            try:
                async with self.client.pipeline(transaction=False) as pipe:
                    for channel, payload in batch:
                        pipe.publish(channel, payload)
                    await pipe.execute()
            except aioredis.RedisError as exc:
                log.warning("could not publish %d class messages to Redis: %s", len(batch), exc)
                await asyncio.sleep(1.0)

    async def _listen(self, deliver: Deliver) -> None:
        """One task owns the subscribing connection: it applies the topic changes, then
        reads what arrives until the next change."""
        while True:
            try:
                await self._follow_topics()
                if not self.pubsub.subscribed:
                    await self.changed.wait()
                    continue
                message = await self.pubsub.get_message(ignore_subscribe_messages=True, timeout=0.1)
                if message is not None and message["type"] == "message":
                    deliver(message["channel"].decode()[len(PREFIX) :], message["data"])
            except aioredis.RedisError as exc:
                log.warning("Redis subscription failed (%s); retrying", exc)
                await asyncio.sleep(1.0)

    async def _follow_topics(self) -> None:
        if not self.changed.is_set():
            return
        self.changed.clear()
        current = {channel.decode() for channel in self.pubsub.channels}
        if added := self.topics - current:
            await self.pubsub.subscribe(*added)
        if removed := current - self.topics:
            await self.pubsub.unsubscribe(*removed)

    async def call(self, op: str, args: list) -> Any:
        if op not in OPS:
            raise ValueError(f"unknown store operation {op!r}")
        return await getattr(self, "_" + op)(*args)

    async def _create(self, code: str, record: dict) -> bool:
        key = PREFIX + "class:" + code
        created = await self.client.set(key, json.dumps(record), nx=True, ex=int(CLASS_TTL_S))
        return bool(created)

    async def _get(self, code: str) -> dict | None:
        raw = await self.client.get(PREFIX + "class:" + code)
        return None if raw is None else json.loads(raw)

    async def _update(self, code: str, changes: dict) -> dict | None:
        record = await self._get(code)
        if record is None:
            return None
        record.update(changes)
        key = PREFIX + "class:" + code
        await self.client.set(key, json.dumps(record), xx=True, ex=int(CLASS_TTL_S))
        return record

    async def _touch(self, code: str) -> bool:
        async with self.client.pipeline(transaction=False) as pipe:
            pipe.expire(PREFIX + "class:" + code, int(CLASS_TTL_S))
            pipe.expire(PREFIX + "members:" + code, int(CLASS_TTL_S))
            found, _ = await pipe.execute()
        return bool(found)

    async def _join(self, code: str, member: str, limit: int) -> int | None:
        now = time.time()
        keys = [PREFIX + "class:" + code, PREFIX + "members:" + code]
        count = await self._join_script(
            keys, [member, now, now + MEMBER_TTL_S, limit, int(CLASS_TTL_S)]
        )
        return None if count == -2 else (FULL if count == -1 else int(count))

    async def _leave(self, code: str, member: str) -> None:
        await self.client.zrem(PREFIX + "members:" + code, member)

    async def close(self) -> None:
        for task in self.tasks:
            task.cancel()
        for task in self.tasks:
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task
        with contextlib.suppress(Exception):
            await self.pubsub.aclose()
        with contextlib.suppress(Exception):
            await self.client.aclose()
