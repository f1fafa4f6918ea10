"""The Python interpreters on this machine that the generated services can target."""

import glob
import os
import shutil
from pathlib import Path

# Kept here, not imported from extensions/, so the noxfile imports no Jinja; a test keeps them equal.
SUPPORTED = ("3.11", "3.12", "3.13", "3.14")


def interpreter(version: str) -> str:
    """The path of a `pythonX.Y` under pyenv or on PATH; ValueError naming the version if none."""
    pyenv_root = os.environ.get("PYENV_ROOT", str(Path.home() / ".pyenv"))
    candidates = sorted(glob.glob(f"{pyenv_root}/versions/{version}.*/bin/python{version}"))
    if candidates:
        return candidates[-1]
    found = shutil.which(f"python{version}")
    if found and "/shims/" not in found:  # a pyenv shim may name a version it cannot run
        return found
    raise ValueError(f"no Python {version} found on PATH or under {pyenv_root}/versions")


def available() -> list[str]:
    """The supported versions that have an interpreter here."""
    versions = []
    for version in SUPPORTED:
        try:
            interpreter(version)
        except ValueError:
            continue
        versions.append(version)
    return versions
