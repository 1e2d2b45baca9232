"""Property-based fuzz of every message type: random messages, and each type's valid message
with one field mutated to a hostile value.

Every message gets a reply (ack excepted), a refused one an error naming the field that
was mutated, never `internal`; nothing logs a traceback; a frame follows every message.
`make test` runs the quick profile; bench/fuzz.py runs the long one (FUZZ_PROFILE=long).
"""

from __future__ import annotations

import json
import logging
import os

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from engine import Run
from engine.model_io import export_model
from server import messages, protocol
from server.session import Session
from server.settings import Settings

# quick: the same examples on every run (a suite must not fail at random); long: new ones
settings.register_profile(
    "quick",
    max_examples=12,
    deadline=None,
    derandomize=True,
    suppress_health_check=list(HealthCheck),
)
settings.register_profile(
    "long",
    max_examples=int(os.environ.get("FUZZ_EXAMPLES", 1000)),
    deadline=None,
    suppress_health_check=list(HealthCheck),
)
PROFILE = settings.get_profile(os.environ.get("FUZZ_PROFILE", "quick"))

SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.sampled_from([10**400, -(10**309), 2**32, 2**64, -1, 0, 255, 256, 1001]),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=12),
    st.sampled_from(["", "x" * 5000, "١", "１,２", "\x00", "\ud800", '"""', "max", "relu"]),
)
VALUES = st.recursive(
    SCALARS,
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=10,
)
CONFIG_KEYS = list(Run().config)


class TickingClock:
    """A fake clock that moves 1 ms on each read: a step's chunks end, nothing waits."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        self.now += 0.001
        return self.now


class Tracebacks(logging.Handler):
    """Every record logged with a traceback, on any logger."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        if record.exc_info:
            self.records.append(record)


@pytest.fixture(scope="module")
def tracebacks():
    handler, root = Tracebacks(), logging.getLogger()
    root.addHandler(handler)
    yield handler
    root.removeHandler(handler)


def new_session() -> Session:
    session = Session(
        Settings(max_messages_per_second=1e9, message_burst=10**9), clock=TickingClock()
    )
    session.start()
    session.take_outbox()
    return session


def small_run() -> Run:
    run = Run({"seed": "0.5", "networkShape": [3]})
    run.step(2)
    return run


SNAPSHOT = json.loads(json.dumps(small_run().snapshot()))
MODEL = json.loads(json.dumps(export_model(small_run())))
BASES = {
    protocol.LOAD_HASH: {"hash": "seed=0.5&networkShape=3"},
    protocol.CONFIGURE: {"config": {"learningRate": 0.1}},
    protocol.PLAY: {},
    protocol.PAUSE: {},
    protocol.STEP: {"epochs": 2},
    protocol.STEP_BATCH: {},
    protocol.RESET: {"same_weights": True},
    protocol.REGENERATE: {},
    protocol.SPEED: {"epochs_per_frame": 5},
    protocol.SET_WEIGHT: {"layer": 0, "source": 0, "target": 0, "value": 0.5},
    protocol.SET_BIAS: {"layer": 0, "neuron": 0, "value": 0.5},
    protocol.FOCUS: {"layer": 1, "neuron": 0},
    protocol.INSPECT: {"kind": "weight", "layer": 0, "source": 0, "target": 0, "neuron": 0,
                       "point": [0.5, -0.5]},
    protocol.RESTORE: {"snapshot": SNAPSHOT},
    protocol.SET_DATA: {"points": [[1, 1, 1], [-1, -1, -1], [2, 2, 1]]},
    protocol.IMPORT_CSV: {"text": "1,1,1\n-1,-1,-1\n", "rescale": False, "apply_valid": True},
    protocol.IMPORT_MODEL: {"model": MODEL},
    protocol.EXPORT: {"format": "csv", "include_weights": True},
    protocol.ACK: {"frame": 0},
    protocol.RACE_START: {"config": {"activation": "relu"}},
    protocol.RACE_ADD: {"config": {"learningRate": 0.1}},
    protocol.RACE_LANE: {"lane": 1},
    protocol.RACE_REMOVE: {"lane": 1},
    protocol.RACE_TARGET: {"target_loss": 0.2},
    protocol.SCRUB: {"epoch": 1},
    protocol.VIEW_LAYER: {"layer": 1, "neurons": [0, 1]},
    protocol.JOIN_CLASS: {"code": "ZZZZ", "name": "Ada", "student": "0123456789abcdef"},
}  # fmt: skip
for kind in protocol.CLIENT_TYPES:  # a type without fields is fuzzed without an edit here
    if messages._PARSERS[kind] is messages._no_fields:
        BASES.setdefault(kind, {})
assert set(BASES) == set(protocol.CLIENT_TYPES)  # a new message type needs its base here
# What a session has done before a message of these types means something (a race, a scrub).
BEFORE = {
    **{kind: [{"type": protocol.RACE_START}] for kind in (
        protocol.RACE_ADD, protocol.RACE_LANE, protocol.RACE_REMOVE, protocol.RACE_END,
        protocol.RACE_TARGET)},
    protocol.CONTINUE_HERE: [{"type": protocol.STEP, "epochs": 2},
                             {"type": protocol.SCRUB, "epoch": 1}],
}  # fmt: skip
# A fresh session is in no class: an undo of the teacher's push is refused naming its type.
REFUSED_FOR_STATE = {protocol.UNDO_PUSH}
NESTED = {
    protocol.CONFIGURE: "config",
    protocol.RESTORE: "snapshot",
    protocol.IMPORT_MODEL: "model",
}


@st.composite
def mutations(draw, kind: str) -> tuple[dict, str | tuple[str, ...]]:
    """(the type's valid message with one field mutated, the mutated field's name, or the
    names an error about it may give)."""
    message = json.loads(json.dumps({"type": kind, **BASES[kind], "seq": 1}))
    outer = draw(st.sampled_from(sorted(message.keys() - {"type"}) + [None]))
    if outer is None or (kind in NESTED and outer == NESTED[kind] and draw(st.booleans())):
        outer = NESTED.get(kind)  # a field inside the config, snapshot or model
        if outer is None:
            return message, "seq"  # the type's own message, unchanged
        inner = message[outer]
        keys = CONFIG_KEYS if kind == protocol.CONFIGURE else sorted(inner)
        key = draw(st.sampled_from(keys))
        if draw(st.integers(0, 4)) == 0:
            inner.pop(key, None)
        else:
            inner[key] = draw(VALUES)
        # A snapshot's or a model's parts must fit each other: a new config can make the
        # stored weights the wrong shape, so the error may name another part of the file.
        return message, key if kind == protocol.CONFIGURE else outer
    if draw(st.integers(0, 4)) == 0:
        del message[outer]
    else:
        message[outer] = draw(VALUES)
    if kind == protocol.CONFIGURE and isinstance(message.get(outer), dict):
        return message, (outer, *message[outer])  # an unknown key is named as it is
    return message, outer


def names(field: str | None, mutated: str | tuple[str, ...]) -> bool:
    """The error's field is the mutated one (or one of them), or a part of it (points[2],
    snapshot.data.x)."""
    return field is not None and any(
        field == name or field.startswith((name + ".", name + "[", name + ":"))
        for name in ((mutated,) if isinstance(mutated, str) else mutated)
    )


def replies_to(session: Session, text: str) -> list[dict]:
    session.receive(text)
    replies = session.take_outbox()
    json.dumps(replies, allow_nan=False)  # all of it strict JSON
    return replies


def a_frame_follows(session: Session) -> None:
    session.receive(json.dumps({"type": "ack", "frame": session.frame_id}))
    session.needs_frame = True
    assert session.frame() is not None
    assert not [m for m in session.take_outbox() if m["type"] == protocol.ERROR]


@pytest.mark.parametrize("kind", protocol.CLIENT_TYPES)
def test_every_message_type_with_a_hostile_field(kind, tracebacks):
    @PROFILE
    @given(mutation=mutations(kind))
    def check(mutation):
        message, mutated = mutation
        session = new_session()
        for before in BEFORE.get(kind, []):
            replies_to(session, json.dumps(before))
        replies = replies_to(session, json.dumps(message))
        errors = [m for m in replies if m["type"] == protocol.ERROR]
        answered = replies or session.frame_wanted()  # a valid focus's answer is its frame
        assert answered or kind == protocol.ACK, message
        assert not [e for e in errors if e["code"] == protocol.INTERNAL], errors
        for error in errors:
            refused_for_state = kind in REFUSED_FOR_STATE and error["field"] == "type"
            assert names(error["field"], mutated) or refused_for_state, (mutated, error)
        assert not tracebacks.records, tracebacks.records[0].getMessage()
        a_frame_follows(session)

    check()


RAW = st.one_of(
    st.text(max_size=40),
    st.binary(max_size=40),
    st.fixed_dictionaries(
        {"type": st.sampled_from(list(protocol.CLIENT_TYPES) + ["", "Play", "explode"])},
        optional=dict.fromkeys(
            ["seq", "epochs", "epochs_per_frame", "layer", "source", "target", "neuron",
             "value", "kind", "point", "hash", "snapshot", "points", "frame", "same_weights",
             "config", "model", "format", "text"],
            VALUES,
        ),
    ).map(json.dumps),
    st.lists(VALUES, max_size=3).map(json.dumps),
)  # fmt: skip


@PROFILE
@given(st.lists(RAW, min_size=1, max_size=4))
def test_random_messages_never_crash_a_session(raw_messages):
    session = new_session()
    for raw in raw_messages:
        replies = replies_to(session, raw)
        assert not [m for m in replies if m.get("code") == protocol.INTERNAL], replies
        try:
            valid = messages.parse(messages.decode(raw))
        except protocol.ProtocolError:
            valid = None
        if valid is None:
            assert [m for m in replies if m["type"] == protocol.ERROR], f"no error for {raw!r}"
        session.tick()
        a_frame_follows(session)
