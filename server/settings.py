"""Server settings: limits and options, passed to worker processes through the environment."""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass, field

ENV_KEY = "NEURAL_PLAYGROUND_SETTINGS"


@dataclass(frozen=True)
class Settings:
    """Everything a worker needs to know that is not in the engine's registries."""

    max_sessions: int = 60  # per process; a classroom of 40 fits with room to spare
    max_message_bytes: int = 1_000_000  # a restore carries data and weights; CSV-sized
    max_messages_per_second: float = 60.0  # sustained rate per session
    message_burst: int = 120  # messages allowed at once before the rate applies
    message_cost_bytes: int = 4096  # a larger message counts as one message per this many bytes
    allow_origins: tuple[str, ...] = field(default_factory=tuple)  # besides the page's own
    # Host names the server answers to besides loopback names and IP addresses (--allow-host)
    allow_hosts: tuple[str, ...] = field(default_factory=tuple)
    snapshot_interval_s: float = 1.0  # how often a playing session sends a restorable snapshot
    chunk_ms: float = 4.0  # longest uninterrupted training chunk
    max_frames_in_flight: int = 2
    max_loop_lag_ms: float = 50.0  # new sessions are refused while the event loop lags more
    group_training: bool = True  # sessions of one shape train as one computation
    redis_url: str | None = None  # classes across machines through Redis pub/sub (--redis)
    max_class_size: int = 200  # students in one class

    def to_env(self) -> str:
        return json.dumps(asdict(self))

    @classmethod
    def from_env(cls) -> Settings:
        raw = os.environ.get(ENV_KEY)
        if not raw:
            return cls()
        values = json.loads(raw)
        values["allow_origins"] = tuple(values.get("allow_origins", ()))
        values["allow_hosts"] = tuple(values.get("allow_hosts", ()))
        return cls(**values)
