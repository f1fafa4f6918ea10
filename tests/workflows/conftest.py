"""Fixtures of the workflow tests: a template released twice, as v0.1.0 and v0.2.0."""

from pathlib import Path

import pytest

from tests.releases import Edit, release, replace_in


def remove(path: str) -> Edit:
    """An edit that deletes one template file."""
    return lambda repository: (repository / path).unlink()


def add(path: str, text: str) -> Edit:
    """An edit that adds one template file."""

    def edit(repository: Path) -> None:
        (repository / path).write_text(text, encoding="utf-8")

    return edit


def old_answer_name(repository: Path) -> None:
    """0.1.0 called the answer `project_description` plain `description`."""
    for path in ("copier.yml", "template/pyproject.toml.jinja", "template/README.md.jinja"):
        replace_in(path, "project_description", "description")(repository)


# What 0.1.0 looked like next to this working tree (0.2.0): one answer under its old name; lines
# 0.2.0 changed in the Makefile, .gitignore, changelog, README and initial migration; a file 0.2.0
# dropped and a file 0.2.0 added.
OLD_VERSION: tuple[Edit, ...] = (
    old_answer_name,
    replace_in("template/Makefile", "HOST ?= 127.0.0.1", "HOST ?= localhost"),
    replace_in("template/.gitignore", "htmlcov/\n", ""),
    replace_in("template/CHANGELOG.md.jinja", "are recorded here.", "are listed here."),
    replace_in("template/README.md.jinja", "## Run it\n", "## Running it\n"),
    replace_in("template/alembic/versions/0001_initial.py.jinja", "Create the ", "Creates the "),
    add("template/NOTICE.md", "Dropped in 0.2.0.\n"),
    remove("template/.env.example.jinja"),
)


@pytest.fixture(scope="session")
def releases(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A git repository of the template with tags v0.1.0 (the old layout) and v0.2.0 (the working tree)."""
    repository = tmp_path_factory.mktemp("releases") / "fastapi-ms"
    release(repository, "v0.1.0", *OLD_VERSION)
    release(repository, "v0.2.0")
    return repository
