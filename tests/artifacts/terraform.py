"""Read a generated service's Terraform the way its tools do: python-hcl2, the terraform binary, checkov."""

import functools
import os
import shutil
from pathlib import Path
from typing import Any

import hcl2

from tests.presets import PRESETS, answers

TERRAFORM_PRESETS = sorted(preset for preset in PRESETS if answers(preset).get("infrastructure") == "aws")
ENVIRONMENTS = ("staging", "production")
MODULE = "modules/service"
Blocks = dict[str, Any]

# Blocks with two labels (type and name) and with one.
TWO_LABELS = {"resource", "data", "ephemeral"}
ONE_LABEL = {"variable", "output", "module", "provider"}


def _plain(value: Any) -> Any:
    """python-hcl2's output without its quoting and bookkeeping: "\\"x\\"" becomes "x"."""
    if isinstance(value, dict):
        return {_plain(key): _plain(item) for key, item in value.items() if not str(key).startswith("__")}
    if isinstance(value, list):
        return [_plain(item) for item in value]
    if isinstance(value, str) and len(value) >= 2 and value[0] == value[-1] == '"':
        return value[1:-1]
    return value


@functools.cache
def configuration(folder: Path) -> Blocks:
    """Every block of the .tf files in `folder`, by kind (and type), then name; locals merged; terraform listed."""
    merged: Blocks = {kind: {} for kind in (*TWO_LABELS, *ONE_LABEL, "locals")} | {"terraform": []}
    for path in sorted(folder.glob("*.tf")):
        for kind, blocks in _plain(hcl2.loads(path.read_text())).items():
            for block in blocks:
                if kind in TWO_LABELS:
                    for type_, named in block.items():
                        merged[kind].setdefault(type_, {}).update(named)
                elif kind == "terraform":
                    merged[kind].append(block)
                else:
                    merged[kind].update(block)
    return merged


def terraform_binary() -> str | None:
    """The terraform on PATH, if any (fmt and validate need no provider download)."""
    return shutil.which("terraform")


def plugin_dir() -> Path | None:
    """A provider mirror (terraform providers mirror DIR) named by TERRAFORM_PLUGIN_DIR, for an offline validate."""
    named = os.environ.get("TERRAFORM_PLUGIN_DIR")
    return Path(named) if named and Path(named).is_dir() else None


def checkov() -> str:
    """checkov, installed apart by the artifacts session (its HCL parser installs python-hcl2's module name)."""
    path = os.environ.get("CHECKOV", "")
    if not Path(path).is_file():
        raise FileNotFoundError(f"CHECKOV={path!r} names no checkov: run the tests through `uvx nox -s artifacts`")
    return path
