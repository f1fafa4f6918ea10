"""The one-time tasks of `copier copy`: what each leaves behind, and how each fails without failing the copy."""

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.generation import TEMPLATE_ROOT
from tests.net import free_port
from tests.presets import BASE_ANSWERS
from tests.workflows.cli import call, copier, git, serving, user_env

PYTHON = f"{sys.version_info.major}.{sys.version_info.minor}"


def data(**answers: object) -> list[str]:
    """`-d key=value` arguments for the base answers plus `answers`."""
    merged = {**BASE_ANSWERS, "python_version": PYTHON, **answers}
    return [item for key, value in merged.items() for item in ("-d", f"{key}={value}")]


def copy(destination: Path, *args: str, env: dict[str, str] | None = None) -> str:
    """Copy the template's HEAD with its tasks (uncommitted changes included); no failure, no traceback."""
    options = ("--trust", "--defaults", "--vcs-ref", "HEAD")
    result = copier("copy", *options, *args, str(TEMPLATE_ROOT), str(destination), cwd=destination.parent, env=env)
    output = f"{result.stdout}{result.stderr}"
    assert result.returncode == 0, output
    assert "Traceback" not in output, output
    return output


def test_default_copy_is_one_clean_commit_with_the_hook_installed(tmp_path: Path) -> None:
    """One commit naming the template, a clean tree, the pre-commit hook, and the hooks pass on it."""
    project = tmp_path / "svc"
    output = copy(project, *data())
    assert git("rev-list", "--count", "HEAD", cwd=project).strip() == "1"
    assert git("branch", "--show-current", cwd=project).strip() == "main"
    assert git("log", "-1", "--format=%s", cwd=project).startswith("Initial commit from fastapi-ms ")
    assert git("status", "--porcelain", "--untracked-files=all", cwd=project) == ""
    assert "pre-commit" in (project / ".git/hooks/pre-commit").read_text()
    assert "fastapi-ms: pre-commit: hook installed" in output
    assert "make install        # uv sync: creates .venv and uv.lock" in output  # next steps for these answers
    assert "git add uv.lock" in output
    checks = subprocess.run(
        [sys.executable, "-m", "pre_commit", "run", "--all-files", "--show-diff-on-failure"],
        cwd=project,
        env=user_env(),
        capture_output=True,
        text=True,
        check=False,
    )
    assert checks.returncode == 0, checks.stdout + checks.stderr
    assert "Passed" in checks.stdout
    assert git("status", "--porcelain", cwd=project) == ""


def test_copy_inside_a_repository_does_not_nest_one(tmp_path: Path) -> None:
    """A service copied into a monorepo stays a folder of it: no .git, no hook, a clear line for each."""
    git("init", "--quiet", str(tmp_path), cwd=tmp_path)
    project = tmp_path / "services" / "svc"
    project.parent.mkdir()
    output = copy(project, *data())
    assert not (project / ".git").exists()
    assert f"is inside the repository at {tmp_path}; not creating a nested one" in output
    assert "fastapi-ms: WARNING: " in output
    assert not (tmp_path / ".git/hooks/pre-commit").exists()


def test_copy_into_an_existing_repository_commits_nothing_and_installs_the_hook(tmp_path: Path) -> None:
    """`git init` done first: the user's repository is left to commit, the hook still goes in."""
    project = tmp_path / "svc"
    project.mkdir()
    git("init", "--quiet", cwd=project)
    output = copy(project, *data())
    assert f"fastapi-ms: git: {project} is already a git repository; nothing committed" in output
    assert git("rev-list", "--all", cwd=project) == ""
    assert (project / ".git/hooks/pre-commit").is_file()


def test_copy_without_git_succeeds_with_a_warning(tmp_path: Path) -> None:
    """No git on PATH: the service is complete, and one warning names the commands to run by hand."""
    project = tmp_path / "svc"
    env = {**user_env(), "PATH": str(Path(sys.executable).parent)}
    assert shutil.which("git", path=env["PATH"]) is None
    output = copy(project, *data(), env=env)
    assert "fastapi-ms: WARNING: git is not on PATH; install it, then run: git init" in output
    assert (project / "app/main.py").is_file()
    assert not (project / ".git").exists()


def test_copy_without_a_git_identity_commits_as_the_template(tmp_path: Path) -> None:
    """No user.name/email: the one initial commit uses a neutral identity and says how to take it over."""
    project = tmp_path / "svc"
    env = {key: value for key, value in user_env().items() if not key.startswith(("GIT_AUTHOR", "GIT_COMMITTER"))}
    env |= {
        "HOME": str(tmp_path),
        "GIT_CONFIG_COUNT": "1",
        "GIT_CONFIG_KEY_0": "user.useConfigOnly",
        "GIT_CONFIG_VALUE_0": "true",
    }
    env.pop("EMAIL", None)
    output = copy(project, *data(install_pre_commit=False), env=env)
    assert git("log", "-1", "--format=%an <%ae>", cwd=project).strip() == "fastapi-ms <fastapi-ms@localhost.invalid>"
    assert "git commit --amend --reset-author --no-edit" in output


def test_failing_tool_warns_and_the_copy_succeeds(tmp_path: Path) -> None:
    """uv that fails: one warning with the command to run by hand, the rest of the copy goes on."""
    fake = tmp_path / "bin"
    fake.mkdir()
    (fake / "uv").write_text("#!/bin/sh\necho 'error: no network' >&2\nexit 2\n")
    (fake / "uv").chmod(0o755)
    env = user_env()
    env["PATH"] = os.pathsep.join((str(fake), env["PATH"]))
    project = tmp_path / "svc"
    output = copy(project, *data(setup_environment=True, install_pre_commit=False), env=env)
    warning = "WARNING: `uv sync --quiet` failed (error: no network); run by hand: uv sync && uv run alembic"
    assert warning in output
    assert git("rev-list", "--count", "HEAD", cwd=project).strip() == "1"


@pytest.fixture(name="served")
def fixture_served(tmp_path: Path) -> Iterator[tuple[Path, str]]:
    """A service copied with setup_environment, served straight from its own .venv, no other command."""
    project = tmp_path / "svc"
    output = copy(project, *data(setup_environment=True, install_pre_commit=False))
    assert "make install" not in output  # the environment is already there
    with serving(project, free_port(), user_env()) as base_url:
        yield project, base_url


def test_setup_environment_serves_at_once(served: tuple[Path, str]) -> None:
    """After the copy: ready (migrated local database), an admin made, a product created, uv.lock committed."""
    project, base_url = served
    assert call("GET", f"{base_url}/health/ready")[0] == 200
    command = [
        str(project / ".venv/bin/python"),
        "-m",
        "app.cli",
        "create-user",
        "admin@example.com",
        "--role",
        "admin",
    ]
    made = subprocess.run(
        [*command, "--password-stdin"],
        cwd=project,
        env=user_env(),
        input="an admin passphrase\n",
        text=True,
        check=False,
    )
    assert made.returncode == 0
    form = {"username": "admin@example.com", "password": "an admin passphrase"}
    status, _, tokens = call("POST", f"{base_url}/api/v1/auth/token", form=form)
    assert status == 200, tokens
    product = {"name": "Desk", "price": "249.00"}
    assert call("POST", f"{base_url}/api/v1/products", body=product, token=tokens["access_token"])[0] == 201
    assert "uv.lock" in git("ls-files", cwd=project).split()
    assert git("status", "--porcelain", "--untracked-files=all", cwd=project) == ""
