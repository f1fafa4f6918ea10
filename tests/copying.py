"""Renders of the template's pytest tests through pytest-copie, and what their results must show."""

from pathlib import Path
from typing import Any

from pytest_copie.plugin import Copie, Result

# pytest-copie cannot skip tasks: answered off, every one-time task (git, pre-commit, uv) is skipped by its `when`.
TASKS_OFF = {"init_git": False, "setup_environment": False}


def copy(copie: Copie, template: Path, answers: dict[str, Any]) -> Result:
    """Render `answers` from `template` into a new folder of `copie`; the one-time tasks are off unless answered on."""
    return copie.copy(extra_answers={**TASKS_OFF, **answers}, template_dir=template)


def project(result: Result) -> Path:
    """The folder of a render that had to succeed; a failed one fails the test with the render's own error."""
    if result.exit_code != 0 or result.project_dir is None:
        message = f"the render failed with exit code {result.exit_code}: {result.exception}"
        raise AssertionError(message) from result.exception
    return result.project_dir


def refusal(result: Result) -> str:
    """The message of a render that Copier had to refuse with a validation error."""
    assert isinstance(result.exception, ValueError), f"expected a refused answer, got {result!r}"
    assert result.exit_code == -1
    return str(result.exception)
