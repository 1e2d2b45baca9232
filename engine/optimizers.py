"""Optimizers that turn a summed mini-batch gradient into a parameter step, keyed by UI name."""

from __future__ import annotations

import numpy as np

Array = np.ndarray


def step_spread(rate, count, is_bias: Array) -> tuple[Array, Array]:
    """(s, d) over the parameters for `reference_step`: α and n for a bias, α/n and 1 for a
    weight. `rate` and `count` are numbers, or (runs, 1) arrays for a stack of runs
    (engine/group.py)."""
    return np.where(is_bias, rate, rate / count), np.where(is_bias, count, 1.0)


def reference_step(params: Array, grad_sum: Array, spread: tuple[Array, Array], tmp: Array) -> None:
    """The reference's gradient step, grouped as it groups it: b − (α·Σ)/n for a bias,
    w − (α/n)·Σ for a weight, as params − Σ·s/d with `spread` = (s, d) from `step_spread`
    (a division by 1 changes no bit)."""
    np.multiply(grad_sum, spread[0], tmp)
    np.divide(tmp, spread[1], tmp)
    np.subtract(params, tmp, params)


class Sgd:
    """The reference's plain gradient descent: w ← w − (α / n) · Σ ∂L/∂w."""

    name = "sgd"
    label = "SGD (the reference's)"
    slots: tuple[str, ...] = ()

    def __init__(self, n_params: int) -> None:
        self.n_params = n_params
        self.t = 0  # updates applied
        self._spread: tuple | None = None  # (rate, count, is_bias, step_spread's arrays)

    def apply(self, params: Array, grad_sum: Array, count: int, rate: float, tmp: Array,
              is_bias: Array) -> None:  # fmt: skip
        """One step from the gradient sum of `count` points (is_bias marks the biases), its
        spread made again only when α, n or the biases change."""
        self.t += 1
        spread = self._spread
        if spread is None or spread[2] is not is_bias or spread[:2] != (rate, count):
            spread = self._spread = (rate, count, is_bias, step_spread(rate, count, is_bias))
        reference_step(params, grad_sum, spread[3], tmp)

    def state(self) -> dict[str, Array | int]:
        return {"t": self.t, **{slot: getattr(self, slot) for slot in self.slots}}

    def load(self, state: dict) -> None:
        """Restore `state()` output; ValueError names a missing or misshapen field."""
        t = state.get("t")
        if not isinstance(t, int) or isinstance(t, bool) or t < 0:
            raise ValueError(f"optimizer.t: {t!r} is not allowed; use an integer >= 0")
        for slot in self.slots:
            value = state.get(slot)
            if not isinstance(value, np.ndarray) or value.shape != (self.n_params,):
                raise ValueError(f"optimizer.{slot}: expected {self.n_params} float64 values")
            setattr(self, slot, value.astype(np.float64, copy=True))
        self.t = t

    def explain(self, before: dict, index: int, grad_sum: float, count: int, rate: float,
                is_bias: bool) -> list[dict]:  # fmt: skip
        """The step of parameter `index` as rows {key, symbol, formula, value} for the
        inspector, read from this optimizer after `apply` and its state() `before` it.
        A formula names earlier rows (and the inspector's sum, n and alpha) in braces."""
        step = (rate * grad_sum) / count if is_bias else (rate / count) * grad_sum
        return [_row("g", "g = mean ∂L/∂w", grad_sum / count, "{sum} / {n}"),
                _row("step", "step = α · g", step, "{alpha} × {g}")]  # fmt: skip


def _row(key: str, symbol: str, value: float, formula: str | None = None) -> dict:
    return {"key": key, "symbol": symbol, "formula": formula, "value": float(value)}


class Momentum(Sgd):
    """Heavy ball: v ← μ v + mean ∂L/∂w; w ← w − α v (μ = 0.9)."""

    name = "momentum"
    label = "Momentum (0.9)"
    slots = ("velocity",)
    MU = 0.9

    def __init__(self, n_params: int) -> None:
        super().__init__(n_params)
        self.velocity = np.zeros(n_params)

    def apply(self, params: Array, grad_sum: Array, count: int, rate: float, tmp: Array,
              is_bias: Array) -> None:  # fmt: skip
        self.t += 1
        np.multiply(self.velocity, self.MU, self.velocity)
        np.multiply(grad_sum, 1.0 / count, tmp)
        np.add(self.velocity, tmp, self.velocity)
        np.multiply(self.velocity, rate, tmp)
        np.subtract(params, tmp, params)

    def explain(self, before: dict, index: int, grad_sum: float, count: int, rate: float,
                is_bias: bool) -> list[dict]:  # fmt: skip
        g, v = grad_sum * (1.0 / count), float(self.velocity[index])
        return [
            _row("g", "g = mean ∂L/∂w", g, "{sum} / {n}"),
            _row("mu", "μ (momentum)", self.MU),
            _row("v_prev", "v_{t−1} (velocity before)", before["velocity"][index]),
            _row("v", "v_{t} = μ·v_{t−1} + g", v, "{mu} × {v_prev} + {g}"),
            _row("step", "step = α · v_{t}", v * rate, "{alpha} × {v}"),
        ]


class Adam(Sgd):
    """Adam (β₁ 0.9, β₂ 0.999, ε 1e-8) on the mean gradient, with bias correction."""

    name = "adam"
    label = "Adam"
    slots = ("m", "v")
    BETA1, BETA2, EPSILON = 0.9, 0.999, 1e-8

    def __init__(self, n_params: int) -> None:
        super().__init__(n_params)
        self.m = np.zeros(n_params)
        self.v = np.zeros(n_params)

    def apply(self, params: Array, grad_sum: Array, count: int, rate: float, tmp: Array,
              is_bias: Array) -> None:  # fmt: skip
        self.t += 1
        g = grad_sum / count
        self.m *= self.BETA1
        self.m += (1 - self.BETA1) * g
        self.v *= self.BETA2
        self.v += (1 - self.BETA2) * g * g
        m_hat = self.m / (1 - self.BETA1**self.t)
        v_hat = self.v / (1 - self.BETA2**self.t)
        np.subtract(params, rate * m_hat / (np.sqrt(v_hat) + self.EPSILON), params)

    def explain(self, before: dict, index: int, grad_sum: float, count: int, rate: float,
                is_bias: bool) -> list[dict]:  # fmt: skip
        g, m, v = grad_sum / count, float(self.m[index]), float(self.v[index])
        m_hat, v_hat = m / (1 - self.BETA1**self.t), v / (1 - self.BETA2**self.t)
        step = rate * m_hat / (np.sqrt(v_hat) + self.EPSILON)
        return [
            _row("g", "g = mean ∂L/∂w", g, "{sum} / {n}"),
            _row("beta1", "β_{1}", self.BETA1),
            _row("beta2", "β_{2}", self.BETA2),
            _row("eps", "ε", self.EPSILON),
            _row("t", "t (updates so far)", self.t),
            _row("m_prev", "m_{t−1}", before["m"][index]),
            _row(
                "m",
                "m_{t} = β_{1}·m_{t−1} + (1 − β_{1})·g",
                m,
                "{beta1} × {m_prev} + (1 − {beta1}) × {g}",
            ),  # fmt: skip
            _row("v_prev", "v_{t−1}", before["v"][index]),
            _row(
                "v",
                "v_{t} = β_{2}·v_{t−1} + (1 − β_{2})·g²",
                v,
                "{beta2} × {v_prev} + (1 − {beta2}) × {g}²",
            ),  # fmt: skip
            _row(
                "m_hat",
                "m̂ = m_{t} / (1 − β_{1}^t) (bias correction)",
                m_hat,
                "{m} / (1 − {beta1}^{t})",
            ),  # fmt: skip
            _row("v_hat", "v̂ = v_{t} / (1 − β_{2}^t)", v_hat, "{v} / (1 − {beta2}^{t})"),
            _row("step", "step = α · m̂ / (√v̂ + ε)", step, "{alpha} × {m_hat} / (√{v_hat} + {eps})"),
        ]


OPTIMIZERS: dict[str, type[Sgd]] = {cls.name: cls for cls in (Sgd, Momentum, Adam)}
