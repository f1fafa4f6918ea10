"""Renders with Copier itself: the gates, the benchmark, the copy timing and the tests pytest-copie cannot express."""

import shutil
import warnings
from pathlib import Path
from typing import Any

import yaml
from copier import run_copy

TEMPLATE_ROOT = Path(__file__).resolve().parents[1]


def copy_working_tree(target: Path) -> Path:
    """The working tree (uncommitted changes included) copied to `target`: a plain folder, rendered as it is."""
    target.mkdir(parents=True, exist_ok=True)
    shutil.copy(TEMPLATE_ROOT / "copier.yml", target)
    for folder in ("extensions", "template"):
        shutil.copytree(TEMPLATE_ROOT / folder, target / folder, ignore=shutil.ignore_patterns("__pycache__"))
    return target


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


def answers_of(project: Path) -> dict[str, Any]:
    """The answers file Copier keeps in the project."""
    loaded = yaml.safe_load((project / ".copier-answers.yml").read_text(encoding="utf-8"))
    assert isinstance(loaded, dict)
    return loaded
