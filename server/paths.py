"""Where the page's templates and static files are, in a source tree or an installed wheel."""

from pathlib import Path

_HERE = Path(__file__).resolve().parent


def _find(name: str) -> Path:
    # An installed wheel ships them inside the package (server/static); a checkout keeps them
    # at the repository's top level (the design card's layout).
    for candidate in (_HERE / name, _HERE.parent / name):
        if candidate.is_dir():
            return candidate
    raise RuntimeError(f"cannot find the {name}/ folder next to {_HERE}")


STATIC_DIR = _find("static")
TEMPLATES_DIR = _find("templates")
