"""Tagged git copies of the template, so tests can copy an old version and update to a new one."""

import os
import shutil
import subprocess
from pathlib import Path

from tests.generation import TEMPLATE_ROOT

TEMPLATE_PARTS = ("copier.yml", "extensions", "template")
# The commit of this repository that landed as each released version the update tests start from.
LANDED = {
    "v0.2.0": "690defc4bae38c992423aa66be5c4c2cdf7d8e52",
    "v0.3.0": "49d0fd2077905f54a2355680567cdbc0b67c586d",
}
# The tag the working tree gets when it is released: the workflow tests tag it so, and a migration
# written for that release names it. docs/releasing.md says when to change it.
UPCOMING = "v0.4.0"
GIT_IDENTITY = {
    "GIT_AUTHOR_NAME": "Template Maintainer",
    "GIT_AUTHOR_EMAIL": "maintainer@example.com",
    "GIT_COMMITTER_NAME": "Template Maintainer",
    "GIT_COMMITTER_EMAIL": "maintainer@example.com",
}


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


def _checkout(repository: Path, commit: str | None) -> None:
    """Lay the template's parts into `repository`: the working tree's, or those of a landed commit."""
    for part in TEMPLATE_PARTS:
        target = repository / part
        if target.is_dir():
            shutil.rmtree(target)
        elif target.exists():
            target.unlink()
        if commit is None:
            source = TEMPLATE_ROOT / part
            if source.is_dir():
                shutil.copytree(source, target, ignore=shutil.ignore_patterns("__pycache__"))
            else:
                shutil.copy2(source, target)
    if commit is not None:
        archive = subprocess.run(
            ["git", "archive", "--format=tar", commit, *TEMPLATE_PARTS],
            cwd=TEMPLATE_ROOT,
            capture_output=True,
            check=False,
        )
        if archive.returncode != 0:
            raise RuntimeError(f"commit {commit} is not in this clone ({archive.stderr.decode().strip()}); clone fully")
        subprocess.run(["tar", "-x", "-C", str(repository)], input=archive.stdout, check=True)


def release(repository: Path, tag: str, commit: str | None = None) -> None:
    """Replace the repository's tree with the template (its working tree, or `commit`), commit and tag it."""
    if not (repository / ".git").exists():
        repository.mkdir(parents=True, exist_ok=True)
        git("init", "--quiet", cwd=repository)
    _checkout(repository, commit)
    git("add", "--all", cwd=repository)
    git("commit", "--quiet", "--allow-empty", "--message", f"Release {tag}", cwd=repository)
    git("tag", tag, cwd=repository)
