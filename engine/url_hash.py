"""The reference's URL hash: parsed like its State.deserializeState, written in its key style."""

from __future__ import annotations

import math
import re
from decimal import Decimal
from typing import Any

from engine.features import FEATURES, SCALE_KEYS
from engine.options import DEFAULTS, HIDABLE_CONTROLS, LIMITS
from engine.validation import FIELDS, normalize

# Keys in the reference's serialization order (cosX, cosY, collectStats: read, unused).
_REFERENCE_KEYS = [
    "activation", "regularization", "batchSize", "dataset", "regDataset", "learningRate",
    "regularizationRate", "noise", "networkShape", "seed", "showTestData", "discretize",
    "percTrainData", "x", "y", "xTimesY", "xSquared", "ySquared", "sinX", "sinY",
    "problem", "initZero",
]  # fmt: skip
_UNUSED_KEYS = {"cosX", "cosY", "collectStats"}
LESSON_KEYS = ("data", "weights")  # a lesson link's blobs: engine/lesson_links.py reads them
_EXTRA_KEYS = [
    "mcDataset", "numClasses", "outputActivation", "loss", "optimizer", "percValData",
    "standardize", *SCALE_KEYS.values(),
]  # fmt: skip
_BOOLEAN_KEYS = {key for key, value in DEFAULTS.items() if isinstance(value, bool)}
_STRING_KEYS = {"seed"}
_JS_NUMBER = re.compile(r"[+-]?(Infinity|(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?)", re.ASCII)
_JS_RADIX = {"0x": 16, "0o": 8, "0b": 2}
_RADIX_DIGITS = {16: re.compile(r"[0-9a-fA-F]+"), 8: re.compile(r"[0-7]+"), 2: re.compile(r"[01]+")}


def js_number(text: str) -> float:
    """JavaScript's `+text` (Number(text)) for a string: NaN when it is not a number."""
    text = text.strip()
    if text == "":
        return 0.0
    radix = _JS_RADIX.get(text[:2].lower())
    if radix is not None:
        if not _RADIX_DIGITS[radix].fullmatch(text[2:]):
            return math.nan  # JavaScript reads no sign, underscore or non-ASCII digit here
        try:
            return float(int(text[2:], radix))
        except OverflowError:  # 0xfff…f past the largest double: JavaScript's Infinity
            return math.inf
    return float(text) if _JS_NUMBER.fullmatch(text) else math.nan


def js_string(value: float) -> str:
    """JavaScript's String(number): 0.03, 1e-7, 100, 1e+21."""
    if math.isnan(value) or math.isinf(value):
        return "NaN" if math.isnan(value) else ("Infinity" if value > 0 else "-Infinity")
    if value == int(value) and abs(value) < 2**53:
        return str(int(value))
    sign, digits, exponent = Decimal(repr(value)).as_tuple()
    text = "".join(map(str, digits)).rstrip("0") or "0"
    point = len(digits) + exponent  # the decimal point sits after `point` digits
    prefix = "-" if sign else ""
    if 0 < point <= 21:
        return (
            prefix + text[:point].ljust(point, "0") + ("." + text[point:] if text[point:] else "")
        )
    if -6 < point <= 0:
        return prefix + "0." + "0" * -point + text
    mantissa = text[0] + ("." + text[1:] if len(text) > 1 else "")
    return f"{prefix}{mantissa}e{'+' if point - 1 >= 0 else '-'}{abs(point - 1)}"


def split_hash(text: str) -> dict[str, str | None]:
    """name → value as the reference splits: `key=value&…`, a value ends at its next '='."""
    mapping: dict[str, str | None] = {}
    for part in text.split("&"):
        pieces = part.split("=")
        if pieces[0]:
            mapping[pieces[0]] = pieces[1] if len(pieces) > 1 else None
    return mapping


def _parse_value(key: str, raw: str, notices: list[str]) -> Any:
    """One hash value as the reference reads it; None (with a notice) when unusable."""
    if key in _BOOLEAN_KEYS:
        return raw != "false"
    if key in _STRING_KEYS:
        return raw
    if key == "networkShape":
        sizes = [js_number(item) for item in raw.split(",")] if raw.strip() else []
        return _clamp_shape(sizes, notices)
    if isinstance(DEFAULTS[key], str):
        return raw  # a choice: checked against its registry below
    number = js_number(raw)
    if math.isnan(number) or math.isinf(number):
        notices.append(f"{key}: {raw!r} is not a number; kept the default")
        return None
    if key == "noise":
        number = _clamp_noise(number, notices)
    return number


def _clamp_noise(noise: float, notices: list[str]) -> float:
    """The reference: noise above 80 becomes 50, below 0 becomes 0 (51..80 stay)."""
    if noise > LIMITS["noise"]["linkMax"] or noise < 0:
        clamped = LIMITS["noise"]["max"] if noise > 0 else 0
        notices.append(f"noise: {js_string(noise)} is out of range; using {clamped}")
        return clamped
    return noise


def _clamp_shape(sizes: list[float], notices: list[str]) -> list[int] | None:
    layers, neurons = LIMITS["hiddenLayers"]["max"], LIMITS["neurons"]["max"]
    if any(not math.isfinite(s) or s != int(s) or s < 1 for s in sizes):
        notices.append(
            f"networkShape: {sizes} has a size that is not a whole number >= 1; kept the default"
        )
        return None
    clamped = [min(int(s), neurons) for s in sizes[:layers]]
    if clamped != sizes:
        notices.append(
            f"networkShape: this server trains at most {layers} layers of {neurons} "
            f"neurons (a limit that keeps it fast for a class); using {clamped}"
        )
    return clamped


def _hidden_part(mapping: dict[str, str | None], notices: list[str]) -> dict[str, Any]:
    hidden: dict[str, Any] = {"controls": [], "features": [], "text": False, "tutorial": None}
    for name, value in mapping.items():
        if not name.endswith("_hide"):
            continue
        target = name[: -len("_hide")]
        group = "features" if target in FEATURES else "controls"
        if target not in FEATURES and target not in HIDABLE_CONTROLS:
            notices.append(f"{name}: no control {target!r} to hide; ignored")
        elif value == "true":
            hidden[group].append(target)
    if mapping.get("hideText"):
        hidden["text"] = mapping["hideText"] != "false"
    if mapping.get("tutorial"):
        hidden["tutorial"] = mapping["tutorial"]
    return hidden


def parse_hash(text: str) -> tuple[dict[str, Any], list[str]]:
    """(config, notices) for a URL hash such as "#activation=relu&seed=0.59704".

    Unknown keys and unusable values are skipped with a notice; a missing seed is drawn.
    """
    mapping = split_hash(text[1:] if text.startswith("#") else text)
    notices: list[str] = []
    config: dict[str, Any] = {"hidden": _hidden_part(mapping, notices)}
    for key, raw in mapping.items():
        if key.endswith("_hide") or key in ("hideText", "tutorial", *LESSON_KEYS):
            continue
        if key in _UNUSED_KEYS:
            continue
        if key not in FIELDS or key == "hidden":
            notices.append(f"{key}: unknown setting; ignored")
            continue
        if raw is None or (raw.strip() == "" and key != "networkShape"):
            continue  # the reference skips empty values
        value = _parse_value(key, raw, notices)
        if value is not None:
            _keep_if_valid(config, key, value, notices)
    for name in config["hidden"]["features"]:
        config[name] = False  # the reference drops a hidden feature from the inputs
    return _normalize_leniently(config, notices), notices


def _keep_if_valid(config: dict[str, Any], key: str, value: Any, notices: list[str]) -> None:
    try:
        config[key] = FIELDS[key](key, value)
    except ValueError as error:
        clamped = _clamp_number(key, value)
        if clamped is None:
            notices.append(f"{error}; kept the default")
        else:
            notices.append(f"{key}: {js_string(value)} is out of range; using {clamped!r}")
            config[key] = clamped


_INTEGER_KEYS = {"batchSize", "numClasses"}


def _clamp_number(key: str, value: Any) -> Any:
    """The nearest allowed value for an out-of-range number, or None if there is none."""
    limit = LIMITS.get(key) or (LIMITS["featureScale"] if key in SCALE_KEYS.values() else None)
    if limit is None or not isinstance(value, float) or "min" not in limit:
        return None
    low, high = limit.get("linkMin", limit["min"]), limit.get("linkMax", limit["max"])
    clamped = min(max(value, low), high)
    if key in _INTEGER_KEYS:
        clamped = float(round(clamped))
    try:
        return FIELDS[key](key, clamped)
    except ValueError:
        return None


def _normalize_leniently(config: dict[str, Any], notices: list[str]) -> dict[str, Any]:
    """normalize(), dropping settings that do not fit together (each with a notice)."""
    for key in ("outputActivation", "loss", "percValData", "x", None):
        try:
            return normalize(config)
        except ValueError as error:
            if key is None or key not in config:
                continue
            notices.append(f"{error}; kept the default")
            del config[key]
    return normalize({k: v for k, v in config.items() if k == "seed"})


def to_hash(config: dict[str, Any]) -> str:
    """The hash (without '#') the reference would write, plus our settings that differ
    from their defaults. `regularization` is omitted for none, like the reference."""
    config = normalize(config)
    parts = []
    for key in _REFERENCE_KEYS:
        value = config[key]
        if key == "regularization" and value == "none":
            continue
        parts.append(f"{key}={_format(value)}")
    hidden = config["hidden"]
    if hidden["tutorial"] is not None:
        parts.append(f"tutorial={hidden['tutorial']}")
    if hidden["text"]:
        parts.append("hideText=true")
    parts += [f"{name}_hide=true" for name in hidden["controls"] + hidden["features"]]
    parts += [f"{k}={_format(config[k])}" for k in _EXTRA_KEYS if config[k] != DEFAULTS[k]]
    return "&".join(parts)


def _format(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return ",".join(str(v) for v in value)
    if isinstance(value, int | float):
        return js_string(value)
    return str(value)


__all__ = ["js_number", "js_string", "parse_hash", "to_hash"]
