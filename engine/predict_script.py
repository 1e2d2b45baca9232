"""A standalone predict.py (NumPy only) that reproduces a run's outputs, written as text."""

from __future__ import annotations

import ast
import textwrap
from string import Template

import numpy as np

from engine.activations import LEAKY_SLOPE, OUTPUT_ACTIVATIONS
from engine.features import FEATURES
from engine.options import DATASET_KEYS

# Each feature and activation as the NumPy expression the engine evaluates (same order of
# operations, so the script's outputs equal the engine's to the last bit or nearly).
FEATURE_SOURCE = {
    "x": "x",
    "y": "y",
    "xSquared": "x * x",
    "ySquared": "y * y",
    "xTimesY": "x * y",
    "sinX": "np.sin(x)",
    "sinY": "np.sin(y)",
}
ACTIVATION_SOURCE = {
    "tanh": "np.tanh(z)",
    "sigmoid": "1.0 / (1.0 + np.exp(-z))",
    "relu": "np.maximum(z, 0.0)",
    "linear": "z",
    "step": "(z >= 0.0).astype(np.float64)  # fires at z >= 0",
    "leaky_relu": f"np.maximum(z, {LEAKY_SLOPE!r} * z)",
    "gelu": "0.5 * z * (1.0 + np.tanh(math.sqrt(2.0 / math.pi) * (z + 0.044715 * z**3)))",
    "softmax": "np.exp(z - z.max(axis=1, keepdims=True))\n"
    "    return e / e.sum(axis=1, keepdims=True)",
}

_SCRIPT = Template('''\
"""A neural network trained in Neural Playground, as a standalone NumPy script.

$summary

Inputs: $inputs
$input_steps
Output: $output

Use it from a shell:
    python predict.py 1.5 -2     prints the output at the point (x, y) = (1.5, -2)
or from Python:
    import numpy as np
    from predict import predict$also_import
    predict(np.array([[1.5, -2.0], [0.0, 0.0]]))  # $returns$class_use
Needs only NumPy. The numbers below are exact: this file reproduces the playground's outputs.
"""

${math_import}import sys

import numpy as np

# The seed of the run's random stream (it generated the data and the first weights).
SEED = $seed

# The network's inputs, in order: (feature × SCALES − MEAN) / STD, where MEAN and STD are
# the training set's (0 and 1 when the inputs are not standardized).
FEATURES = $feature_names
SCALES = np.array($scales)
MEAN = np.array($mean)
STD = np.array($std)

# Per layer: W (fan_in × fan_out) and b (fan_out), so that z = a @ W + b.
WEIGHTS = [
$weights
]
BIASES = [
$biases
]


def features(points):
    """The raw features of points (n, 2), one column per name in FEATURES."""
    $feature_body


def hidden_activation(z):
    """$hidden_name, applied to every hidden neuron."""
    return $hidden_source


def output_activation(z):
    """$output_name, applied to the output layer."""
    $output_body


def predict(points):
    """The network's output for points (n, 2): $returns."""
    points = np.asarray(points, dtype=np.float64).reshape(-1, 2)
    a = (features(points) * SCALES - MEAN) / STD
    for layer, (w, b) in enumerate(zip(WEIGHTS, BIASES)):
        z = a @ w + b
        a = output_activation(z) if layer == len(WEIGHTS) - 1 else hidden_activation(z)
    return $result
$predict_class

if __name__ == "__main__":
    try:
        point = np.array([[float(sys.argv[1]), float(sys.argv[2])]])
    except (IndexError, ValueError):
        sys.exit("usage: python predict.py X Y   (a point of the picture, in [-6, 6])")
    print(*(repr(float(v)) for v in np.ravel(predict(point))))$print_class
''')

_PREDICT_CLASS = {
    "classification": '''

def predict_class(points):
    """The class of each point: 1 (blue) where the output is >= $threshold, else -1 (orange)."""
    return np.where(predict(points) >= $threshold, 1, -1)
''',
    "multiclass": '''

def predict_class(points):
    """The class of each point (0..$last): the most probable one."""
    return predict(points).argmax(axis=1)
''',
}
_OUTPUTS = {
    "classification": "one number per point; >= $threshold means class 1 (blue), below it "
    "class -1 (orange)",
    "regression": "one number per point, the predicted value",
    "multiclass": "one probability per class (0..$last) per point; they sum to 1",
}


# What the script defines at its top level, in order: anything else in a generated script
# means a value escaped its literal.
_TOP_LEVEL = [
    "docstring", "import", "import", "SEED", "FEATURES", "SCALES", "MEAN", "STD", "WEIGHTS",
    "BIASES", "features", "hidden_activation", "output_activation", "predict",
]  # fmt: skip


def predict_script(run) -> str:
    """The source of predict.py for the run's network as it is now (NumPy only).

    Every value comes in as a Python literal (repr) or a registry name; the one free text,
    the seed, only as SEED's literal. The result is parsed and its shape checked, so a
    value that could end its literal is an error, never code in the file."""
    source = _SCRIPT.substitute(**_usage_parts(run), **_network_parts(run))
    _check_shape(source, run.config["seed"])
    return source


def _check_shape(source: str, seed: str) -> None:
    """The script's top level is exactly _TOP_LEVEL (plus predict_class and the main
    block), and SEED is the run's seed."""
    try:
        module = ast.parse(source)
    except SyntaxError:
        raise ValueError("predict.py: the generated script does not parse") from None
    names = []
    for node in module.body:
        if isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant) and not names:
            names.append("docstring")
        elif isinstance(node, ast.Import | ast.ImportFrom):
            names.append("import")
        elif isinstance(node, ast.Assign) and len(node.targets) == 1:
            names.append(getattr(node.targets[0], "id", "?"))
        elif isinstance(node, ast.FunctionDef):
            names.append(node.name)
        elif isinstance(node, ast.If):
            names.append("main")
        else:
            names.append("?")
    names = [n for i, n in enumerate(names) if n not in ("predict_class", "main") and (
        n != "import" or names[i - 1] != "import" or names[i + 1] != "import"
    )]  # fmt: skip
    seed_node = next(n for n in module.body if isinstance(n, ast.Assign))
    if names != _TOP_LEVEL or ast.literal_eval(seed_node.value) != seed:
        raise ValueError("predict.py: a value escaped its literal in the generated script")


def _usage_parts(run) -> dict[str, str]:
    """The docstring, the result's shape and predict_class, which depend on the problem."""
    problem, names = run.config["problem"], run.input_names
    threshold = repr(OUTPUT_ACTIVATIONS[run.output_activation].threshold)
    fill = {"threshold": threshold, "last": str(run.config["numClasses"] - 1)}
    classes = problem != "regression"
    return {
        "summary": _summary(run),
        "inputs": ", ".join(FEATURES[n].label for n in names) or "none (a constant network)",
        "input_steps": _input_steps(run),
        "output": Template(_OUTPUTS[problem]).substitute(fill),
        "also_import": ", predict_class" if classes else "",
        "returns": "shape (n, classes)" if problem == "multiclass" else "shape (n,)",
        "class_use": "\n    predict_class(...)  # the class" if classes else "",
        "result": "a" if problem == "multiclass" else "a[:, 0]",
        "predict_class": Template(_PREDICT_CLASS.get(problem, "")).substitute(fill),
        "print_class": '\n    print("class", *predict_class(point))' if classes else "",
    }


def _network_parts(run) -> dict[str, str]:
    """The numbers and functions of the network: features, transform, layers, activations."""
    hidden, output, transform = run.config["activation"], run.output_activation, run.state.transform
    return {
        "math_import": "import math\n" if "gelu" in (hidden, output) else "",
        "seed": repr(run.config["seed"]),
        "feature_names": repr(list(run.input_names)),
        "scales": _floats(transform.scales),
        "mean": _floats(transform.mean),
        "std": _floats(transform.std),
        "weights": "".join(_matrix(w) + ",\n" for w in run.weights).rstrip("\n"),
        "biases": "".join(f"    np.array({_floats(b)}),\n" for b in run.biases).rstrip("\n"),
        "feature_body": _feature_body(run.input_names),
        "hidden_name": hidden,
        "hidden_source": ACTIVATION_SOURCE[hidden],
        "output_name": output,
        "output_body": _output_body(output),
    }


def _summary(run) -> str:
    """One paragraph: the layers, the problem, the data and the epochs of training."""
    sizes, config = run.layer_sizes, run.config
    hidden = " → ".join(f"{n} {config['activation']}" for n in sizes[1:-1])
    layers = " → ".join(
        part
        for part in (f"{sizes[0]} inputs", hidden, f"{sizes[-1]} {run.output_activation} output")
        if part
    )
    problem = config["problem"]
    if run.user_data:
        data = f"the user's {sum(len(pair[0]) for pair in _parts(run))} points"
    else:
        data = f"the {config[DATASET_KEYS[problem]]} dataset (its seed is SEED below)"
    return textwrap.fill(
        f"Network: {layers}, for {problem}, trained {run.epoch} epochs on {data} "
        f"with the {run.loss} loss.",
        width=88,
    )


def _parts(run) -> tuple:
    return run.train_data, run.validation_data, run.test_data


def _input_steps(run) -> str:
    scaled = [
        f"{FEATURES[n].label} ×{s!r}"
        for n, s in zip(run.input_names, run.state.transform.scales.tolist(), strict=True)
        if s != 1
    ]
    steps = f"Scaled: {', '.join(scaled)}.\n" if scaled else ""
    if run.config["standardize"]:
        steps += "Standardized with the training set's mean and standard deviation.\n"
    return steps


def _floats(values: np.ndarray) -> str:
    """A list of floats in Python's shortest exact form."""
    return "[" + ", ".join(repr(v) for v in np.asarray(values, dtype=float).tolist()) + "]"


def _matrix(w: np.ndarray) -> str:
    fan_in, fan_out = w.shape
    if fan_in == 0:
        return f"    np.zeros((0, {fan_out}))"
    rows = "".join(f"        {_floats(row)},\n" for row in w)
    return f"    np.array([  # {fan_in} → {fan_out}\n{rows}    ])"


def _feature_body(names: list[str]) -> str:
    if not names:
        return "return np.zeros((len(points), 0))"
    columns = ", ".join(FEATURE_SOURCE[name] for name in names)
    return f"x, y = points[:, 0], points[:, 1]\n    return np.column_stack([{columns}])"


def _output_body(name: str) -> str:
    source = ACTIVATION_SOURCE[name]
    if name == "softmax":
        return "e = " + source  # the probabilities: shifted by the row maximum, normalized
    return "return " + source
