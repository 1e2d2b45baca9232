"""A real redis-server (Debian's package) on a free loopback port, for the class tests."""

from __future__ import annotations

import shutil
import socket
import subprocess

import pytest

from tests.live_server import free_port, wait_until


def start_redis() -> tuple[subprocess.Popen, str]:
    binary = shutil.which("redis-server")
    if binary is None:
        pytest.fail("redis-server is missing: `make redis` installs Debian's package")
    port = free_port()
    process = subprocess.Popen(
        [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL,
    )

    def answers() -> bool:
        with socket.socket() as probe:
            return probe.connect_ex(("127.0.0.1", port)) == 0

    if not wait_until(answers):
        process.kill()
        raise RuntimeError("redis-server did not start")
    return process, f"redis://127.0.0.1:{port}/0"


@pytest.fixture
def redis_url():
    process, url = start_redis()
    try:
        yield url
    finally:
        process.terminate()
        process.wait(timeout=30)
