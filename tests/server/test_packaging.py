"""The package lists every folder it ships, so installing it prints no setuptools warning."""

import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_every_static_folder_is_a_listed_package():
    setup = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]
    listed = set(setup["packages"])
    for source, package in setup["package-dir"].items():
        for folder in sorted((ROOT / package).rglob("*")):
            if folder.is_dir() and "__pycache__" not in folder.parts:
                name = source + "." + ".".join(folder.relative_to(ROOT / package).parts)
                assert name in listed, f"{folder.relative_to(ROOT)} is not in packages"
