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
