"""Class records and their members, kept for a while after the last connection leaves.

A record is a small JSON object: the class code, the digest of the teacher's secret, whether
the class is frozen, its goal, the digest of the data last pushed. Members are student ids
with the time their presence runs out. The same operations run in memory (one worker, or
the parent of several) and in Redis (server/classroom/redis_hub.py).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import time
from collections.abc import Callable

CODE_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"  # no 0/O or 1/I to misread on a board
CODE_LENGTH = 4
CLASS_TTL_S = 3600.0  # a class outlives its last connection by an hour
MEMBER_TTL_S = 30.0  # a member who stops renewing (every few seconds) is gone after this
FULL = -1  # `join`: the class has its limit of members
OPS = ("create", "get", "update", "touch", "join", "leave")


def new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def new_secret() -> str:
    return secrets.token_urlsafe(18)


def secret_digest(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8", "surrogatepass")).hexdigest()


def is_teacher(record: dict | None, secret: object) -> bool:
    """`secret` is the one the class was made with (compared in constant time)."""
    if record is None or not isinstance(secret, str) or len(secret) > 200:
        return False
    return hmac.compare_digest(record["secret"], secret_digest(secret))


def new_record(code: str, secret: str) -> dict:
    return {"code": code, "secret": secret_digest(secret), "frozen": False, "goal": None,
            "data": None}  # fmt: skip


def normalized_code(text: object) -> str | None:
    """A typed code in capitals without spaces, or None if it cannot be one."""
    if not isinstance(text, str):
        return None
    code = text.strip().upper().replace(" ", "")
    if len(code) != CODE_LENGTH or any(c not in CODE_ALPHABET for c in code):
        return None
    return code


class MemoryStore:
    """The records of one process, with an injectable clock."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self.clock = clock
        self.records: dict[str, tuple[dict, float]] = {}  # code → (record, expires)
        self.members: dict[str, dict[str, float]] = {}  # code → member → expires

    def call(self, op: str, args: list):
        if op not in OPS:
            raise ValueError(f"unknown store operation {op!r}")
        return getattr(self, op)(*args)

    def _live(self, code: str) -> dict | None:
        entry = self.records.get(code)
        if entry is None:
            return None
        if entry[1] <= self.clock():
            self.records.pop(code, None)
            self.members.pop(code, None)
            return None
        return entry[0]

    def create(self, code: str, record: dict) -> bool:
        if self._live(code) is not None:
            return False
        self.records[code] = (dict(record), self.clock() + CLASS_TTL_S)
        self.members[code] = {}
        return True

    def get(self, code: str) -> dict | None:
        record = self._live(code)
        return None if record is None else dict(record)

    def update(self, code: str, changes: dict) -> dict | None:
        record = self._live(code)
        if record is None:
            return None
        record.update(changes)
        return dict(record)

    def touch(self, code: str) -> bool:
        record = self._live(code)
        if record is not None:
            self.records[code] = (record, self.clock() + CLASS_TTL_S)
        return record is not None

    def join(self, code: str, member: str, limit: int) -> int | None:
        """Add or renew `member`: the number of members, FULL, or None (no such class)."""
        if self._live(code) is None:
            return None
        now, members = self.clock(), self.members[code]
        for other in [m for m, expires in members.items() if expires <= now]:
            del members[other]
        if member not in members and len(members) >= limit:
            return FULL
        members[member] = now + MEMBER_TTL_S
        self.touch(code)
        return len(members)

    def leave(self, code: str, member: str) -> None:
        self.members.get(code, {}).pop(member, None)
        self.touch(code)
