"""Neural Playground's engine: pure NumPy data, network, training, pictures and inspection."""

from engine import config
from engine.activations import HIDDEN_ACTIVATIONS, OUTPUT_ACTIVATIONS
from engine.config import DEFAULTS, LIMITS, normalize, parse_hash, registries, to_hash
from engine.features import FEATURES
from engine.losses import LOSSES
from engine.optimizers import OPTIMIZERS
from engine.run import Run

__all__ = [
    "DEFAULTS",
    "FEATURES",
    "HIDDEN_ACTIVATIONS",
    "LIMITS",
    "LOSSES",
    "OPTIMIZERS",
    "OUTPUT_ACTIVATIONS",
    "Run",
    "config",
    "normalize",
    "parse_hash",
    "registries",
    "to_hash",
]
