"""Configurations: defaults, limits, registries, validation, URL hashes and change kinds."""

from __future__ import annotations

from typing import Any

from engine.options import (
    DATA_KEYS,
    DATASET_KEYS,
    DEFAULTS,
    LEARNING_RATES,
    LIMITS,
    LIVE_KEYS,
    REGULARIZATION_RATES,
    registries,
)
from engine.url_hash import parse_hash, to_hash
from engine.validation import normalize, resolve_output

REGISTRIES = registries()


def relevant_data_keys(config: dict[str, Any]) -> set[str]:
    """The data keys that matter for this configuration's problem (a regression run does
    not care which classification dataset is selected)."""
    unused = {key for problem, key in DATASET_KEYS.items() if problem != config["problem"]}
    if config["problem"] != "multiclass":
        unused.add("numClasses")
    return set(DATA_KEYS) - unused


def change_kind(old: dict[str, Any], new: dict[str, Any]) -> str:
    """ "live", "rebuild" or "data": what going from `old` to `new` needs."""
    changed = {key for key in new if new[key] != old.get(key)}
    if changed & (relevant_data_keys(old) | relevant_data_keys(new)):
        return "data"
    if changed - LIVE_KEYS - DATA_KEYS:
        return "rebuild"
    return "live"


__all__ = [
    "DATA_KEYS",
    "DEFAULTS",
    "LEARNING_RATES",
    "LIMITS",
    "LIVE_KEYS",
    "REGISTRIES",
    "REGULARIZATION_RATES",
    "change_kind",
    "normalize",
    "parse_hash",
    "registries",
    "relevant_data_keys",
    "resolve_output",
    "to_hash",
]
