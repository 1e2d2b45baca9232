"""Thousands of random and mutated messages: each bad one gets an error, none kills the session."""

import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from server import messages, protocol
from tests.server.helpers import new_session

SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**40), max_value=2**40),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=12),
)
VALUES = st.recursive(
    SCALARS,
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=10,
)
FIELDS = [
    "seq",
    "epochs",
    "epochs_per_frame",
    "layer",
    "source",
    "target",
    "neuron",
    "value",
    "kind",
    "point",
    "hash",
    "config",
    "snapshot",
    "points",
    "frame",
    "same_weights",
]
CONFIG_KEYS = [
    "activation",
    "learningRate",
    "regularization",
    "regularizationRate",
    "batchSize",
    "networkShape",
    "dataset",
    "problem",
    "noise",
    "percTrainData",
    "x",
    "sinY",
    "optimizer",
    "outputActivation",
    "loss",
    "numClasses",
    "percValData",
    "standardize",
    "xScale",
    "seed",
]
TYPES = st.sampled_from(list(protocol.CLIENT_TYPES) + ["", "Play", "explode"])
MESSAGES = st.fixed_dictionaries(
    {"type": TYPES},
    optional={field: VALUES for field in FIELDS}
    | {"config": st.dictionaries(st.sampled_from(CONFIG_KEYS), VALUES, max_size=4)},
)
RAW = st.one_of(
    st.text(max_size=40),
    st.binary(max_size=40),
    MESSAGES.map(json.dumps),
    st.lists(VALUES, max_size=3).map(json.dumps),
)


def usable(session) -> bool:
    """The session still answers a plain step after whatever came before."""
    epoch = session.run.epoch
    session.run.reset() if session.run.diverged else None
    epoch = session.run.epoch
    session.receive(json.dumps({"type": "step"}))
    return session.run.epoch == epoch + 1 and not any(
        m["type"] == "error" for m in session.take_outbox()
    )


@settings(max_examples=1500, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.lists(RAW, min_size=1, max_size=4))
def test_random_messages_never_crash_a_session(raw_messages):
    session, clock = new_session(max_messages_per_second=1e9, message_burst=10**9)
    session.take_outbox()
    for raw in raw_messages:
        session.receive(raw)
        replies = session.take_outbox()
        assert not any(m["type"] == "error" and m["code"] == "internal" for m in replies), replies
        try:
            valid = messages.parse(messages.decode(raw))
        except protocol.ProtocolError:
            valid = None
        if valid is None:
            assert any(m["type"] == "error" for m in replies), f"no error for {raw!r}"
        clock.advance(0.02)
        session.tick()
        if session.wants_frame():
            session.frame()
    session.playing = False
    assert usable(session)
