"""The one helper that renders a service from this template, for the tests, gates and benchmark."""

import warnings
from pathlib import Path
from typing import Any

from copier import run_copy

TEMPLATE_ROOT = Path(__file__).resolve().parents[1]


def copy_template(source: Path, destination: Path, answers: dict[str, Any], **options: Any) -> Path:
    """Render the template at `source` non-interactively (hooks trusted, tasks skipped)."""
    run_copy(
        str(source),
        destination,
        data=answers,
        defaults=True,
        unsafe=True,
        quiet=True,
        skip_tasks=True,
        **options,
    )
    return destination


def generate(destination: Path, answers: dict[str, Any]) -> Path:
    """Render the template's working tree (uncommitted changes included) into `destination`."""
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="Dirty template changes included automatically")
        return copy_template(TEMPLATE_ROOT, destination, answers, vcs_ref="HEAD")
