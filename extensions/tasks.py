"""One-time tasks after `copier copy`: set up the environment, initialise git, install pre-commit.

    python extensions/tasks.py setup-environment
    python extensions/tasks.py init-git TEMPLATE_VERSION
    python extensions/tasks.py install-pre-commit

Each task prints one line saying what it did. A missing or failing tool prints one warning with
the command to run by hand, and the task still exits 0: a copy never fails because of a hook.
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import sys
from collections.abc import Callable
from pathlib import Path

from plumbum import ProcessExecutionError, local
from plumbum.commands.base import BaseCommand

PREFIX = "fastapi-ms:"
COMPLETE = "the service itself is complete"
FALLBACK_IDENTITY = {"name": "fastapi-ms", "email": "fastapi-ms@localhost.invalid"}
# Variables of the shell that ran Copier that would point tools at another project's environment.
FOREIGN_ENVIRONMENT = ("VIRTUAL_ENV", "CONDA_PREFIX", "UV_PROJECT_ENVIRONMENT", "PYTHONPATH")


class TaskSkipped(Exception):
    """The task cannot run here; the message says why and what to run by hand."""


def say(message: str) -> None:
    """Report what a task did, on one line."""
    print(f"{PREFIX} {message}", flush=True)


def warn(message: str) -> None:
    """Report a task that did not run, with the command to run by hand, on one line."""
    print(f"{PREFIX} WARNING: {message}", file=sys.stderr, flush=True)


def tool(name: str, by_hand: str) -> BaseCommand:
    """The executable `name` on PATH, or TaskSkipped naming the command to run once it is installed."""
    path = shutil.which(name)
    if path is None:
        raise TaskSkipped(f"{name} is not on PATH; install it, then run: {by_hand}")
    return local[path]


def last_line(error: ProcessExecutionError) -> str:
    """The last non-empty line a failed command printed, to explain the failure in one line."""
    lines = [line.strip() for line in f"{error.stdout}\n{error.stderr}".splitlines() if line.strip()]
    return lines[-1] if lines else f"exit status {error.retcode}"


def clean_environment() -> dict[str, str]:
    """The caller's environment without variables that belong to the shell's own project."""
    return {key: value for key, value in os.environ.items() if key not in FOREIGN_ENVIRONMENT}


def git_work_tree(git: BaseCommand, folder: Path) -> Path | None:
    """The top of the git work tree that holds `folder`, if any."""
    code, out, _ = git["-C", str(folder), "rev-parse", "--show-toplevel"].run(retcode=None)
    return Path(out.strip()) if code == 0 and out.strip() else None


def setup_environment() -> None:
    """`uv sync` (writes uv.lock and .venv), then migrate the local database so `make run` serves at once."""
    by_hand = "uv sync && uv run alembic upgrade head"
    uv = tool("uv", by_hand)
    with local.env(**clean_environment()):
        for step in (["sync", "--quiet"], ["run", "--frozen", "alembic", "upgrade", "head"]):
            try:
                uv(*step)
            except ProcessExecutionError as error:
                failed = f"`uv {' '.join(step)}` failed ({last_line(error)})"
                raise TaskSkipped(f"{failed}; run by hand: {by_hand}") from None
    say("environment ready: .venv and uv.lock created, local database migrated to head")


def has_identity(git: BaseCommand) -> bool:
    """Whether git can name the author and committer of a commit without help."""
    variables = ("GIT_AUTHOR_IDENT", "GIT_COMMITTER_IDENT")
    return all(git["var", variable].run(retcode=None)[0] == 0 for variable in variables)


def init_git(template_version: str) -> None:
    """Create a repository on `main` with one commit of everything, unless one already holds the folder."""
    git = tool("git", "git init && git add --all && git commit -m 'Initial commit'")
    here = Path.cwd()
    enclosing = git_work_tree(git, here)
    if enclosing == here.resolve():
        say(f"git: {here} is already a git repository; nothing committed")
        return
    if enclosing is not None:
        say(f"git: {here} is inside the repository at {enclosing}; not creating a nested one, nothing committed")
        return
    message = f"Initial commit from fastapi-ms {template_version or '(unversioned)'}"
    identity: dict[str, str] = {}
    git("init", "--quiet")
    git("symbolic-ref", "HEAD", "refs/heads/main")
    git("add", "--all")
    if not has_identity(git):
        identity = {
            f"GIT_{role}_{part.upper()}": value
            for role in ("AUTHOR", "COMMITTER")
            for part, value in FALLBACK_IDENTITY.items()
        }
    try:
        with local.env(**identity):
            git("commit", "--quiet", "--no-verify", "--message", message)
    except ProcessExecutionError as error:
        raise TaskSkipped(
            f"git commit failed ({last_line(error)}); the files are staged, run: git commit -m {message!r}"
        ) from None
    commit = git("rev-parse", "--short", "HEAD").strip()
    say(f"git: repository on branch main with commit {commit} ({message})")
    if identity:
        warn(
            f"git has no user.name/user.email, so the initial commit is by {FALLBACK_IDENTITY['name']}"
            f" <{FALLBACK_IDENTITY['email']}>; set them, then run: git commit --amend --reset-author --no-edit"
        )


def pre_commit_command(by_hand: str) -> tuple[BaseCommand, bool]:
    """pre-commit from PATH, Copier's own environment, or uvx, and whether that install lasts."""
    installed = shutil.which("pre-commit")
    if installed is not None:
        return local[installed], True
    if importlib.util.find_spec("pre_commit") is not None:
        return local[sys.executable]["-m", "pre_commit"], False
    uvx = shutil.which("uvx")
    if uvx is not None:
        return local[uvx]["pre-commit"], False
    raise TaskSkipped(f"pre-commit is not installed; install it, then run: {by_hand}")


def install_pre_commit() -> None:
    """`pre-commit install` in the service's own repository."""
    by_hand = "uvx pre-commit install"
    git = tool("git", by_hand)
    here = Path.cwd()
    if git_work_tree(git, here) != here.resolve():
        raise TaskSkipped(f"{here} is not the top of its own git repository; after `git init` there, run: {by_hand}")
    pre_commit, lasting = pre_commit_command(by_hand)
    try:
        pre_commit("install")
    except ProcessExecutionError as error:
        raise TaskSkipped(f"pre-commit install failed ({last_line(error)}); run by hand: {by_hand}") from None
    # The hook runs the Python it was installed from; a temporary environment may be cleaned away.
    keep = "" if lasting else " (from a temporary environment: `uv tool install pre-commit` keeps it working)"
    say(f"pre-commit: hook installed in .git/hooks/pre-commit{keep}")


TASKS: dict[str, Callable[..., None]] = {
    "setup-environment": setup_environment,
    "init-git": init_git,
    "install-pre-commit": install_pre_commit,
}


def main(argv: list[str]) -> int:
    """Run the task named by argv[0] with the rest as its arguments; warn instead of failing."""
    if not argv or argv[0] not in TASKS:
        warn(f"unknown task {argv[:1]}; expected one of {', '.join(TASKS)}")
        return 0
    try:
        TASKS[argv[0]](*argv[1:])
    except TaskSkipped as skipped:
        warn(str(skipped))
    except Exception as error:  # a hook never fails the copy: report the cause in one line
        warn(f"{argv[0]} failed unexpectedly ({type(error).__name__}: {error}); {COMPLETE}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
