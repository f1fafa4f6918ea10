"""Fixtures of the template's fast tests: pytest-copie renders a plain copy of the working tree."""

from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

import pytest
from pytest_copie.plugin import Copie, Result

from tests.copying import copy, project
from tests.generation import copy_working_tree
from tests.presets import answers

Attempt = Callable[[dict[str, Any]], Result]
Render = Callable[..., Path]
Rendered = Callable[[str], Path]


@pytest.fixture(scope="session", name="template_dir")
def fixture_template_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The working tree as a plain folder, so a render includes uncommitted changes and clones no git repository."""
    return copy_working_tree(tmp_path_factory.mktemp("template"))


@pytest.fixture(scope="session", name="rendered")
def fixture_rendered(copie_session: Copie, template_dir: Path) -> Rendered:
    """A preset rendered once per test session (per xdist worker), to read but never to change."""
    cache: dict[str, Path] = {}

    def _rendered(preset: str) -> Path:
        if preset not in cache:
            cache[preset] = project(copy(copie_session, template_dir, answers(preset)))
        return cache[preset]

    return _rendered


@pytest.fixture(name="attempt")
def fixture_attempt(copie: Copie, template_dir: Path) -> Attempt:
    """Render the answers given into a folder removed after the test; the result tells success from refusal."""
    return partial(copy, copie, template_dir)


@pytest.fixture(name="render")
def fixture_render(attempt: Attempt) -> Render:
    """Render a preset (with overrides) that must succeed, and return its folder."""

    def _render(preset: str = "default", **overrides: Any) -> Path:
        return project(attempt(answers(preset, **overrides)))

    return _render
