"""Hostile files, links and numbers (issue 13): refused by name, never code, never a wedge."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from engine import Run
from engine.config import normalize, parse_hash
from engine.csv_data import parse_csv
from engine.model_io import export_model, import_model
from engine.predict_script import predict_script

INJECTION = '"""+str(print("INJECTED-CODE-RAN"))+"""'


def test_a_lesson_file_cannot_put_code_into_predict_py():
    model = export_model(Run({"seed": "0.42"}))
    model["config"]["seed"] = model["data"]["seed"] = INJECTION
    with pytest.raises(ValueError, match=r"^config\.seed: "):
        import_model(json.loads(json.dumps(model)))


@pytest.mark.parametrize("seed", [INJECTION, "a'b", "x\\", "'''", "é", "a b", "a\nb"])
def test_a_seed_is_a_url_token(seed):
    with pytest.raises(ValueError, match=r"^seed: .* letters, digits and \. _ ~ % \+ -"):
        normalize({"seed": seed})
    config, notices = parse_hash(f"seed={seed}")
    assert config["seed"] != seed and notices[0].startswith("seed: ")


def test_predict_py_keeps_any_seed_inside_its_literal(tmp_path):
    """Even a seed that got past validation is only ever SEED's literal, never code."""
    run = Run({"seed": "0.42"})
    run.config = {**run.config, "seed": INJECTION}
    script = tmp_path / "predict.py"
    script.write_text(predict_script(run), encoding="utf-8")
    result = subprocess.run(
        [sys.executable, str(script), "1", "2"], capture_output=True, text=True, check=True
    )
    assert "INJECTED" not in result.stdout + result.stderr
    assert "INJECTED" not in predict_script(run).split("SEED = ")[0]  # not in the docstring


def test_a_tutorial_name_cannot_break_out_of_the_link():
    with pytest.raises(ValueError, match=r"^hidden\.tutorial: "):
        normalize({"hidden": {"tutorial": "x&learningRate=10"}})


@pytest.mark.parametrize("epoch", [4294967296, 2**64, 10**30, -1, True, 1.0])
def test_a_model_file_epoch_has_a_range(epoch):
    model = export_model(Run({"seed": "0.42"}))
    model["epoch"] = epoch
    with pytest.raises(ValueError, match=r"^epoch: .*0\.\.1000000000"):
        import_model(model)


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("epoch", 4294967295),
        ("carry_count", 10**400),
        ("history_stride", 2**64),
        ("format", True),
        ("format", 1.0),
    ],
)
def test_a_snapshot_integer_has_a_range_and_a_type(field, value):
    snapshot = Run({"seed": "0.42"}).snapshot()
    snapshot[field] = value
    with pytest.raises(ValueError, match=r"^snapshot"):
        Run.from_snapshot(snapshot)


def test_a_snapshot_optimizer_step_count_has_a_range():
    snapshot = Run({"seed": "0.42", "optimizer": "adam"}).snapshot()
    snapshot["optimizer"]["t"] = 10**400
    with pytest.raises(ValueError, match=r"^snapshot\.optimizer\.t: too large"):
        Run.from_snapshot(snapshot)


def test_a_snapshot_without_a_config_is_refused():
    snapshot = Run({"seed": "0.42"}).snapshot()
    del snapshot["config"]
    with pytest.raises(ValueError, match=r"^snapshot\.config: "):
        Run.from_snapshot(snapshot)


@pytest.mark.parametrize("rate", [float("inf"), float("nan"), 1e400, -1.0, "0.1"])
def test_a_snapshot_last_update_rate_is_a_finite_number(rate):
    run = Run({"seed": "0.42"})
    run.step(1)
    snapshot = run.snapshot()
    snapshot["last_update"]["learning_rate"] = rate
    with pytest.raises(ValueError, match=r"^snapshot\.last_update\.learning_rate: "):
        Run.from_snapshot(snapshot)


@pytest.mark.parametrize("version", [True, 1.0])
def test_a_model_file_version_is_the_integer_1(version):
    model = export_model(Run({"seed": "0.42"}))
    model["version"] = version
    with pytest.raises(ValueError, match=r"^format: "):
        import_model(model)


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("learningRate", 10**400),
        ("batchSize", 10**400),
        ("noise", -(10**400)),
        ("networkShape", [10**400]),
        ("xScale", 10**309),
    ],
)
def test_an_integer_too_large_for_a_float_is_refused_by_name(key, value):
    with pytest.raises(ValueError, match=rf"^{key}: .* is not allowed"):
        normalize({key: value})


@pytest.mark.parametrize(
    "fragment",
    ["learningRate=0x" + "f" * 300, "networkShape=Infinity", "networkShape=1e400",
     "batchSize=" + "9" * 400, "learningRate=0x1_0"],
)  # fmt: skip
def test_a_hash_with_an_enormous_number_keeps_the_default(fragment):
    config, notices = parse_hash(fragment + "&seed=1")
    assert config == normalize({"seed": "1"}) and len(notices) == 1


def test_edits_refuse_an_integer_too_large_for_a_float():
    run = Run({"seed": "0.42"})
    with pytest.raises(ValueError, match=r"^value: "):
        run.set_weight(0, 0, 0, 10**400)
    with pytest.raises(ValueError, match=r"^points: "):
        run.set_data([[10**400, 0, 1], [0, 0, -1]])


@pytest.mark.parametrize("row", ["١,٢,1", "１,２,1", "1,2,١"])
def test_csv_numbers_are_ascii_only(row):
    result = parse_csv(f"{row}\n1,2,1\n2,1,-1\n", "classification")
    assert len(result.labels) == 2
    assert [r.line for r in result.rejected] == [1] and "not a number" in result.rejected[0].reason


def test_a_refused_value_is_quoted_short():
    with pytest.raises(ValueError) as caught:
        normalize({"activation": "x" * 100_000})
    assert len(str(caught.value)) < 300
