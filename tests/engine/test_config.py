"""Configuration: validation messages, the reference's URL hash rules, registries."""

from __future__ import annotations

import json

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from engine import Run
from engine.activations import HIDDEN_ACTIVATIONS
from engine.config import (
    DATA_KEYS,
    DEFAULTS,
    LIVE_KEYS,
    normalize,
    parse_hash,
    registries,
    to_hash,
)
from engine.features import FEATURES
from engine.optimizers import OPTIMIZERS
from engine.options import PROBLEMS, REGULARIZATION_RATES
from engine.regularization import REGULARIZATIONS
from engine.url_hash import js_number, js_string


@pytest.mark.parametrize(
    ("key", "value", "allowed"),
    [
        ("learningRate", -1, "(0, 1e+06]"),
        ("learningRate", 0, "(0, 1e+06]"),
        ("learningRate", float("nan"), "(0, 1e+06]"),
        ("regularizationRate", 11, "[0, 10]"),
        ("batchSize", 0, "1..5000"),
        ("batchSize", 2.5, "1..5000"),
        ("activation", "swish", "relu, tanh, sigmoid, linear, step, leaky_relu, gelu"),
        ("regularization", "L3", "none, L1, L2"),
        ("problem", "ranking", "classification, regression, multiclass"),
        ("dataset", "moons", "circle, xor, gauss, spiral"),
        ("networkShape", [4, 17], "1..16"),
        ("networkShape", [1] * 9, "0..8 layer sizes"),
        ("numClasses", 6, "2..5"),
        ("x", "yes", "true or false"),
        ("optimizer", "rmsprop", "sgd, momentum, adam"),
        ("percTrainData", 100, "[1, 99]"),
        ("xScale", 0, "[0.001, 1000]"),
        ("seed", 12, "a string"),
        ("seed", "a&b", "letters, digits and . _ ~ % + -"),
        ("seed", '"""+str(1)', "letters, digits"),
    ],
)
def test_a_bad_value_is_refused_naming_key_value_and_what_is_allowed(key, value, allowed):
    with pytest.raises(ValueError) as caught:
        normalize({key: value})
    message = str(caught.value)
    assert message.startswith(f"{key}: {value!r}")
    assert allowed in message


@pytest.mark.parametrize(
    ("config", "key", "reason"),
    [
        ({"outputActivation": "softmax"}, "outputActivation", "Multiclass"),
        ({"problem": "multiclass", "outputActivation": "tanh"}, "outputActivation", "Softmax"),
        ({"loss": "bce"}, "loss", "Sigmoid"),
        ({"outputActivation": "sigmoid", "loss": "softmax_ce"}, "loss", "Softmax"),
        (
            {"problem": "regression", "outputActivation": "sigmoid", "loss": "bce"},
            "loss",
            "two-class",
        ),
        ({"outputActivation": "relu"}, "outputActivation", "ReLU cannot"),
        ({"outputActivation": "step"}, "outputActivation", "no hidden layer"),
        (
            {"outputActivation": "step", "networkShape": [], "problem": "regression"},
            "outputActivation",
            "two classes",
        ),
        ({"loss": "perceptron", "networkShape": []}, "loss", "Step output"),
        ({"outputActivation": "step", "networkShape": [], "loss": "square"}, "loss", "Step"),
        ({"percTrainData": 80, "percValData": 20}, "percValData", "leaves test data"),
    ],
)
def test_pairings_that_make_no_sense_explain_why(config, key, reason):
    with pytest.raises(ValueError, match=reason) as caught:
        normalize(config)
    assert str(caught.value).startswith(f"{key}:")


def test_unknown_keys_are_refused():
    with pytest.raises(ValueError, match="^learningrate: unknown setting"):
        normalize({"learningrate": 0.1})


def test_a_missing_seed_is_drawn_like_the_reference():
    seed = normalize({})["seed"]
    assert len(seed) == 7 and seed.startswith("0.")


def test_reference_hash_parses_like_the_reference():
    config, notices = parse_hash(
        "#activation=relu&batchSize=7&dataset=xor&regDataset=reg-gauss&learningRate=0.3"
        "&regularizationRate=0.001&noise=15&networkShape=5,3,2&seed=0.59704&showTestData=true"
        "&discretize=false&percTrainData=70&x=false&y=true&xTimesY=true&xSquared=&ySquared=false"
        "&cosX=false&sinX=true&cosY=false&sinY=false&collectStats=false&problem=classification"
        "&initZero=false&hideText=true&regularization=L2&learningRate_hide=true&sinY_hide=true"
    )
    assert notices == []
    assert config["activation"] == "relu" and config["batchSize"] == 7
    assert config["learningRate"] == 0.3 and config["regularization"] == "L2"
    assert config["networkShape"] == [5, 3, 2] and config["seed"] == "0.59704"
    assert config["showTestData"] and not config["discretize"]
    assert not config["x"] and config["xTimesY"] and config["sinX"]
    assert not config["xSquared"]  # an empty value is skipped: the default stays
    assert config["hidden"] == {
        "controls": ["learningRate"], "features": ["sinY"], "text": True, "tutorial": None,
    }  # fmt: skip


@pytest.mark.parametrize(
    ("fragment", "key", "value"),
    [
        ("noise=90", "noise", 50),  # above 80 becomes 50
        ("noise=60", "noise", 60),  # 51..80 stay, as the reference keeps them
        ("noise=-5", "noise", 0),
        ("batchSize=500", "batchSize", 500),  # the reference accepts it (never updates)
        ("batchSize=9000", "batchSize", 5000),
        ("showTestData=0", "showTestData", True),  # true unless "false"
        ("learningRate=0x10", "learningRate", 16.0),  # JavaScript's +value
        ("learningRate=30", "learningRate", 30.0),  # above the menu, as the reference
        ("percTrainData=95", "percTrainData", 95),
        ("networkShape=", "networkShape", []),
        ("networkShape=4,20", "networkShape", [4, 16]),
        ("x=true&y=true&sinX=true&sinX_hide=true", "sinX", False),  # hidden: not an input
    ],
)
def test_hash_values_are_read_like_javascript_and_clamped(fragment, key, value):
    config, _ = parse_hash(fragment + "&seed=1")
    assert config[key] == value


@pytest.mark.parametrize(
    "fragment", ["learningRate=fast", "activation=swish", "wibble=1", "networkShape=4,a"]
)
def test_unusable_hash_values_are_skipped_with_a_notice(fragment):
    config, notices = parse_hash(fragment + "&seed=1")
    assert len(notices) == 1 and fragment.split("=")[0] in notices[0]
    assert {k: v for k, v in config.items() if k != "seed"} == {
        k: v for k, v in normalize({"seed": "1"}).items() if k != "seed"
    }


def test_a_pairing_from_a_link_that_makes_no_sense_falls_back_with_a_notice():
    config, notices = parse_hash("seed=1&outputActivation=softmax")
    assert config["outputActivation"] == "auto" and "softmax" in notices[0]


def test_to_hash_writes_the_reference_style_and_round_trips():
    config = normalize({
        "seed": "0.12345", "activation": "gelu", "regularization": "L1",
        "regularizationRate": 0.003, "learningRate": 0.00001, "networkShape": [],
        "optimizer": "adam", "percValData": 10, "xScale": 1000.0, "problem": "multiclass",
        "numClasses": 4, "hidden": {"controls": ["noise"], "features": ["x"], "text": True},
        "x": False,  # a hidden feature is not an input (the reference drops it)
    })  # fmt: skip
    text = to_hash(config)
    assert "learningRate=0.00001" in text and "networkShape=&" in text
    assert "regularization=L1" in text and "noise_hide=true" in text and "x_hide=true" in text
    assert "optimizer=adam" in text and "xScale=1000" in text
    assert "standardize" not in text  # our extras appear only when not default
    parsed, notices = parse_hash("#" + text)
    assert notices == [] and parsed == config


def test_to_hash_omits_regularization_none_like_the_reference():
    assert "regularization=" not in to_hash(normalize({"seed": "1"}))


def test_a_run_from_its_own_hash_is_the_same_run():
    run = Run({"seed": "0.777", "dataset": "spiral", "noise": 25, "networkShape": [3]})
    again = Run.from_hash(run.to_hash())
    assert again.config == run.config
    assert (again.weights[0] == run.weights[0]).all()


@pytest.mark.parametrize(
    ("text", "number"),
    [(" 12 ", 12), ("1e3", 1000), (".5", 0.5), ("5.", 5), ("0b101", 5), ("+3", 3), ("", 0)],
)
def test_js_number(text, number):
    assert js_number(text) == number


@pytest.mark.parametrize("text", ["abc", "1,5", "-0x10", "inf", "1_000"])
def test_js_number_nan(text):
    assert js_number(text) != js_number(text)


@pytest.mark.parametrize(
    ("number", "text"),
    [(0.03, "0.03"), (1e-5, "0.00001"), (1e-7, "1e-7"), (100.0, "100"), (1e21, "1e+21"),
     (123456789012345680000.0, "123456789012345680000"), (-0.5, "-0.5")],
)  # fmt: skip
def test_js_string(number, text):
    assert js_string(number) == text


def test_registries_are_json_and_cover_every_option():
    data = json.loads(json.dumps(registries()))
    assert [a["name"] for a in data["activations"]] == [
        "relu", "tanh", "sigmoid", "linear", "step", "leaky_relu", "gelu",
    ]  # fmt: skip
    assert [f["label"] for f in data["features"]] == ["x", "y", "x²", "y²", "xy", "sin x", "sin y"]
    assert data["learning_rates"][0] == 0.00001 and data["regularization_rates"][-1] == 10
    assert [d["name"] for d in data["datasets"]["multiclass"]] == ["blobs", "spiral", "quadrants"]
    assert data["limits"]["neurons"]["max"] == 16 and data["limits"]["hiddenLayers"]["max"] == 8
    assert set(data["defaults"]) == set(DEFAULTS)
    assert LIVE_KEYS.isdisjoint(DATA_KEYS)


def test_every_problem_regularization_and_dataset_has_a_label():
    data = registries()
    assert [r["name"] for r in data["regularizations"]] == REGULARIZATIONS
    assert [p["name"] for p in data["problems"]] == PROBLEMS
    assert set(data["datasets"]) == set(PROBLEMS)
    lists = [data["regularizations"], data["problems"], *data["datasets"].values()]
    for entry in (entry for entries in lists for entry in entries):
        assert entry["label"].strip() and entry["label"][0].isupper(), entry
    assert [r["label"] for r in data["regularizations"]] == ["None", "L1", "L2"]
    assert [d["label"] for d in data["datasets"]["classification"]] == [
        "Circle", "Exclusive or", "Gaussian", "Spiral",
    ]  # fmt: skip
    assert [d["label"] for d in data["datasets"]["regression"]] == ["Plane", "Multi gaussian"]


_hash_configs = st.fixed_dictionaries(
    {
        "activation": st.sampled_from(list(HIDDEN_ACTIVATIONS)),
        "regularization": st.sampled_from(REGULARIZATIONS),
        "regularizationRate": st.sampled_from(REGULARIZATION_RATES),
        "learningRate": st.floats(min_value=1e-6, max_value=10),
        "batchSize": st.integers(1, 100),
        "problem": st.sampled_from(PROBLEMS),
        "noise": st.integers(0, 80),
        "percTrainData": st.integers(10, 80),
        "percValData": st.integers(0, 10),
        "networkShape": st.lists(st.integers(1, 16), max_size=8),
        "seed": st.from_regex(r"[A-Za-z0-9._~%+-]{1,12}", fullmatch=True),
        "xScale": st.floats(min_value=0.001, max_value=1000),
        "numClasses": st.integers(2, 5),
        **{name: st.booleans() for name in FEATURES},
        "standardize": st.booleans(),
        "optimizer": st.sampled_from(list(OPTIMIZERS)),
    }
)


@settings(max_examples=200, deadline=None)
@given(_hash_configs)
def test_any_configuration_survives_its_hash(config):
    if not any(config[name] for name in FEATURES):
        config["x"] = True  # a network needs an input
    config = normalize(config)
    parsed, notices = parse_hash(to_hash(config))
    assert notices == [] and parsed == config


def test_a_hidden_feature_is_not_an_input_and_the_link_keeps_it_hidden():
    config, notices = parse_hash("x=true&y=true&sinX=true&sinX_hide=true&seed=1")
    run = Run(config)
    assert run.input_names == ["x", "y"] and notices == []
    assert "sinX_hide=true" in run.to_hash()


def test_a_link_whose_batch_is_larger_than_the_training_set_never_updates():
    run = Run.from_hash("#batchSize=300&percTrainData=50&seed=0.3")  # 250 training points
    first = [w.copy() for w in run.weights]
    run.step(3)
    assert run.diverged is None and run.epoch == 3
    assert all(np.array_equal(a, b) for a, b in zip(first, run.weights, strict=True))


def test_a_network_larger_than_the_server_trains_says_why_it_was_cut():
    _, notices = parse_hash("networkShape=4,40&seed=1")
    assert any("this server trains at most" in notice for notice in notices)
