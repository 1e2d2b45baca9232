"""A class on one server: start, join, gallery, push and undo, freeze, spotlight, goal,
results, and every teacher's action refused to a student."""

import base64
import json
import re
import zlib
from contextlib import ExitStack

import pytest
from fastapi.testclient import TestClient

from server import protocol
from server.app import create_app
from server.classroom.store import FULL, MemoryStore, new_record
from server.settings import Settings
from tests.server.classroom_helpers import of_kind, start_class, student_in_gallery, until
from tests.server.helpers import FakeClock

BASE = "http://127.0.0.1"


@pytest.fixture
def client():
    app = create_app(Settings(max_loop_lag_ms=10_000, max_class_size=3))
    with TestClient(app, base_url=BASE) as client, ExitStack() as sockets:
        client.sockets = sockets  # closed before the client: its event loop ends last
        yield client


def connect(client, path: str):
    return client.sockets.enter_context(client.websocket_connect(f"ws://127.0.0.1{path}"))


def teach(client, started: dict, secret: str | None = None):
    ws = connect(client, "/ws/class")
    ws.send_text(json.dumps({"type": "teach", "code": started["code"],
                             "secret": secret or started["secret"]}))  # fmt: skip
    if secret is None:
        assert ws.receive_json()["type"] == "hello"  # the registries, for the spotlight
    return ws


def join(client, code: str, name: str | None = None):
    ws = connect(client, "/ws")
    assert ws.receive_json()["type"] == "hello"
    ws.send_text(json.dumps({"type": "join_class", "code": code, "name": name, "seq": 1}))
    return ws, until(ws, of_kind("class"))


def test_a_class_starts_with_a_code_a_join_link_and_a_teachers_link(client):
    started = start_class(client)
    assert len(started["code"]) == 4 and started["join_url"].endswith(f"/class/{started['code']}")
    assert (
        started["dashboard_path"] == f"/class/{started['code']}/dashboard#key={started['secret']}"
    )
    joined = client.get(f"/class/{started['code'].lower()}", follow_redirects=False)
    assert joined.headers["location"] == f"/?class={started['code']}"
    qr = client.get(f"/class/{started['code']}/qr.svg")
    assert qr.headers["content-type"].startswith("image/svg+xml") and "<path" in qr.text
    assert started["code"] not in qr.text  # modules only, no text to escape


def test_a_student_joins_and_the_dashboard_sees_their_live_map(client):
    started = start_class(client)
    dashboard = teach(client, started)
    info = dashboard.receive_json()
    assert info["type"] == "class_info" and info["code"] == started["code"]
    student, joined = join(client, started["code"].lower(), "  Ada\x07 L. ")
    assert joined["code"] == started["code"] and joined["name"] == "Ada L."
    tile = until(dashboard, student_in_gallery("Ada L."))["students"][0]
    assert tile["architecture"] == "2-4-2-1 tanh" and tile["parameters"] == 25
    assert len(zlib.decompress(base64.b64decode(tile["map"]))) == 20 * 20
    assert len(protocol.encode(tile)) < 800  # a few hundred bytes a student a second
    other, named = join(client, started["code"])
    assert named["name"] == "Student 2"
    other.close()
    gone = until(dashboard, lambda m: m["type"] == "gallery" and m["left"])
    assert gone["left"] == [named["student"]]


def test_a_push_replaces_the_students_run_and_undo_brings_it_back(client):
    started = start_class(client)
    dashboard = teach(client, started)
    student, joined = join(client, started["code"])
    student.send_text(json.dumps({"type": "configure", "config": {"networkShape": [5]}}))
    until(student, lambda m: m["type"] == "config" and m["layer_sizes"] == [2, 5, 1])
    link = "#activation=relu&networkShape=3,3&seed=0.1"
    dashboard.send_text(json.dumps({"type": "push", "seq": 3, "include_weights": False,
                                    "hash": link}))  # fmt: skip
    pushed = until(dashboard, of_kind("pushed"))
    assert pushed["seq"] == 3 and len(pushed["data"]) == 16
    config = until(student, of_kind("config"))
    assert config["layer_sizes"] == [2, 3, 3, 1] and config["config"]["activation"] == "relu"
    until(student, of_kind("class_pushed"))
    student.send_text(json.dumps({"type": "undo_push"}))
    assert until(student, of_kind("config"))["layer_sizes"] == [2, 5, 1]
    student.send_text(json.dumps({"type": "undo_push", "seq": 9}))
    error = until(student, of_kind("error"))
    assert error["seq"] == 9 and "no push" in error["message"]


def test_a_bad_push_is_refused_and_a_doubtful_one_reports_what_was_skipped(client):
    started = start_class(client)
    dashboard = teach(client, started)
    dashboard.receive_json()
    dashboard.send_text(json.dumps({"type": "push", "hash": 5}))
    assert until(dashboard, of_kind("error"))["field"] == "hash"
    dashboard.send_text(json.dumps({"type": "push", "hash": "#activation=bogus"}))
    pushed = until(dashboard, of_kind("pushed"))
    assert pushed["notices"] and pushed["notices"][0].startswith("activation:")


def test_freeze_pauses_and_locks_the_students_until_release(client):
    started = start_class(client)
    dashboard = teach(client, started)
    student, _ = join(client, started["code"])
    student.send_text(json.dumps({"type": "play"}))
    until(student, lambda m: m["type"] == "state" and m["playing"])
    dashboard.send_text(json.dumps({"type": "freeze", "frozen": True}))
    assert until(student, lambda m: m["type"] == "class" and m["frozen"])
    student.send_text(json.dumps({"type": "play", "seq": 4}))
    error = until(student, of_kind("error"))
    assert error["code"] == "frozen" and error["seq"] == 4
    late, joined = join(client, started["code"])  # a student who joins now is frozen too
    assert joined["frozen"]
    dashboard.send_text(json.dumps({"type": "freeze", "frozen": False}))
    until(student, lambda m: m["type"] == "class" and not m["frozen"])
    student.send_text(json.dumps({"type": "play"}))
    assert until(student, of_kind("state"))["playing"]


def test_the_spotlight_streams_the_chosen_students_network(client):
    started = start_class(client)
    dashboard = teach(client, started)
    student, joined = join(client, started["code"])
    student.send_text(json.dumps({"type": "configure", "config": {"networkShape": [3]}}))
    dashboard.send_text(json.dumps({"type": "spotlight", "student": joined["student"]}))
    config = until(dashboard, of_kind("spotlight_config"))
    assert config["student"] == joined["student"] and config["message"]["type"] == "config"
    student.send_text(json.dumps({"type": "step", "epochs": 3}))
    frame = None
    for _ in range(400):
        raw = dashboard.receive()
        if raw.get("bytes") is not None:
            frame = raw["bytes"]
            break
        student.send_text(json.dumps({"type": "ack", "frame": 1 << 31}))
    assert frame is not None and frame[:4] == b"NPF1"


def test_a_goal_ranks_the_student_who_met_it_and_the_results_download(client):
    started = start_class(client)
    dashboard = teach(client, started)
    dashboard.send_text(json.dumps({"type": "push", "hash": "#dataset=gauss&noise=0&seed=0.25"}))
    until(dashboard, of_kind("pushed"))
    student, joined = join(client, started["code"], "=HYPERLINK(1)")
    goal = {"metric": "test_loss", "target": 0.05, "max_parameters": 30}
    dashboard.send_text(json.dumps({"type": "set_goal", "goal": goal, "on_pushed_data": True}))
    student.send_text(json.dumps({"type": "load_hash", "hash": "dataset=gauss&noise=0&seed=0.25"}))
    assert until(student, lambda m: m["type"] == "class" and m["goal"])["goal"]["data"]
    student.send_text(json.dumps({"type": "step", "epochs": 300}))
    met = until(student, lambda m: m["type"] == "class" and m["standing"]["met_epoch"])
    assert 0 < met["standing"]["met_epoch"] <= 300
    until(
        dashboard, lambda m: m["type"] == "gallery" and any(s["met_epoch"] for s in m["students"])
    )
    dashboard.send_text(json.dumps({"type": "export_results", "seq": 5}))
    exported = until(dashboard, of_kind("exported"))
    lines = exported["text"].splitlines()
    assert lines[0] == "rank,name,architecture,parameters,best_test_loss,epoch,met_goal_at_epoch"
    assert lines[1].startswith("1,'=HYPERLINK(1),2-4-2-1 tanh,25,")
    assert lines[1].endswith(f",{met['standing']['met_epoch']}")


@pytest.mark.parametrize(
    "message",
    [
        {"type": "push", "hash": "networkShape=1"},
        {"type": "freeze", "frozen": True},
        {"type": "spotlight", "student": "0123456789abcdef"},
        {"type": "set_goal", "goal": None},
        {"type": "export_results"},
        {"type": "teach", "code": "ABCD", "secret": "x"},
    ],
)
def test_a_student_cannot_do_what_only_the_teacher_may(client, message):
    started = start_class(client)
    student, _ = join(client, started["code"])
    student.send_text(json.dumps({**message, "seq": 7}))
    error = until(student, of_kind("error"))
    assert error["code"] == "not_teacher" and error["seq"] == 7


def test_a_dashboard_without_the_secret_is_refused(client):
    started = start_class(client)
    ws = teach(client, started, secret="guessed-secret")
    error = ws.receive_json()
    assert error["code"] == "not_teacher" and error["field"] == "secret"


def test_joining_a_class_that_does_not_exist_or_is_full_is_refused(client):
    ws = connect(client, "/ws")
    ws.receive_json()
    ws.send_text(json.dumps({"type": "join_class", "code": "ZZZZ"}))
    assert until(ws, of_kind("error"))["code"] == "no_class"
    started = start_class(client)
    for _ in range(3):  # the test server's limit
        join(client, started["code"])
    ws.send_text(json.dumps({"type": "join_class", "code": started["code"]}))
    assert until(ws, of_kind("error"))["code"] == "class_full"


def test_a_class_outlives_its_last_connection_by_an_hour():
    clock = FakeClock()
    store = MemoryStore(clock)
    assert store.create("4F2K", new_record("4F2K", "s"))
    assert not store.create("4F2K", new_record("4F2K", "t"))  # a code in use is not taken
    assert store.join("4F2K", "a" * 16, 2) == 1 and store.join("4F2K", "b" * 16, 2) == 2
    assert store.join("4F2K", "c" * 16, 2) == FULL
    clock.advance(31)  # a and b stopped renewing: their places are free
    assert store.join("4F2K", "c" * 16, 2) == 1
    clock.advance(3599)
    assert store.get("4F2K") is not None
    clock.advance(2)
    assert store.get("4F2K") is None and store.join("4F2K", "c" * 16, 2) is None


def test_the_dashboard_page_shows_the_code_and_the_join_links_qr_code(client):
    started = start_class(client)
    page = client.get(f"/class/{started['code']}/dashboard")
    assert page.status_code == 200 and page.headers["cache-control"] == "no-store"
    assert f'Class <span class="class-code">{started["code"]}</span>' in page.text
    assert started["secret"] not in page.text
    # The QR code scales into its 150 px box: a viewBox and no size of its own (5 px a module,
    # 185 px, showed only its left 150 px: a corner's finder pattern and the margin cut off).
    qr = re.search(r'<svg [^>]*class="qr"[^>]*>', page.text).group(0)
    assert re.search(r'viewBox="0 0 (\d+) \1"', qr) and "width=" not in qr, qr
    opened = client.get("/class/new", follow_redirects=False)
    assert opened.status_code == 303 and "/dashboard#key=" in opened.headers["location"]
