"""`copier update` from v0.1.0 to v0.2.0 keeps every edit of the user and never re-runs a hook."""

import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
from uv import find_uv_bin

from tests.gates import project_env
from tests.pythons import interpreter
from tests.workflows.cli import answers_of, commit_all, conflicted_files, copier, git, user_env

OLD_ANSWERS = ("-d", "project_name=Orders", "-d", "description=Keeps its own words", "-d", "python_version=3.11")
HOOK_LINES = ("fastapi-ms: git:", "fastapi-ms: pre-commit:", "fastapi-ms: environment ready")


def copy_old(releases: Path, destination: Path, *answers: str) -> Path:
    """Generate a service at v0.1.0 with its one-time hooks, as a user would."""
    result = copier(
        "copy",
        "--trust",
        "--defaults",
        "--vcs-ref",
        "v0.1.0",
        *OLD_ANSWERS,
        *answers,
        str(releases),
        str(destination),
        cwd=destination.parent,
    )
    assert result.returncode == 0, result.stderr
    assert "fastapi-ms: git: repository on branch main" in result.stdout
    return destination


def update(project: Path, *answers: str) -> tuple[int, str]:
    """Run `copier update` to v0.2.0 in `project` and return its exit code and output."""
    result = copier("update", "--trust", "--defaults", "--vcs-ref", "v0.2.0", *answers, cwd=project)
    return result.returncode, f"{result.stdout}{result.stderr}"


@pytest.fixture(name="edited")
def fixture_edited(releases: Path, tmp_path: Path) -> Path:
    """A v0.1.0 service after the edits a user makes: one overlapping 0.2.0, the rest not."""
    project = copy_old(releases, tmp_path / "orders")
    makefile = project / "Makefile"
    makefile.write_text(makefile.read_text().replace("HOST ?= localhost", "HOST ?= 0.0.0.0"))
    logging_module = project / "app/core/logging.py"
    logging_module.write_text(logging_module.read_text() + "\n# Our log shipper reads JSON lines from stdout.\n")
    (project / "app/services/pricing.py").write_text('"""Our own pricing rules."""\n\nVAT = 0.2\n')
    readme = project / "README.md"
    readme.write_text(readme.read_text() + "\n## Our runbook\n\nPage the orders team.\n")
    migration = project / "alembic/versions/0001_initial.py"
    migration.write_text(migration.read_text() + "\n# Applied to production on 2026-11-02.\n")
    git("rm", "--quiet", "CHANGELOG.md", cwd=project)
    commit_all(project, "Our edits")
    return project


def test_update_applies_the_template_and_keeps_every_user_edit(edited: Path) -> None:
    """Template changes arrive; edits, own files and deletions stay; the overlap is marked inline."""
    commits_before = git("rev-list", "--count", "HEAD", cwd=edited)
    hook_before = (edited / ".git/hooks/pre-commit").read_bytes()
    migration_before = (edited / "alembic/versions/0001_initial.py").read_bytes()
    code, output = update(edited)
    assert code == 0, output
    # Template changes arrive: a changed line, a new file, a dropped file.
    assert "htmlcov/" in (edited / ".gitignore").read_text()
    assert (edited / ".env.example").is_file()
    assert not (edited / "NOTICE.md").exists()
    # The user's edits, own module and deletion stay.
    assert "# Our log shipper reads JSON lines from stdout." in (edited / "app/core/logging.py").read_text()
    assert (edited / "app/services/pricing.py").read_text().endswith("VAT = 0.2\n")
    assert not (edited / "CHANGELOG.md").exists()
    # Changes to different lines of one file merge; an applied migration is never rewritten.
    readme = (edited / "README.md").read_text()
    assert "## Run it\n" in readme
    assert "## Our runbook\n\nPage the orders team.\n" in readme
    assert (edited / "alembic/versions/0001_initial.py").read_bytes() == migration_before
    # The overlap comes out as inline markers holding both lines, in that one file, and no .rej.
    assert conflicted_files(edited) == ["Makefile"]
    makefile = (edited / "Makefile").read_text()
    assert "HOST ?= 0.0.0.0" in makefile
    assert "HOST ?= 127.0.0.1" in makefile
    assert not list(edited.rglob("*.rej"))
    guard = subprocess.run(
        [sys.executable, "-m", "pre_commit", "run", "check-merge-conflict", "--files", "Makefile"],
        cwd=edited,
        env=user_env(),
        capture_output=True,
        text=True,
        check=False,
    )
    assert guard.returncode == 1, guard.stdout  # the hook refuses to commit an unresolved conflict
    assert "Merge conflict string" in guard.stdout
    # The renamed answer carried its value over (migration to 0.2.0).
    answers = answers_of(edited)
    assert answers["project_description"] == "Keeps its own words"
    assert "description" not in answers
    assert answers["_commit"] == "v0.2.0"
    assert 'description = "Keeps its own words"' in (edited / "pyproject.toml").read_text()
    # One-time hooks did not run again: no commit, no hook output, the git hook untouched.
    assert git("rev-list", "--count", "HEAD", cwd=edited) == commits_before
    assert not any(line in output for line in HOOK_LINES), output
    assert (edited / ".git/hooks/pre-commit").read_bytes() == hook_before
    assert not (edited / "uv.lock").exists()


@pytest.mark.parametrize(
    ("answer", "recorded"),
    [
        ("resource_fields=name:str, colour:str(20)", '"name:str, description:text?, price:decimal, stock:int=0"'),
        ("resource_name=order", '"product"'),
        ("resource_plural=productz", '"products"'),
    ],
)
def test_update_refuses_a_changed_resource_before_touching_anything(
    releases: Path, tmp_path: Path, answer: str, recorded: str
) -> None:
    """The applied migration was made from the resource answers: changing them is refused, the tree stays clean."""
    project = copy_old(releases, tmp_path / "orders")
    migration = (project / "alembic/versions/0001_initial.py").read_bytes()
    code, output = update(project, "-d", answer)
    question = answer.partition("=")[0]
    assert code != 0
    assert f"fastapi-ms: update refused: {question}: cannot change from {recorded} on update" in output
    assert "Traceback" not in output
    assert git("status", "--porcelain", cwd=project) == ""
    assert (project / "alembic/versions/0001_initial.py").read_bytes() == migration


def test_update_accepts_the_same_fields_spelled_differently(releases: Path, tmp_path: Path) -> None:
    """Only a change of meaning is refused: spacing and order of modifiers in the spec are not."""
    project = copy_old(releases, tmp_path / "orders")
    code, output = update(project, "-d", "resource_fields=name:str,description:text?,price:decimal,stock:int=0")
    assert code == 0, output
    assert conflicted_files(project) == []


def run_in(project: Path, *command: str) -> None:
    """Run a command of the generated service with its own environment; fail with its output."""
    result = subprocess.run(command, cwd=project, env=project_env(), capture_output=True, text=True, check=False)
    assert result.returncode == 0, f"{' '.join(command)} exited {result.returncode}:\n{result.stdout}{result.stderr}"


def test_update_with_a_new_python_regenerates_what_depends_on_it_and_stays_green(
    releases: Path, tmp_path: Path
) -> None:
    """A clean update that also moves to Python 3.12: pins follow, edits stay, the service's own tests pass."""
    project = copy_old(releases, tmp_path / "orders")
    (project / "app/services/pricing.py").write_text('"""Our own pricing rules."""\n\nVAT = 0.2\n')
    commit_all(project, "Our pricing rules")
    behind = copier("check-update", "--quiet", cwd=project)
    assert behind.returncode == 2, behind.stdout + behind.stderr
    code, output = update(project, "-d", "python_version=3.12")
    assert code == 0, output
    commit_all(project, "Update from fastapi-ms 0.2.0")
    assert copier("check-update", "--quiet", cwd=project).returncode == 0
    assert conflicted_files(project) == []
    assert (project / ".python-version").read_text().strip() == "3.12"
    pyproject = tomllib.loads((project / "pyproject.toml").read_text())
    assert pyproject["project"]["requires-python"] == ">=3.12"
    assert pyproject["tool"]["ruff"]["target-version"] == "py312"
    assert pyproject["tool"]["mypy"]["python_version"] == "3.12"
    assert (project / "app/services/pricing.py").is_file()
    uv = find_uv_bin()
    run_in(project, uv, "sync", "--python", interpreter("3.12"))
    run_in(project, uv, "run", "--frozen", "ruff", "check", ".")
    run_in(project, uv, "run", "--frozen", "pytest", "-q", "-p", "no:cacheprovider")
