"""Tagged git copies of the template, so tests can copy an old version and update to a new one."""

import os
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

from tests.generation import TEMPLATE_ROOT

TEMPLATE_PARTS = ("copier.yml", "extensions", "template")
GIT_IDENTITY = {
    "GIT_AUTHOR_NAME": "Template Maintainer",
    "GIT_AUTHOR_EMAIL": "maintainer@example.com",
    "GIT_COMMITTER_NAME": "Template Maintainer",
    "GIT_COMMITTER_EMAIL": "maintainer@example.com",
}

Edit = Callable[[Path], None]


def git(*args: str, cwd: Path) -> str:
    """Run git in `cwd` with a fixed identity and return its output."""
    return subprocess.run(
        ["git", "-c", "init.defaultBranch=main", "-c", "commit.gpgsign=false", *args],
        cwd=cwd,
        env={**os.environ, "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1", **GIT_IDENTITY},
        check=True,
        capture_output=True,
        text=True,
    ).stdout


def release(repository: Path, tag: str, *edits: Edit) -> None:
    """Replace the repository's tree with the template's working tree, apply `edits`, commit, tag."""
    if not (repository / ".git").exists():
        repository.mkdir(parents=True, exist_ok=True)
        git("init", "--quiet", cwd=repository)
    for part in TEMPLATE_PARTS:
        target = repository / part
        if target.is_dir():
            shutil.rmtree(target)
        elif target.exists():
            target.unlink()
        source = TEMPLATE_ROOT / part
        if source.is_dir():
            shutil.copytree(source, target, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(source, target)
    for edit in edits:
        edit(repository)
    git("add", "--all", cwd=repository)
    git("commit", "--quiet", "--allow-empty", "--message", f"Release {tag}", cwd=repository)
    git("tag", tag, cwd=repository)


def replace_in(path: str, old: str, new: str) -> Edit:
    """An edit that replaces `old` (which must be there) with `new` in one template file."""

    def edit(repository: Path) -> None:
        target = repository / path
        text = target.read_text(encoding="utf-8")
        if old not in text:
            raise AssertionError(f"{old!r} is not in {target}")
        target.write_text(text.replace(old, new), encoding="utf-8")

    return edit
