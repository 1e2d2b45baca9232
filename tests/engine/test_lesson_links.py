"""Lesson links: data= and weights= in the hash reproduce the run; bad blobs are notices."""

from __future__ import annotations

import base64
import zlib

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from engine import Run, parse_hash
from engine.lesson_links import HASH_LIMIT, encode_data, encode_weights, lesson_hash


def _drawn_run(**config) -> Run:
    run = Run({"seed": "0.5", "percValData": 10, **config})
    xs = np.linspace(-5.5, 5.5, 41)
    run.set_data(np.column_stack([xs, np.round(np.sin(xs), 2)]), np.where(xs > 0, 1.0, -1.0))
    run.step(15)
    return run


def _data(run: Run) -> list[np.ndarray]:
    return [*run.train_data, *run.validation_data, *run.test_data]


def _pack(raw: bytes) -> str:
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    packed = compressor.compress(raw) + compressor.flush()
    return base64.urlsafe_b64encode(packed).decode().rstrip("=")


def test_a_lesson_link_carries_config_data_and_weights_exactly():
    run = _drawn_run(activation="relu", hidden={"controls": ["noise"]})
    text = lesson_hash(run)
    assert "&data=" in text and "&weights=" in text and len(text) <= HASH_LIMIT
    opened = Run.from_hash("#" + text)
    assert opened.notices == []
    assert opened.config == run.config and opened.user_data
    for a, b in zip(_data(opened), _data(run), strict=True):
        assert a.tobytes() == b.tobytes()
    for a, b in zip(opened.weights + opened.biases, run.weights + run.biases, strict=True):
        assert a.tobytes() == b.tobytes()
    assert opened.epoch == 0 and opened.history[0][0] == 0
    assert opened.history[0][1:] == tuple(opened.losses().values())


def test_the_address_bar_hash_stays_short_and_parse_hash_does_not_complain():
    run = _drawn_run()
    assert "data=" not in run.to_hash() and "weights=" not in run.to_hash()
    config, notices = parse_hash(lesson_hash(run))
    assert notices == [] and config == run.config


def test_generated_data_is_carried_by_the_seed_alone():
    run = Run({"seed": "0.77", "dataset": "spiral"})
    run.step(10)
    text = lesson_hash(run)
    assert "data=" not in text
    opened = Run.from_hash(text)
    assert not opened.user_data
    assert all(np.array_equal(a, b) for a, b in zip(_data(opened), _data(run), strict=True))
    assert all(np.array_equal(a, b) for a, b in zip(opened.weights, run.weights, strict=True))


def test_the_parts_can_be_left_out_and_float32_halves_the_weights():
    run = _drawn_run()
    assert "weights=" not in lesson_hash(run, include_weights=False)
    assert "data=" not in lesson_hash(run, include_data=False)
    short = lesson_hash(run, include_data=False, weights_dtype="float32")
    opened = Run.from_hash(short)
    for a, b in zip(opened.weights, run.weights, strict=True):
        np.testing.assert_array_equal(a, b.astype(np.float32).astype(np.float64))
    with pytest.raises(ValueError, match="^weights_dtype"):
        lesson_hash(run, weights_dtype="float16")


def test_the_reset_of_an_opened_lesson_goes_back_to_the_lesson_weights():
    run = _drawn_run()
    opened = Run.from_hash(lesson_hash(run))
    opened.step(5)
    opened.reset(same_weights=True)
    assert all(np.array_equal(a, b) for a, b in zip(opened.weights, run.weights, strict=True))


def test_a_link_too_long_for_a_browser_asks_for_a_lesson_file():
    run = Run({"seed": "0.5", "problem": "regression"})
    rng = np.random.default_rng(1)
    run.set_data(rng.uniform(-6, 6, (2000, 2)), rng.normal(size=2000))
    with pytest.raises(ValueError, match="save a lesson file instead"):
        lesson_hash(run)
    assert len(lesson_hash(run, include_data=False)) <= HASH_LIMIT


_GOOD = _drawn_run()
_OTHER_NETWORK = Run({"seed": "0.5", "networkShape": [3]})


def _all(run: Run) -> tuple[np.ndarray, np.ndarray]:
    return (
        np.concatenate([run.train_data[0], run.validation_data[0], run.test_data[0]]),
        np.concatenate([run.train_data[1], run.validation_data[1], run.test_data[1]]),
    )


_GOOD_DATA = encode_data(*_all(_GOOD), whole_labels=True)


@pytest.mark.parametrize(
    ("key", "blob", "words"),
    [
        ("data", "", None),  # an empty value is skipped, like any empty hash value
        ("data", "!!!", "not base64url"),
        ("data", "A_8", "not compressed"),
        ("data", _GOOD_DATA + "AA", "extra bytes"),
        ("data", "AAAA", "cut short"),
        ("data", _pack(b"v2\n1,1,1\n2,2,-1"), "unknown version"),
        ("data", _pack(b"v1\n1,1,1"), "1 points"),
        ("data", _pack(b"v1\n1,1,1\n2,x,-1"), "three numbers"),
        ("data", _pack(b"v1\n1,1,1\n2,2,5"), "labels must be 1"),
        ("data", _pack(b"v1\n1,1,1\n2,1e999,-1"), "finite"),
        ("data", _pack(b"v1\n" + b"0" * 3_000_000), "too large"),
        ("data", _pack("v1\n1,1,1\n2,2,é".encode()), "not the text of points"),
        ("weights", "AAAA", "cut short"),
        ("weights", _pack(b""), "unknown number format"),
        ("weights", _pack(b"\x02" + bytes(8)), "unknown number format"),
        ("weights", encode_weights(_OTHER_NETWORK.state.net.params), "do not fit"),
        ("weights", encode_weights(np.full(_GOOD.state.net.n_params, np.nan)), "finite"),
        ("weights", _pack(b"\x08" + bytes(7)), "do not fit"),
    ],
)
def test_a_bad_blob_is_a_notice_and_the_run_keeps_its_own(key, blob, words):
    plain = Run.from_hash(_GOOD.to_hash())
    opened = Run.from_hash(f"{_GOOD.to_hash()}&{key}={blob}")
    if words is None:
        assert opened.notices == []
    else:
        assert len(opened.notices) == 1 and opened.notices[0].startswith(f"{key}: ")
        assert words in opened.notices[0]
    assert all(np.array_equal(a, b) for a, b in zip(_data(opened), _data(plain), strict=True))
    assert all(np.array_equal(a, b) for a, b in zip(opened.weights, plain.weights, strict=True))


def test_data_with_weights_for_another_network_keeps_the_data():
    text = f"{_GOOD.to_hash()}&data={_GOOD_DATA}&weights={_pack(b'junk')}"
    opened = Run.from_hash(text)
    assert opened.user_data and len(opened.notices) == 1


@settings(max_examples=150, deadline=None)
@given(
    st.sampled_from(["data", "weights"]),
    st.one_of(st.text(), st.text(alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefgh0123456789-_")),
)
def test_any_blob_opens_without_a_crash(key, blob):
    opened = Run.from_hash(f"seed=0.5&{key}={blob}")
    assert len(opened.notices) <= 2
    assert opened.predict([[0.0, 0.0]]).shape == (1,)
