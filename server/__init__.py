"""Neural Playground's web server: pages, websocket training sessions, limits and CLI."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("neural-playground")
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0.0.0+source"
