"""The generated predict.py: NumPy only, and the engine's outputs on the whole grid."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
import uuid
from pathlib import Path

import numpy as np
import pytest

from engine import Run
from engine.activations import HIDDEN_ACTIVATIONS, OUTPUT_ACTIVATIONS
from engine.config import normalize
from engine.features import FEATURES, SCALE_KEYS, grid_points
from engine.metrics import predicted_labels
from engine.options import PROBLEMS
from engine.predict_script import predict_script

GRID = grid_points(100)


def _load(source: str, directory: Path):
    """The script written to `directory`/predict.py, imported as a fresh module."""
    path = directory / "predict.py"
    path.write_text(source, encoding="utf-8")
    spec = importlib.util.spec_from_file_location(f"predict_{uuid.uuid4().hex}", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _settings_for(output: str) -> dict:
    """The first problem (and network shape: the step output has no hidden layer) that
    allows this output activation."""
    for problem in PROBLEMS:
        for shape in ([5, 3], []):
            settings = {"problem": problem, "outputActivation": output, "networkShape": shape}
            try:
                normalize({**settings, "seed": "1"})
            except ValueError:
                continue
            return settings
    raise AssertionError(f"no problem allows the output {output}")


@pytest.mark.parametrize("output", list(OUTPUT_ACTIVATIONS))
@pytest.mark.parametrize("hidden", list(HIDDEN_ACTIVATIONS))
def test_predict_py_equals_the_engine_on_the_grid(hidden, output, tmp_path):
    config = {
        "seed": "0.4", "activation": hidden, "standardize": True, **_settings_for(output),
        **{name: True for name in FEATURES}, SCALE_KEYS["sinY"]: 2.5, SCALE_KEYS["x"]: 0.5,
    }  # fmt: skip
    run = Run(config)
    run.step(3)
    module = _load(predict_script(run), tmp_path)
    np.testing.assert_allclose(module.predict(GRID), run.predict(GRID), rtol=0, atol=1e-12)
    assert module.FEATURES == list(FEATURES)


@pytest.mark.parametrize("problem", PROBLEMS)
def test_predict_class_gives_the_labels_the_page_counts_as_correct(problem, tmp_path):
    run = Run({"seed": "0.8", "problem": problem, "numClasses": 4})
    run.step(20)
    module = _load(predict_script(run), tmp_path)
    if problem == "regression":
        assert not hasattr(module, "predict_class")
        return
    outputs = run.predict(GRID).reshape(len(GRID), -1)
    expected = predicted_labels(outputs, problem, run.output_activation)
    np.testing.assert_array_equal(module.predict_class(GRID), expected)


@pytest.mark.parametrize(
    "config",
    [
        {"networkShape": [], "problem": "regression"},
        {"x": False, "y": False},
        {"outputActivation": "sigmoid", "loss": "bce", "standardize": True},
    ],
)
def test_unusual_networks_are_reproduced_too(config, tmp_path):
    run = Run({"seed": "0.2", **config})
    run.step(2)
    module = _load(predict_script(run), tmp_path)
    np.testing.assert_allclose(module.predict(GRID), run.predict(GRID), rtol=0, atol=1e-12)


def test_the_script_says_what_it_is_and_needs_only_numpy(tmp_path):
    run = Run({"seed": "0.5", "xSquared": True, "standardize": True})
    run.step(7)
    source = predict_script(run)
    module = _load(source, tmp_path)
    doc = " ".join(module.__doc__.split())  # the summary is wrapped
    assert "2 inputs" not in doc and "3 inputs → 4 tanh → 2 tanh → 1 tanh output" in doc
    assert "classification" in doc and "trained 7 epochs" in doc and "circle" in doc
    assert "Inputs: x, y, x²" in doc and "Standardized" in doc
    assert "python predict.py" in doc and "from predict import predict" in doc
    imports = [line for line in source.splitlines() if line.startswith(("import", "from"))]
    assert imports == ["import sys", "import numpy as np"]


@pytest.mark.parametrize("problem", ["classification", "multiclass"])
def test_python_predict_py_x_y_prints_the_output(problem, tmp_path):
    run = Run({"seed": "0.5", "problem": problem})
    run.step(5)
    (tmp_path / "predict.py").write_text(predict_script(run), encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "predict.py", "1", "2"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    first, second = done.stdout.splitlines()
    printed = np.array([float(v) for v in first.split()])
    np.testing.assert_allclose(printed, np.ravel(run.predict([[1.0, 2.0]])), rtol=0, atol=1e-12)
    outputs = run.predict([[1.0, 2.0]]).reshape(1, -1)
    label = predicted_labels(outputs, problem, run.output_activation)[0]
    assert second == f"class {int(label)}"
    usage = subprocess.run(
        [sys.executable, "predict.py", "one"], cwd=tmp_path, capture_output=True, text=True
    )
    assert usage.returncode != 0 and "usage: python predict.py X Y" in usage.stderr
