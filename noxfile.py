# /// script
# dependencies = ["nox>=2025.5"]
# ///
"""Sessions that test the template: lint, tests, artifacts, workflows, matrix (every generated preset), docs, bench."""

import sys
from pathlib import Path

import nox

ROOT = Path(__file__).parent
sys.path.insert(0, str(ROOT))

from tests.presets import PRESETS  # noqa: E402 - needs ROOT on sys.path
from tests.pythons import available  # noqa: E402

nox.options.default_venv_backend = "uv|virtualenv"
nox.options.reuse_venv = "yes"


def install(session: nox.Session, *groups: str, venv: str | None = None) -> None:
    """Install the repository's dependency groups with uv into `venv`, by default the session's venv."""
    args = [arg for group in groups for arg in ("--group", group)]
    session.run_install(
        "uv",
        "sync",
        "--frozen",
        "--no-default-groups",
        *args,
        env={"UV_PROJECT_ENVIRONMENT": venv or session.virtualenv.location},
        external=True,
    )


@nox.session(tags=["fast"])
def lint(session: nox.Session) -> None:
    """ruff and strict mypy on the extensions, tests and this file."""
    install(session, "lint")
    session.run("ruff", "check", ".")
    session.run("ruff", "format", "--check", ".")
    session.run("mypy")


@nox.session(tags=["fast"])
def tests(session: nox.Session) -> None:
    """The fast tests: extensions, questionnaire, rendering (seconds)."""
    install(session, "test")
    session.run("pytest", "-n", "auto", "--ignore=tests/artifacts", "--ignore=tests/workflows", *session.posargs)


@nox.session(tags=["fast"])
def artifacts(session: nox.Session) -> None:
    """Every preset's Dockerfile, shell, compose, pipelines, manifests and Terraform through their own linters."""
    install(session, "artifacts")
    # checkov gets a venv of its own: its HCL parser installs the module python-hcl2 provides.
    checkov_venv = f"{session.virtualenv.location}-checkov"
    install(session, "checkov", venv=checkov_venv)
    session.run(
        "pytest", "-n", "auto", "tests/artifacts", *session.posargs, env={"CHECKOV": f"{checkov_venv}/bin/checkov"}
    )


@nox.session(tags=["workflows"])
def workflows(session: nox.Session) -> None:
    """Copy with the hooks, then update from a tagged old release: edits kept, conflicts marked, hooks not re-run."""
    install(session, "test")
    session.run("pytest", "-n", "auto", "tests/workflows", *session.posargs)


@nox.session(tags=["generated"])
def matrix(session: nox.Session) -> None:
    """Every preset's gates on every Python here, two at a time (`-- --jobs N` to change)."""
    install(session, "test")
    session.run("python", "-m", "tests.matrix", *session.posargs)


@nox.session(default=False)
@nox.parametrize("python_version", available())
@nox.parametrize("preset", sorted(PRESETS))
def generated(session: nox.Session, preset: str, python_version: str) -> None:
    """One gate of the matrix: generate a preset for one Python, install it, run its linters and tests."""
    install(session, "test")
    session.run("python", "-m", "tests.gates", preset, python_version, *session.posargs)


@nox.session(tags=["docs"])
def docs(session: nox.Session) -> None:
    """Build the documentation site, failing on any warning."""
    install(session, "docs")
    session.run("mkdocs", "build", "--strict", "--site-dir", str(ROOT / "site"), env={"NO_MKDOCS_2_WARNING": "1"})


@nox.session(default=False)
def bench(session: nox.Session) -> None:
    """Load-test the default preset on PostgreSQL with wrk next to FastAPI's ceiling; time the richest copy."""
    install(session, "test")
    session.run("python", "-m", "tests.copy_time")
    session.run("python", "-m", "tests.bench", *session.posargs)


if __name__ == "__main__":
    nox.main()
