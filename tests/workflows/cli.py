"""Copier and git as a user runs them, from the command line, for the workflow tests."""

import os
import subprocess
import sys
from pathlib import Path

import yaml

from tests.releases import GIT_IDENTITY

CONFLICT_START = "<<<<<<< before updating"


def user_env(**extra: str) -> dict[str, str]:
    """A user's environment: this venv's tools on PATH, a git identity, no global git configuration."""
    inherited = ("VIRTUAL_ENV", "UV_PROJECT_ENVIRONMENT", "UV_PYTHON", "TEST_DATABASE_URL", "DATABASE_URL")
    env = {key: value for key, value in os.environ.items() if key not in inherited}
    path = os.pathsep.join((str(Path(sys.executable).parent), env.get("PATH", os.defpath)))
    return {
        **env,
        "PATH": path,
        "GIT_CONFIG_GLOBAL": os.devnull,
        "GIT_CONFIG_NOSYSTEM": "1",
        "UV_PYTHON_DOWNLOADS": "never",
        **GIT_IDENTITY,
        **extra,
    }


def copier(*args: str, cwd: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """Run `copier ARGS` in `cwd` with Python's own copier; the caller checks the result."""
    return subprocess.run(
        [sys.executable, "-m", "copier", *args],
        cwd=cwd,
        env=env or user_env(),
        capture_output=True,
        text=True,
        check=False,
    )


def git(*args: str, cwd: Path, env: dict[str, str] | None = None) -> str:
    """Run git in a project as its user and return the output; fail on a non-zero exit."""
    result = subprocess.run(["git", *args], cwd=cwd, env=env or user_env(), capture_output=True, text=True, check=False)
    assert result.returncode == 0, f"git {' '.join(args)} exited {result.returncode}:\n{result.stdout}{result.stderr}"
    return result.stdout


def commit_all(project: Path, message: str) -> None:
    """Stage and commit every change, as a user would after editing (hooks skipped for speed)."""
    git("add", "--all", cwd=project)
    git("commit", "--quiet", "--no-verify", "--message", message, cwd=project)


def conflicted_files(project: Path) -> list[str]:
    """Files that carry inline conflict markers after an update, sorted."""
    return sorted(
        str(path.relative_to(project))
        for path in project.rglob("*")
        if ".git" not in path.relative_to(project).parts
        and path.is_file()
        and CONFLICT_START in path.read_text(encoding="utf-8", errors="replace")
    )


def answers_of(project: Path) -> dict[str, object]:
    """The answers file Copier keeps in the project."""
    loaded = yaml.safe_load((project / ".copier-answers.yml").read_text(encoding="utf-8"))
    assert isinstance(loaded, dict)
    return loaded
