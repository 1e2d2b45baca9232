"""Validation of a configuration dict: every key, its range and the pairings that make sense."""

from __future__ import annotations

import math
import re
import sys
from collections.abc import Callable
from typing import Any

from engine import datasets
from engine.activations import HIDDEN_ACTIVATIONS, OUTPUT_ACTIVATIONS
from engine.features import FEATURES, SCALE_KEYS
from engine.losses import LOSSES
from engine.optimizers import OPTIMIZERS
from engine.options import (
    AUTO_OUTPUT,
    DEFAULTS,
    HIDABLE_CONTROLS,
    LIMITS,
    PROBLEMS,
    _copy,
    auto_loss,
)
from engine.regularization import REGULARIZATIONS
from engine.rng import random_seed

Check = Callable[[str, Any], Any]
# Seeds and tutorial names travel in URL hashes and generated files: URL-safe characters
# only (RFC 3986's unreserved ones, and % for a percent-encoded seed), nothing that quotes.
TOKEN = re.compile(r"[A-Za-z0-9._~%+-]+", re.ASCII)
TOKEN_CHARACTERS = "letters, digits and . _ ~ % + -"
SHOWN_CHARACTERS = 40  # of a refused value: enough to recognize it, never a whole file


def short(text: str) -> str:
    """At most SHOWN_CHARACTERS of a text, "…" marking a cut."""
    return text if len(text) <= SHOWN_CHARACTERS else text[: SHOWN_CHARACTERS - 1] + "…"


def shown(value: Any) -> str:
    """A value as an error message quotes it: its repr, cut to a short prefix."""
    if isinstance(value, list | dict) and len(value) >= 100:  # no need to build a huge repr
        return f"a {type(value).__name__} of {len(value)} items"
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) >= 10**40:
        return "an integer of over 40 digits"  # repr would refuse past 4300 digits
    return short(repr(value))


def _refuse(key: str, value: Any, allowed: str) -> ValueError:
    return ValueError(f"{key}: {shown(value)} is not allowed; use {allowed}")


def _is_number(value: Any) -> bool:
    """A finite JSON number (an integer too large for a float, 10**400, is not)."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return False
    return abs(value) <= sys.float_info.max if isinstance(value, int) else math.isfinite(value)


def _choice(options: list[str]) -> Check:
    def check(key: str, value: Any) -> str:
        if not isinstance(value, str) or value not in options:
            raise _refuse(key, value, "one of " + ", ".join(options))
        return value

    return check


def _number(low: float, high: float, low_open: bool = False) -> Check:
    allowed = f"a number in {'(' if low_open else '['}{low:g}, {high:g}]"

    def check(key: str, value: Any) -> float:
        if not _is_number(value) or value > high or value < low or (low_open and value == low):
            raise _refuse(key, value, allowed)
        return float(value)

    return check


def _integer(low: int, high: int) -> Check:
    def check(key: str, value: Any) -> int:
        if not _is_number(value) or value != int(value) or not low <= value <= high:
            raise _refuse(key, value, f"an integer in {low}..{high}")
        return int(value)

    return check


def _percent(low: float, high: float) -> Check:
    """A number kept as an int when it is whole (50, not 50.0), as the hash writes it."""
    number = _number(low, high)

    def check(key: str, value: Any) -> int | float:
        value = number(key, value)
        return int(value) if value == int(value) else value

    return check


def _boolean(key: str, value: Any) -> bool:
    if not isinstance(value, bool):
        raise _refuse(key, value, "true or false")
    return value


def _network_shape(key: str, value: Any) -> list[int]:
    layers, neurons = LIMITS["hiddenLayers"], LIMITS["neurons"]
    allowed = (
        f"a list of {layers['min']}..{layers['max']} layer sizes, "
        f"each an integer in {neurons['min']}..{neurons['max']}"
    )
    if not isinstance(value, list | tuple) or len(value) > layers["max"]:
        raise _refuse(key, value, allowed)
    for size in value:
        if not _is_number(size) or size != int(size) or not 1 <= size <= neurons["max"]:
            raise _refuse(key, value, allowed)
    return [int(size) for size in value]


def _seed(key: str, value: Any) -> str:
    if value is None:
        return random_seed()
    return _token(key, value)


def _token(key: str, value: Any) -> str:
    """A seed or a tutorial name: 1..1000 of TOKEN's characters (survives a URL hash, and
    can never end a quoted string in a generated file)."""
    limit = LIMITS["seedLength"]
    allowed = f"a string of {limit['min']}..{limit['max']} {TOKEN_CHARACTERS}"
    if not isinstance(value, str) or not limit["min"] <= len(value) <= limit["max"]:
        raise _refuse(key, value, allowed)
    if not TOKEN.fullmatch(value):
        raise _refuse(key, value, allowed)
    return value


def _hidden(key: str, value: Any) -> dict[str, Any]:
    """Classroom hiding: {"controls": [ids], "features": [names], "text": bool, "tutorial"}."""
    allowed = "an object with controls, features, text and tutorial"
    if not isinstance(value, dict) or set(value) - set(DEFAULTS["hidden"]):
        raise _refuse(key, value, allowed)
    result = _copy(DEFAULTS["hidden"])
    for name, options in (("controls", HIDABLE_CONTROLS), ("features", list(FEATURES))):
        items = value.get(name, [])
        if not isinstance(items, list) or any(item not in options for item in items):
            raise _refuse(f"{key}.{name}", items, "a list drawn from " + ", ".join(options))
        result[name] = [item for item in options if item in items]
    result["text"] = _boolean(f"{key}.text", value.get("text", False))
    tutorial = value.get("tutorial")
    if tutorial is not None:
        tutorial = _token(f"{key}.tutorial", tutorial)
    result["tutorial"] = tutorial
    return result


_PERCENT = LIMITS["percTrainData"]
FIELDS: dict[str, Check] = {
    "activation": _choice(list(HIDDEN_ACTIVATIONS)),
    "regularization": _choice(list(REGULARIZATIONS)),
    "regularizationRate": _number(0, LIMITS["regularizationRate"]["max"]),
    "learningRate": _number(0, LIMITS["learningRate"]["linkMax"], low_open=True),
    "batchSize": _integer(LIMITS["batchSize"]["min"], LIMITS["batchSize"]["linkMax"]),
    "problem": _choice(PROBLEMS),
    "dataset": _choice(list(datasets.DATASETS["classification"])),
    "regDataset": _choice(list(datasets.DATASETS["regression"])),
    "noise": _percent(0, LIMITS["noise"]["linkMax"]),
    "percTrainData": _percent(_PERCENT["linkMin"], _PERCENT["linkMax"]),
    "networkShape": _network_shape,
    "seed": _seed,
    "initZero": _boolean,
    "showTestData": _boolean,
    "discretize": _boolean,
    **{name: _boolean for name in FEATURES},
    "mcDataset": _choice(list(datasets.DATASETS["multiclass"])),
    "numClasses": _integer(LIMITS["numClasses"]["min"], LIMITS["numClasses"]["max"]),
    "outputActivation": _choice(["auto", *OUTPUT_ACTIVATIONS]),
    "loss": _choice(["auto", *LOSSES]),
    "optimizer": _choice(list(OPTIMIZERS)),
    "percValData": _percent(0, LIMITS["percValData"]["max"]),
    "standardize": _boolean,
    **{
        key: _number(LIMITS["featureScale"]["min"], LIMITS["featureScale"]["max"])
        for key in SCALE_KEYS.values()
    },
    "hidden": _hidden,
}


def resolve_output(config: dict[str, Any]) -> tuple[str, str]:
    """The (output activation, loss) a configuration means, "auto" resolved; ValueError
    names the key when the pair does not fit the problem."""
    problem, output, loss = config["problem"], config["outputActivation"], config["loss"]
    if output == "auto":
        output = AUTO_OUTPUT[problem]
    if loss == "auto":
        loss = auto_loss(problem, output)
    key = "loss" if config["loss"] != "auto" and config["outputActivation"] == "auto" else None
    reason = _pairing_problem(problem, output, loss, len(config["networkShape"]))
    if reason is not None:
        bad_key = key or reason[0]
        value = config[bad_key]
        raise ValueError(f"{bad_key}: {value!r} is not allowed here: {reason[1]}")
    return output, loss


def _pairing_problem(problem: str, output: str, loss: str, hidden: int) -> tuple[str, str] | None:
    """(key, why) for a pairing that makes no sense, else None; the why in the page's words."""
    key = "outputActivation"
    if output == "softmax" and problem != "multiclass":
        return key, "Softmax gives one probability per class: use it with Multiclass data"
    if problem == "multiclass" and output != "softmax":
        return key, "several classes need one output each: use Softmax (or Auto)"
    if output == "relu" and problem == "classification":
        return key, "ReLU cannot output the orange class (−1): use Tanh, Sigmoid or Linear"
    if output == "step" and problem != "classification":
        return key, "a Step output says 0 or 1: the perceptron separates two classes only"
    if output == "step" and hidden:
        return key, (
            "a Step output is the perceptron: no gradient passes a step, so it learns by "
            "the perceptron rule with no hidden layer; remove the hidden layers first"
        )
    if (loss == "perceptron") != (output == "step"):
        return "loss", "the perceptron rule trains a Step output (and a Step output only)"
    if loss == "softmax_ce" and output != "softmax":
        return "loss", "categorical cross-entropy needs the Softmax output (Multiclass data)"
    if loss == "bce" and (output != "sigmoid" or problem != "classification"):
        return "loss", "binary cross-entropy needs a Sigmoid output on two-class data"
    return None


def normalize(config: dict[str, Any] | None) -> dict[str, Any]:
    """The full, validated configuration: defaults filled in, a missing seed drawn.

    Raises ValueError("<key>: <value> is not allowed; use <allowed>") on the first bad key.
    """
    if config is None:
        config = {}
    if not isinstance(config, dict):
        raise ValueError(f"config: {shown(config)} is not allowed; use an object of settings")
    for key in config:
        if key not in FIELDS:
            raise ValueError(
                f"{short(str(key))}: unknown setting; known settings: {', '.join(FIELDS)}"
            )
    result = {key: check(key, config.get(key, DEFAULTS[key])) for key, check in FIELDS.items()}
    total = result["percTrainData"] + result["percValData"]
    if result["percValData"] and total > LIMITS["percTrainPlusVal"]["max"]:
        raise _refuse(
            "percValData",
            result["percValData"],
            "a share that leaves test data: train + validation <= 90",
        )
    resolve_output(result)
    return result
