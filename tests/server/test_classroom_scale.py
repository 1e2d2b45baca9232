"""A class across processes: students on two worker processes of one machine (the parent
relays), and across machines through a real Redis (two servers sharing one redis-server)."""

import asyncio
import json
import signal
import urllib.request
from contextlib import ExitStack

from websockets.sync.client import connect

from server.classroom.hub import Hub
from server.classroom.redis_hub import RedisTransport
from server.classroom.store import FULL, new_record
from server.settings import Settings
from tests import aio
from tests.live_server import LiveServer, free_port
from tests.server.helpers import start_workers, worker_pids
from tests.server.redis_server import redis_url  # noqa: F401 (a fixture)
from tests.server.test_workers import sessions_per_worker

WAIT = 120  # seconds a message may take on a loaded machine: a bound, never a speed


def read_until(ws, predicate):
    while True:
        raw = ws.recv(timeout=WAIT)
        if isinstance(raw, bytes):
            ws.send(json.dumps({"type": "ack", "frame": 1 << 31}))
            continue
        message = json.loads(raw)
        if predicate(message):
            return message


def new_class(base: str) -> dict:
    request = urllib.request.Request(base + "/class/new", method="POST")
    with urllib.request.urlopen(request, timeout=WAIT) as reply:
        return json.load(reply)


def student(ws_base: str, code: str, name: str, pages: ExitStack):
    ws = pages.enter_context(connect(ws_base + "/ws", open_timeout=WAIT))
    assert json.loads(ws.recv(timeout=WAIT))["type"] == "hello"
    ws.send(json.dumps({"type": "join_class", "code": code, "name": name}))
    return ws, read_until(ws, lambda m: m["type"] == "class")


def dashboard(ws_base: str, started: dict, pages: ExitStack):
    ws = pages.enter_context(connect(ws_base + "/ws/class", open_timeout=WAIT))
    ws.send(json.dumps({"type": "teach", "code": started["code"], "secret": started["secret"]}))
    assert json.loads(ws.recv(timeout=WAIT))["type"] == "hello"
    assert json.loads(ws.recv(timeout=WAIT))["type"] == "class_info"
    return ws


def gallery_names(ws, wanted: set[str]) -> set[str]:
    seen: set[str] = set()
    while not wanted <= seen:
        update = read_until(ws, lambda m: m["type"] == "gallery")
        seen |= {s["name"] for s in update["students"]}
    return seen


def push_and_freeze_reach(teacher, students) -> None:
    teacher.send(json.dumps({"type": "push", "hash": "networkShape=3&activation=relu"}))
    for ws in students:
        config = read_until(ws, lambda m: m["type"] == "config")
        assert config["layer_sizes"] == [2, 3, 1]
    teacher.send(json.dumps({"type": "freeze", "frozen": True}))
    for ws in students:
        read_until(ws, lambda m: m["type"] == "class" and m["frozen"])
        ws.send(json.dumps({"type": "play"}))
        assert read_until(ws, lambda m: m["type"] == "error")["code"] == "frozen"


def test_a_class_whose_students_sit_on_two_worker_processes():
    port = free_port()
    server = start_workers(port)
    base, ws_base = f"http://127.0.0.1:{port}", f"ws://127.0.0.1:{port}"
    pages = ExitStack()
    try:
        started = new_class(base)
        ada, _ = student(ws_base, started["code"], "Ada", pages)
        bob, _ = student(ws_base, started["code"], "Bob", pages)
        counts = sessions_per_worker(worker_pids(server.pid), port)
        assert sorted(counts.values()) == [1, 1], counts  # one student on each worker
        teacher = dashboard(ws_base, started, pages)
        assert gallery_names(teacher, {"Ada", "Bob"}) == {"Ada", "Bob"}
        push_and_freeze_reach(teacher, [ada, bob])
    finally:
        pages.close()
        server.send_signal(signal.SIGINT)
        assert server.wait(timeout=WAIT) == 0


def test_a_class_across_two_servers_sharing_a_redis(redis_url):  # noqa: F811
    settings = Settings(max_loop_lag_ms=10_000, redis_url=redis_url)
    one, two = LiveServer(settings).start(), LiveServer(settings).start()
    pages = ExitStack()
    try:
        started = new_class(one.url)  # made on one machine, taught and joined on both
        ada, _ = student(one.url.replace("http", "ws"), started["code"], "Ada", pages)
        bob, _ = student(two.url.replace("http", "ws"), started["code"], "Bob", pages)
        teacher = dashboard(two.url.replace("http", "ws"), started, pages)
        assert gallery_names(teacher, {"Ada", "Bob"}) == {"Ada", "Bob"}
        push_and_freeze_reach(teacher, [ada, bob])
    finally:
        pages.close()
        one.stop()
        two.stop()


def test_the_redis_store_keeps_records_and_members(redis_url):  # noqa: F811
    async def scenario():
        hub = await Hub(RedisTransport(redis_url)).ready()
        other = await Hub(RedisTransport(redis_url)).ready()
        try:
            assert await hub.call("create", "4F2K", new_record("4F2K", "s"))
            assert not await other.call("create", "4F2K", new_record("4F2K", "t"))
            assert (await other.call("update", "4F2K", {"frozen": True}))["frozen"]
            assert (await hub.call("get", "4F2K"))["frozen"]
            assert await hub.call("join", "4F2K", "a" * 16, 2) == 1
            assert await other.call("join", "4F2K", "b" * 16, 2) == 2
            assert await hub.call("join", "4F2K", "c" * 16, 2) == FULL
            await hub.call("leave", "4F2K", "a" * 16)
            assert await other.call("join", "4F2K", "c" * 16, 2) == 2
            assert await hub.call("join", "ZZZZ", "c" * 16, 2) is None
            heard = asyncio.Queue()
            other.subscribe("class:4F2K:gallery", heard.put_nowait)
            mine = []
            hub.subscribe("class:4F2K:gallery", mine.append)
            # Until the subscription is in place: bounded by WAIT like every other wait
            # here, however long a loaded machine takes to subscribe.
            deadline = asyncio.get_running_loop().time() + WAIT
            while heard.empty() and asyncio.get_running_loop().time() < deadline:
                hub.publish("class:4F2K:gallery", {"n": 1})
                await asyncio.sleep(0.05)
            assert (await asyncio.wait_for(heard.get(), WAIT)) == {"n": 1}
            assert all(m == {"n": 1} for m in mine)  # our own, once each, never echoed twice
            hub.publish("class:4F2K:gallery", b"\x01frame")
            while (message := await asyncio.wait_for(heard.get(), WAIT)) == {"n": 1}:
                pass
            assert message == b"\x01frame"
        finally:
            await hub.close()
            await other.close()

    aio.run(scenario())


def test_the_parent_relay_passes_messages_only_to_other_subscribed_workers():
    import socket

    from server.classroom.relay import Relay, frame, message_body

    relay = Relay()
    pairs = [socket.socketpair() for _ in range(3)]
    links = [relay.add(parent) for parent, _ in pairs]
    workers = [child for _, child in pairs]
    workers[1].sendall(frame(b"S", b"class:X:students"))
    relay.readable(links[1])
    workers[0].sendall(frame(b"P", message_body("class:X:students", b"payload")))
    relay.readable(links[0])
    assert links[1].outgoing == frame(b"M", message_body("class:X:students", b"payload"))
    assert not links[0].outgoing and not links[2].outgoing  # not the sender, not the others
    workers[2].sendall(frame(b"C", json.dumps({"id": 4, "op": "get", "args": ["ABCD"]}).encode()))
    relay.readable(links[2])
    assert links[2].outgoing == frame(b"R", b'{"id": 4, "result": null}')


def test_without_its_redis_a_class_cannot_start_and_the_playground_goes_on():
    from fastapi.testclient import TestClient

    from server.app import create_app
    from tests.server.classroom_helpers import until

    settings = Settings(max_loop_lag_ms=10_000, redis_url=f"redis://127.0.0.1:{free_port()}/0")
    with TestClient(create_app(settings), base_url="http://127.0.0.1") as client:
        reply = client.post("/class/new")
        assert reply.status_code == 503 and "unreachable" in reply.json()["error"]
        with client.websocket_connect("ws://127.0.0.1/ws") as ws:
            assert ws.receive_json()["type"] == "hello"
            ws.send_text(json.dumps({"type": "join_class", "code": "4F2K", "seq": 2}))
            message = until(ws, lambda m: m["type"] == "error")
            assert message["seq"] == 2 and "could not be reached" in message["message"]
            ws.send_text(json.dumps({"type": "step", "epochs": 2, "seq": 3}))
            assert until(ws, lambda m: m["type"] == "snapshot")["snapshot"]["epoch"] == 2
