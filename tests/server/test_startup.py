"""The server refuses to start without its session layer (no page that cannot connect)."""

import importlib
import sys

import pytest


def test_a_broken_session_layer_stops_the_server_at_startup(monkeypatch):
    import server.app

    monkeypatch.setitem(sys.modules, "server.ws", None)  # `import server.ws` now fails
    with pytest.raises(ImportError):
        importlib.reload(server.app)
    monkeypatch.undo()
    importlib.reload(server.app)  # leave a working module behind for the other tests
    assert any(getattr(route, "path", None) == "/ws" for route in server.app.create_app().routes)


def _threads_after(code: str, env: dict[str, str]) -> tuple[int, str]:
    """(threads of a fresh interpreter after `code`, what it printed)."""
    import os
    import subprocess

    clean = {k: v for k, v in os.environ.items() if not k.endswith("_NUM_THREADS")}
    script = code + "; import os; print(len(os.listdir('/proc/self/task')), " \
        "os.environ.get('OPENBLAS_NUM_THREADS'))"  # fmt: skip
    out = subprocess.run([sys.executable, "-c", script], env={**clean, **env},
                         capture_output=True, text=True, check=True).stdout.split()  # fmt: skip
    return int(out[0]), out[1]


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="counts threads in /proc")
def test_a_worker_has_one_blas_thread_so_workers_do_not_fight_over_the_cores():
    """Two workers' display grids, each with OpenBLAS's thread per core, took 2.3 ms a
    product instead of 0.14 on two cores (10 sessions of B drew 4 frames a second): the
    server asks numpy's BLAS for one thread before numpy loads; an operator's choice stays."""
    one_thread, _ = _threads_after("import numpy", {"OPENBLAS_NUM_THREADS": "1"})
    threads, setting = _threads_after("import server.cli, numpy", {})
    assert (threads, setting) == (one_thread, "1")
    _, kept = _threads_after("import server.cli, numpy", {"OPENBLAS_NUM_THREADS": "2"})
    assert kept == "2"
