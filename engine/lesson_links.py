"""Lesson links: a run's hash plus its user points (data=) and weights (weights=), compressed."""

from __future__ import annotations

import base64
import binascii
import re
import zlib

import numpy as np

from engine.options import LIMITS
from engine.url_hash import LESSON_KEYS, split_hash

Array = np.ndarray
HASH_LIMIT = 8000  # characters; browsers and chat tools keep links this long intact
DATA_VERSION = "v1"
WEIGHT_DTYPES = {"float64": 8, "float32": 4}  # name → the blob's first byte
_MAX_INFLATED = 1 << 20  # bytes: 5 000 rows of three exact numbers fit with room to spare
_BASE64URL = re.compile(r"[A-Za-z0-9_-]*")
_NUMBER = re.compile(r"[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?")


def _pack(raw: bytes) -> str:
    """Raw DEFLATE (zlib wbits=-15), then base64url without padding."""
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    packed = compressor.compress(raw) + compressor.flush()
    return base64.urlsafe_b64encode(packed).decode("ascii").rstrip("=")


def _unpack(text: str) -> bytes:
    """The bytes `_pack` wrote; ValueError if the text is not such a blob (or inflates to
    more than _MAX_INFLATED bytes)."""
    if not _BASE64URL.fullmatch(text) or len(text) % 4 == 1:
        raise ValueError("not base64url text")
    try:
        packed = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
        inflater = zlib.decompressobj(-15)
        raw = inflater.decompress(packed, _MAX_INFLATED)
    except (binascii.Error, zlib.error):
        raise ValueError("not compressed data") from None
    if inflater.unconsumed_tail:
        raise ValueError(f"too large (over {_MAX_INFLATED} bytes)")
    if not inflater.eof or inflater.unused_data:
        raise ValueError("cut short or with extra bytes")
    return raw


def encode_data(points: Array, labels: Array, whole_labels: bool) -> str:
    """The `data=` blob: text "v1" then one line "x,y,label" per point in split order
    (train, validation, test), numbers in Python's shortest exact form, packed."""
    lines = [DATA_VERSION]
    for (x, y), label in zip(points.tolist(), labels.tolist(), strict=True):
        lines.append(f"{x!r},{y!r},{int(label) if whole_labels else repr(label)}")
    return _pack("\n".join(lines).encode("ascii"))


def decode_data(blob: str) -> tuple[Array, Array]:
    """(points (n, 2), labels (n,)) from a `data=` blob; ValueError says what is wrong."""
    try:
        lines = _unpack(blob).decode("ascii").split("\n")
    except UnicodeDecodeError:
        raise ValueError("not the text of points") from None
    if lines[0] != DATA_VERSION:
        raise ValueError(f"unknown version {lines[0][:10]!r}; this page reads {DATA_VERSION}")
    rows = [line.split(",") for line in lines[1:]]
    limit = LIMITS["points"]
    if not limit["min"] <= len(rows) <= limit["max"]:
        raise ValueError(f"{len(rows)} points; use {limit['min']}..{limit['max']}")
    if any(len(row) != 3 or not all(_NUMBER.fullmatch(v) for v in row) for row in rows):
        raise ValueError("a row is not three numbers x,y,label")
    values = np.array(rows, dtype=np.float64)
    return values[:, :2].copy(), values[:, 2].copy()


def encode_weights(params: Array, dtype: str = "float64") -> str:
    """The `weights=` blob: one byte (8: float64, 4: float32), then every weight and bias
    little-endian in the network's layout (per layer: the fan_in weight rows, then the
    bias row, each fan_out long), packed."""
    if dtype not in WEIGHT_DTYPES:
        raise ValueError(f"weights_dtype: {dtype!r} is not allowed; use float64 or float32")
    width = WEIGHT_DTYPES[dtype]
    raw = np.ascontiguousarray(params, dtype=f"<f{width}").tobytes()
    return _pack(bytes([width]) + raw)


def decode_weights(blob: str, n_params: int) -> Array:
    """The flat parameters of a `weights=` blob, as float64; ValueError names what is wrong."""
    raw = _unpack(blob)
    if not raw or raw[0] not in WEIGHT_DTYPES.values():
        raise ValueError("unknown number format")
    width = raw[0]
    if len(raw) - 1 != width * n_params:
        found = (len(raw) - 1) / width
        raise ValueError(
            f"{found:g} values do not fit this network's {n_params} weights and biases"
        )
    params = np.frombuffer(raw[1:], dtype=f"<f{width}").astype(np.float64)
    if not np.isfinite(params).all():
        raise ValueError("a weight is not a finite number")
    return params


def lesson_hash(
    run, include_data: bool = True, include_weights: bool = True, weights_dtype: str = "float64"
) -> str:
    """The run's hash (without '#') plus `data=` (user points only; generated data is in
    the seed) and `weights=`. float32 weights halve the link but round them to ~7 digits.
    ValueError if it would exceed HASH_LIMIT characters: save a lesson file instead."""
    parts = [run.to_hash()]
    if include_data and run.user_data:
        splits = (run.train_data, run.validation_data, run.test_data)
        points = np.concatenate([pair[0] for pair in splits])
        labels = np.concatenate([pair[1] for pair in splits])
        parts.append("data=" + encode_data(points, labels, run.config["problem"] != "regression"))
    if include_weights:
        params = run.state.net.params
        if not np.isfinite(params).all():
            raise ValueError("weights: the network has diverged; reset it before sharing it")
        parts.append("weights=" + encode_weights(params, weights_dtype))
    text = "&".join(parts)
    if len(text) > HASH_LIMIT:
        raise ValueError(
            f"lesson link: {len(text)} characters is too long for a link (at most "
            f"{HASH_LIMIT}); save a lesson file instead"
        )
    return text


def apply(run, text: str) -> list[str]:
    """Put a lesson hash's `data=` and `weights=` into a freshly built run; returns notices
    for blobs that could not be used (ignored: the run keeps its generated data or first
    weights). Never raises."""
    mapping = split_hash(text[1:] if text.startswith("#") else text)
    blobs = {key: mapping[key] for key in LESSON_KEYS if mapping.get(key)}  # "" is skipped
    if not blobs:
        return []
    notices = []
    if "data" in blobs:
        try:
            run.set_data(*decode_data(blobs["data"]), shuffle_points=False)
        except ValueError as error:
            notices.append(f"data: the link's points cannot be used ({error}); ignored")
    params = None
    if "weights" in blobs:
        try:
            params = decode_weights(blobs["weights"], _n_params(run))
        except ValueError as error:
            notices.append(f"weights: the link's weights cannot be used ({error}); ignored")
    start_from(run, params)
    return notices


def _n_params(run) -> int:
    return run.state.net.n_params


def start_from(run, params: Array | None, epoch: int = 0) -> None:
    """Make `params` (flat, the network's layout) the run's weights and its "same weights"
    of a reset, at `epoch`, with a fresh loss history; None keeps the current weights."""
    if params is not None:
        layers = run.state.net.parameter_views(params)
        run.weights = [layer[:-1] for layer in layers]
        run.biases = [layer[-1] for layer in layers]
        run.state.initial = run.state.net.params.copy()
    run.start_at(epoch)
