"""The backprop inspector: the chain rule for one weight or bias, with the run's numbers.

For a weight w from neuron i of layer l-1 to neuron j of layer l (the lecture's notation):
∂L/∂w = a_{l-1,i} · φ'(a_{l,j}) · ∂L/∂h_{l,j}, where ∂L/∂h_{l,j} = Σ_k w_{jk} ∂L/∂a_{l+1,k}
(or the loss's derivative in the output layer). Over a batch the chain is worked point by
point (`points`, rounded exactly as training rounds them), the per-point products are
summed in training's order (`sum`, what the update received) and the update is replayed on
copies by training's own rule (engine.training.apply_update): `steps` are the optimizer's
numbers, `weight_after` is what training applied.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from engine.data import targets
from engine.edits import checked_index, checked_value
from engine.exact import ordered_sum, ordered_total
from engine.inspection_update import replay
from engine.losses import FUSED, LOSSES, output_delta
from engine.network import Network
from engine.training import with_ones

Array = np.ndarray


def _rows(run, point: Any) -> tuple[Array, Array, str, dict[str, Any]]:
    """(inputs with trailing 1, targets, which rows, extra values) to inspect."""
    if point is not None:
        return _point_rows(run, point)
    trainer = run.state.trainer
    if trainer.n_train < trainer.batch_size:
        extra = {"note": "no_update", "batch_size": trainer.batch_size}
        return trainer.inputs, trainer.targets, "no_update", extra
    last = trainer.last_update
    if last is not None:
        return last.inputs, last.targets, "last_update", {}
    rows = slice(0, trainer.batch_size)
    return trainer.inputs[rows], trainer.targets[rows], "next_batch", {}


def _point_rows(run, point: Any) -> tuple[Array, Array, str, dict[str, Any]]:
    """One point [x, y] (its label: the nearest data point's) or [x, y, label]."""
    if not isinstance(point, list | tuple) or len(point) not in (2, 3):
        raise ValueError(f"point: {point!r} is not allowed; use [x, y] or [x, y, label]")
    x, y = (checked_value(v, "point") for v in point[:2])
    data = run.state.data
    if len(point) == 3:
        label = checked_value(point[2], "point")
    else:
        nearest = np.argmin(((data.points - (x, y)) ** 2).sum(axis=1))
        label = float(data.labels[nearest])
    c = run.config
    target = targets(np.array([label]), c["problem"], run.output_activation, c["numClasses"])
    inputs = with_ones(run.state.transform.apply(np.array([[x, y]])))
    return inputs, target, "point", {"point": [x, y], "label": label}


def _backprop(net: Network, loss_name: str, inputs: Array, targets: Array):
    """Per layer (z, h) and δ = ∂L/∂z for every row (n, neurons), rounded as training
    rounds them: ∂L/∂h_{l-1} = Σ_j w_j δ_{l,j} over the outgoing links in order."""
    layers = net.forward(inputs[:, :-1])
    z, h = layers[-1]
    deltas = [output_delta(net.output, LOSSES[loss_name], z, h, targets)]
    for layer in range(len(layers) - 1, 0, -1):
        z, h = layers[layer - 1]
        weights = net.views[layer][:-1]  # (fan_in, fan_out)
        grad_h = ordered_sum(weights.T[:, None, :] * deltas[0].T[:, :, None])  # (n, fan_in)
        deltas.insert(0, net.hidden.backward(z, h, grad_h, np.empty_like(z), np.empty_like(z)))
    return layers, deltas


def _dl_dh(net: Network, loss_name: str, layers, deltas, layer: int, neuron: int, targets):
    """∂L/∂h of the neuron per row, and the first row's terms w_jk · ∂L/∂a_k it sums."""
    if layer == len(layers) - 1:
        h = layers[layer][1]
        grad = np.empty(h.shape[::-1])
        LOSSES[loss_name].gradient(h.T, targets.T, grad)
        return grad[neuron], []
    weights = net.views[layer + 1][neuron, :]  # row `neuron` of W_{l+1}: its outgoing links
    products = deltas[layer + 1] * weights  # (n, fan_out)
    terms = [
        {"neuron": k, "weight": float(weights[k]), "dL_dz": float(deltas[layer + 1][0, k]),
         "product": float(products[0, k])}
        for k in range(len(weights))
    ]  # fmt: skip
    return ordered_sum(products.T), terms


def inspect(run, layer: int, source: int | None, target: int, kind: str, point: Any) -> dict:
    """The worked chain rule of one parameter (see the module docstring), as floats."""
    if kind not in ("weight", "bias"):
        raise ValueError(f"kind: {kind!r} is not allowed; use weight or bias")
    net = run.state.net
    layer = checked_index("layer", layer, len(net.views))
    rows, cols = net.shapes[layer]
    target = checked_index("target", target, cols)
    row = checked_index("source", source, rows - 1) if kind == "weight" else rows - 1
    inputs, targets, batch, extra = _rows(run, point)
    last = run.state.trainer.last_update if batch == "last_update" else None
    params = last.params_before if last is not None else net.params
    with np.errstate(all="ignore"):
        copy = Network(net.layer_sizes, net.hidden, net.output, params)
        values = _chain(run, copy, layer, row, target, inputs, targets)
        index = net.flat_index(layer, row, target)
        values.update(replay(run, last, index, inputs, targets, batch))
    position = list(run.batch_position)  # batches of this epoch trained, updates per epoch
    return {**values, "batch": batch, "n_points": len(inputs), "batch_position": position,
            **extra}  # fmt: skip


def _chain(run, net: Network, layer: int, row: int, neuron: int, inputs, targets) -> dict:
    """Every point's chain (a table) and, for one point, its factors as before."""
    layers, deltas = _backprop(net, run.loss, inputs, targets)
    a_prev = inputs[:, row] if layer == 0 else with_ones(layers[layer - 1][1])[:, row]
    z, h = layers[layer][0][:, neuron], layers[layer][1][:, neuron]
    dl_dh, terms = _dl_dh(net, run.loss, layers, deltas, layer, neuron, targets)
    activation = net.activation(layer)
    output = layer == len(layers) - 1
    fused = output and (activation.name, run.loss) in FUSED
    dphi = activation.derivative(z, h) if activation.elementwise and not fused else None
    dl_dz = deltas[layer][:, neuron]
    dl_dw = a_prev * dl_dz  # training's per-point product, bit for bit
    z_out, h_out = layers[-1]
    point_loss = LOSSES[run.loss].value(z_out.T, h_out.T, np.asarray(targets).T)
    points = [
        {"a_prev": float(a_prev[p]), "z": float(z[p]), "h": float(h[p]),
         "t": float(targets[p, neuron]) if output else None,
         "dphi": None if dphi is None else float(dphi[p]),
         "dL_dh": None if fused else float(dl_dh[p]), "dL_dz": float(dl_dz[p]),
         "dL_dw": float(dl_dw[p]), "loss": float(point_loss[p])}
        for p in range(len(inputs))
    ]  # fmt: skip
    total = ordered_total(dl_dw)
    one = points[0] if len(points) == 1 else dict.fromkeys(points[0])
    return {
        **{key: one[key] for key in ("a_prev", "z", "h", "dphi", "dL_dz")},
        "dL_dh": one["dL_dh"],
        "points": points,
        "terms": terms,
        "sum": total,
        "dL_dw": total / len(points),
        "batch_loss": ordered_total(point_loss) / len(points),
        "activation": activation.name,
        "loss": run.loss,
        "fused_output": fused,  # ∂L/∂a = h − t directly (cross-entropy, the perceptron rule)
    }
