"""The backprop inspector: the chain rule for one weight or bias, with the run's numbers.

For a weight w from neuron i of layer l-1 to neuron j of layer l (the lecture's notation):
∂L/∂w = a_{l-1,i} · φ'(a_{l,j}) · ∂L/∂h_{l,j}, where ∂L/∂h_{l,j} = Σ_k w_{jk} ∂L/∂a_{l+1,k}
(or the loss's derivative in the output layer). Over a batch every factor is averaged
per point and ∂L/∂w is the mean of the per-point products, exactly what the update uses.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from engine.data import targets
from engine.edits import checked_index, checked_value
from engine.losses import FUSED, LOSSES, output_delta
from engine.network import Network
from engine.regularization import DERIVATIVES
from engine.training import with_ones

Array = np.ndarray


def _rows(run, point: Any) -> tuple[Array, Array, Array, str, dict[str, Any]]:
    """(inputs with trailing 1, targets, params, which rows, extra values) to inspect."""
    if point is not None:
        return _point_rows(run, point)
    trainer = run._trainer
    last = trainer.last_update
    if last is not None:
        return last.inputs, last.targets, last.params_before, "last_update", {}
    rows = slice(0, min(trainer.batch_size, trainer.n_train))
    extra = {"note": "no update yet: the first batch of the next epoch"}
    return trainer.inputs[rows], trainer.targets[rows], run._net.params, "next_batch", extra


def _point_rows(run, point: Any) -> tuple[Array, Array, Array, str, dict[str, Any]]:
    """One point [x, y] (its label: the nearest data point's) or [x, y, label]."""
    if not isinstance(point, list | tuple) or len(point) not in (2, 3):
        raise ValueError(f"point: {point!r} is not allowed; use [x, y] or [x, y, label]")
    x, y = (checked_value(v, "point") for v in point[:2])
    data = run._data
    if len(point) == 3:
        label = checked_value(point[2], "point")
    else:
        nearest = np.argmin(((data.points - (x, y)) ** 2).sum(axis=1))
        label = float(data.labels[nearest])
    c = run.config
    target = targets(np.array([label]), c["problem"], run.output_activation, c["numClasses"])
    inputs = with_ones(run._transform.apply(np.array([[x, y]])))
    return inputs, target, run._net.params, "point", {"point": [x, y], "label": label}


def _backprop(net: Network, loss_name: str, inputs: Array, targets: Array):
    """Per layer (z, h) and δ = ∂L/∂z for every row, as training computes them."""
    layers = net.forward(inputs[:, :-1])
    z, h = layers[-1]
    deltas = [output_delta(net.output, LOSSES[loss_name], z, h, targets)]
    for layer in range(len(layers) - 1, 0, -1):
        z, h = layers[layer - 1]
        grad_h = deltas[0] @ net.views[layer][:-1].T
        deltas.insert(0, net.hidden.backward(z, h, grad_h, np.empty_like(z), np.empty_like(z)))
    return layers, deltas


def _dl_dh(net: Network, loss_name: str, layers, deltas, layer: int, neuron: int, targets):
    """∂L/∂h of the neuron per row, and the terms w_jk · ∂L/∂a_k it sums (hidden layers)."""
    if layer == len(layers) - 1:
        h = layers[layer][1]
        grad = np.empty_like(h)
        LOSSES[loss_name].gradient(h, targets, grad)
        return grad[:, neuron], []
    weights = net.views[layer + 1][neuron, :]  # row `neuron` of W_{l+1}: its outgoing links
    products = deltas[layer + 1] * weights
    terms = [
        {
            "neuron": k,
            "weight": float(weights[k]),
            "dL_dz": float(deltas[layer + 1][:, k].mean()),
            "product": float(products[:, k].mean()),
        }
        for k in range(len(weights))
    ]
    return products.sum(axis=1), terms


def inspect(run, layer: int, source: int | None, target: int, kind: str, point: Any) -> dict:
    """The chain-rule factors of one parameter (see the module docstring), as floats."""
    if kind not in ("weight", "bias"):
        raise ValueError(f"kind: {kind!r} is not allowed; use weight or bias")
    net = run._net
    layer = checked_index("layer", layer, len(net.views))
    rows, cols = net.shapes[layer]
    target = checked_index("target", target, cols)
    row = checked_index("source", source, rows - 1) if kind == "weight" else rows - 1
    inputs, targets, params, batch, extra = _rows(run, point)
    with np.errstate(all="ignore"):
        values = _factors(run, Network(net.layer_sizes, net.hidden, net.output, params),
                          layer, row, target, inputs, targets)  # fmt: skip
    index = net.flat_index(layer, row, target)
    values.update(_update(run, params, index, values["dL_dw"], batch))
    return {**values, "batch": batch, "n_points": len(inputs), **extra}


def _factors(run, net: Network, layer: int, row: int, neuron: int, inputs, targets) -> dict:
    layers, deltas = _backprop(net, run.loss, inputs, targets)
    a_prev = inputs if layer == 0 else with_ones(layers[layer - 1][1])
    z, h = layers[layer][0][:, neuron], layers[layer][1][:, neuron]
    dl_dh, terms = _dl_dh(net, run.loss, layers, deltas, layer, neuron, targets)
    activation = net.activation(layer)
    elementwise = activation.derivative is not None
    dphi = activation.derivative(z, h) if elementwise else None
    dl_dz = deltas[layer][:, neuron]
    fused = layer == len(layers) - 1 and (activation.name, run.loss) in FUSED
    return {
        "a_prev": _mean(a_prev[:, row]),
        "z": _mean(z),
        "h": _mean(h),
        "dphi": None if dphi is None else _mean(dphi),
        "dL_dh": _mean(dl_dh),
        "terms": terms,
        "dL_dz": _mean(dl_dz),
        "dL_dw": _mean(a_prev[:, row] * dl_dz),
        "activation": activation.name,
        "fused_output": fused,  # ∂L/∂a = h − t directly (softmax or sigmoid cross-entropy)
    }


def _update(run, params: Array, index: int, dl_dw: float, batch: str) -> dict[str, Any]:
    """α, the penalty term and the weight after the update (what training applied)."""
    net, last = run._net, run._trainer.last_update
    if batch == "last_update":
        rate, reg, reg_rate = last.learning_rate, last.regularization, last.regularization_rate
    else:
        c = run.config
        rate, reg, reg_rate = c["learningRate"], c["regularization"], c["regularizationRate"]
    weight = float(params[index])
    alive = bool(net.alive[index]) or weight != 0.0  # dead links sit at 0; this one died now
    is_weight = bool(net.weight_mask[index])
    derivative = DERIVATIVES[reg] if reg_rate and is_weight else None
    penalty = reg_rate * float(derivative(np.array(weight))) if derivative else 0.0
    gradient = dl_dw if alive else 0.0  # a dead link takes no gradient
    after = weight - rate * gradient - rate * penalty if alive else weight
    if reg == "L1" and alive and (weight - rate * gradient) * after < 0:
        after = 0.0  # the penalty crossed zero: the link dies
    result = {
        "weight": weight,
        "learning_rate": rate,
        "regularization": penalty,
        "regularization_rate": reg_rate,
        "update": rate * gradient,
        "weight_after": after,
        "dead": not alive,
        "optimizer": run._trainer.optimizer.name,
    }
    if batch == "last_update":
        result["weight_after"] = float(last.params_after[index])  # what training applied
    return result


def _mean(values: Array) -> float:
    return float(np.mean(values))
