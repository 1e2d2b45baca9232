"""HTTP in a hostile world (issue 13, items 4, 12, 13): header limits, hosts, quiet logs."""

from __future__ import annotations

import logging
import socket

import pytest
import uvicorn
from fastapi.testclient import TestClient
from starlette.websockets import WebSocketDisconnect
from uvicorn.server import ServerState
from websockets.exceptions import ConnectionClosedError
from websockets.sync.client import connect

from server import cli
from server.app import create_app
from server.http import HEADER_TIMEOUT_S, MAX_HEADERS, UVICORN_OPTIONS, GuardedH11Protocol
from server.settings import Settings
from tests.live_server import LiveServer


@pytest.fixture(scope="module")
def server():
    live = LiveServer().start()
    yield live
    live.stop()


def exchange(port: int, request: bytes) -> bytes:
    """Send raw bytes, read the answer until the server closes the connection."""
    with socket.create_connection(("127.0.0.1", port), timeout=10) as raw:
        try:
            raw.sendall(request)
        except OSError:  # the server may close before it has read everything
            pass
        answer = b""
        try:
            while chunk := raw.recv(65536):
                answer += chunk
        except ConnectionResetError:
            pass
        return answer


def test_a_huge_header_is_refused_and_the_connection_closed(server):
    head = b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Big: " + b"a" * 1_000_000 + b"\r\n\r\n"
    assert exchange(server.port, head).startswith(b"HTTP/1.1 400")


def test_too_many_headers_are_refused(server):
    lines = b"".join(b"X-H%d: 1\r\n" % i for i in range(MAX_HEADERS + 1))
    head = b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n" + lines + b"\r\n"
    assert len(head) < UVICORN_OPTIONS["h11_max_incomplete_event_size"]
    assert exchange(server.port, head).startswith(b"HTTP/1.1 400")
    ordinary = b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
    assert exchange(server.port, ordinary).startswith(b"HTTP/1.1 200")


class Timers:
    """The loop's call_later, recorded: tests fire the timers themselves."""

    def __init__(self) -> None:
        self.pending: list[list] = []

    def call_later(self, delay, callback, *args):
        timer = [delay, callback, args, False]
        self.pending.append(timer)

        class Handle:
            def cancel(self) -> None:
                timer[3] = True

        return Handle()

    def create_task(self, coroutine):
        """The request's ASGI task: these tests need only its head, so it never runs."""
        coroutine.close()

        class Task:
            def add_done_callback(self, callback) -> None: ...

        return Task()

    def due(self) -> list[list]:
        return [t for t in self.pending if not t[3]]


class Transport:
    def __init__(self) -> None:
        self.closed, self.written = False, b""

    def get_extra_info(self, name, default=None):
        return {"peername": ("127.0.0.1", 5000), "sockname": ("127.0.0.1", 8000)}.get(name)

    def is_closing(self) -> bool:
        return self.closed

    def close(self) -> None:
        self.closed = True

    def write(self, data: bytes) -> None:
        self.written += data

    def pause_reading(self) -> None: ...

    def resume_reading(self) -> None: ...


def guarded_connection() -> tuple[GuardedH11Protocol, Timers, Transport]:
    config = uvicorn.Config(create_app(), **UVICORN_OPTIONS, lifespan="off")
    config.load()
    timers, transport = Timers(), Transport()
    protocol = GuardedH11Protocol(config, ServerState(), {}, _loop=timers)
    protocol.connection_made(transport)
    return protocol, timers, transport


def test_an_idle_or_slow_connection_is_closed_when_its_head_is_late():
    protocol, timers, transport = guarded_connection()
    protocol.data_received(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n")  # and then nothing
    [timer] = timers.due()
    assert timer[0] == HEADER_TIMEOUT_S
    timer[1](*timer[2])
    assert transport.closed


def test_a_complete_head_stops_the_clock():
    protocol, timers, transport = guarded_connection()
    protocol.data_received(b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
    assert timers.due() == [] and not transport.closed


# ----- hosts (item 12) ------------------------------------------------------------------


def test_a_host_header_cannot_write_the_content_security_policy():
    client = TestClient(create_app(), base_url="http://localhost")
    response = client.get("/", headers={"host": "x; script-src *"})
    assert response.status_code == 400 and "--allow-host" in response.text
    assert "script-src *" not in response.headers.get("content-security-policy", "")


@pytest.mark.parametrize(
    "host",
    ["localhost:8000", "127.0.0.1:8000", "192.168.1.20:8000", "[::1]:8000", "class.localhost"],
)
def test_loopback_names_and_addresses_get_the_page(host):
    response = TestClient(create_app(), base_url="http://localhost").get(
        "/", headers={"host": host}
    )
    assert response.status_code == 200
    assert (
        f"connect-src 'self' ws://{host} wss://{host}"
        in response.headers["content-security-policy"]
    )


def test_another_name_needs_allow_host():
    refused = TestClient(create_app(), base_url="http://school.example").get("/")
    assert refused.status_code == 400
    app = create_app(Settings(allow_hosts=("school.example", ".lab.example")))
    for name in ("school.example", "pc1.lab.example"):
        assert TestClient(app, base_url=f"http://{name}").get("/").status_code == 200


def test_a_rebinding_page_cannot_open_a_session():
    """evil.example resolving to this server: same Host and Origin, still refused."""
    with TestClient(create_app()) as client:
        headers = {"host": "evil.example:8000", "origin": "http://evil.example:8000"}
        with client.websocket_connect("ws://evil.example:8000/ws", headers=headers) as ws:
            assert ws.receive_json()["code"] == "host_refused"
            with pytest.raises(WebSocketDisconnect) as closed:
                ws.receive_json()
            assert closed.value.code == 1008


def test_allow_host_is_on_the_command_line():
    args = cli.parse_args(["--allow-host", "school.example", "--allow-host", ".lab.example"])
    assert args.allow_host == ["school.example", ".lab.example"]
    assert cli.allowed_hosts("0.0.0.0", args.allow_host) == ("school.example", ".lab.example")
    assert cli.allowed_hosts("myhost", []) == ("myhost",)


# ----- logs (item 13) -------------------------------------------------------------------


class Records(logging.Handler):
    def __init__(self) -> None:
        super().__init__()
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


def test_invalid_utf8_text_frames_log_one_line_per_session_and_no_traceback(server):
    records = Records()
    logger = logging.getLogger("uvicorn.error")
    logger.addHandler(records)
    try:
        for _ in range(3):
            with connect(server.url.replace("http", "ws") + "/ws") as ws:
                ws.recv(timeout=10)
                ws.send(b"\xff\xfe{}", text=True)
                with pytest.raises(ConnectionClosedError) as closed:
                    while True:
                        ws.recv(timeout=10)
                assert closed.value.rcvd.code == 1007  # invalid frame payload data
    finally:
        logger.removeHandler(records)
    utf8 = [r for r in records.records if "UTF-8" in r.getMessage()]
    assert len(utf8) == 3 and all(r.exc_info is None for r in utf8)
    assert all("\n" not in logging.Formatter().format(r) for r in utf8)
