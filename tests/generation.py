"""The one helper that renders a service from this template, for the tests, gates and benchmark."""

import warnings
from pathlib import Path
from typing import Any

from copier import run_copy

TEMPLATE_ROOT = Path(__file__).resolve().parents[1]


def generate(destination: Path, answers: dict[str, Any]) -> Path:
    """Render the template's working tree (uncommitted changes included) into `destination`."""
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="Dirty template changes included automatically")
        run_copy(
            str(TEMPLATE_ROOT),
            destination,
            data=answers,
            defaults=True,
            unsafe=True,
            quiet=True,
            vcs_ref="HEAD",
            skip_tasks=True,
        )
    return destination
