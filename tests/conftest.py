"""Fixtures of the template's fast tests."""

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.generation import copy_template, copy_working_tree
from tests.presets import answers

Render = Callable[..., Path]
Rendered = Callable[[str], Path]


@pytest.fixture(scope="session", name="template_dir")
def fixture_template_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The template's working tree copied to a plain folder, so renders need no git clone."""
    return copy_working_tree(tmp_path_factory.mktemp("template"))


@pytest.fixture(scope="session", name="rendered")
def fixture_rendered(template_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Rendered:
    """A preset rendered once per test session, to read but never to change."""
    cache: dict[str, Path] = {}

    def _rendered(preset: str) -> Path:
        if preset not in cache:
            cache[preset] = copy_template(template_dir, tmp_path_factory.mktemp(preset) / "service", answers(preset))
        return cache[preset]

    return _rendered


@pytest.fixture(name="render")
def fixture_render(template_dir: Path, tmp_path: Path) -> Render:
    """Render a preset (with overrides) into a fresh folder and return it."""

    def _render(preset: str = "default", **overrides: Any) -> Path:
        return copy_template(template_dir, tmp_path / "service", answers(preset, **overrides))

    return _render
