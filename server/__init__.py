"""Neural Playground's web server: pages, websocket training sessions, limits and CLI."""

import os
from importlib.metadata import PackageNotFoundError, version

# One BLAS thread per process, set before numpy loads (numpy reads these once, at import).
# A worker is one event loop on one core; the display grids' float32 products are the only
# BLAS calls (training never uses BLAS). With OpenBLAS's default of a thread per core, two
# workers' grids of configuration B (8 × 9 by 10 000 products) fought over the two cores:
# 2.3 ms a product instead of 0.14, 1.9 cores busy, and 10 sessions of B drawing 4 frames
# a second (docs/performance.md, Load). An operator's own setting is kept.
for _name in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_name, "1")

try:
    __version__ = version("neural-playground")
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0.0.0+source"
