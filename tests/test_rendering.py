"""What each preset renders: the file set, files that parse, code that passes ruff, answers saved."""

import ast
import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
import yaml

from extensions.filters import SUPPORTED_PYTHONS
from extensions.resources import parse_resources
from tests.conftest import Render, Rendered
from tests.parsing import parse_every_file
from tests.presets import DEFAULT_FIELDS, PRESETS, answers
from tests.pythons import SUPPORTED

COPIER_CONFIG = yaml.safe_load((Path(__file__).parents[1] / "copier.yml").read_text())
UNRENDERED = re.compile(r"{{|{%|%}|{#")
# Placeholders GitHub Actions fills in, not Jinja: expressions and docker/metadata-action's semver patterns.
GITHUB_PLACEHOLDERS = re.compile(r"\$\{\{ [^{}]+ \}\}|\{\{(?:version|major|minor)\}\}")
COMMON_FILES = {
    ".copier-answers.yml",
    ".env.example",
    ".gitignore",
    ".python-version",
    "CHANGELOG.md",
    "LICENSE",
    "Makefile",
    "README.md",
    "alembic.ini",
    "alembic/env.py",
    "alembic/script.py.mako",
    "alembic/versions/0001_initial.py",
    "app/repositories/base.py",
    "app/schemas/listing.py",
    "app/services/base.py",
    "tests/helpers.py",
    "tests/integration/test_resources_api.py",
    "tests/unit/test_crud_service.py",
    "tests/e2e/test_resources_server.py",
    "tests/e2e/remote.py",
    "app/main.py",
    "app/api/deps.py",
    "app/api/health.py",
    "app/api/v1/router.py",
    "app/core/config.py",
    "app/core/errors.py",
    "app/db/executor.py",
    "app/models/__init__.py",
    "pyproject.toml",
    "tests/conftest.py",
}


def _files(root: Path) -> set[str]:
    return {path.relative_to(root).as_posix() for path in root.rglob("*") if path.is_file()}


def _resource_files(name: str, plural: str) -> set[str]:
    return {
        f"app/models/{name}.py",
        f"app/schemas/{name}.py",
        f"app/schemas/{name}_query.py",
        f"app/repositories/{name}.py",
        f"app/services/{name}.py",
        f"app/api/v1/endpoints/{plural}.py",
        f"tests/samples/{name}.py",
    }


@pytest.mark.parametrize("preset", sorted(PRESETS))
def test_preset_renders_a_complete_service(rendered: Rendered, preset: str) -> None:
    project = rendered(preset)
    answers = yaml.safe_load((project / ".copier-answers.yml").read_text())
    files = _files(project)
    assert files >= COMMON_FILES
    for resource in parse_resources(answers["resources"]):
        assert _resource_files(resource.name, resource.plural) <= files
        assert f"alembic/versions/{resource.revision_file}.py" in files
    assert not any(name.endswith(".jinja") for name in files)


TRACING_FILES = {"app/core/tracing.py", "tests/integration/test_tracing.py", "tests/e2e/test_tracing_server.py"}


@pytest.mark.parametrize("preset", sorted(PRESETS))
def test_tracing_files_and_dependencies_come_only_with_otlp(rendered: Rendered, preset: str) -> None:
    project = rendered(preset)
    traced = answers(preset).get("tracing") == "otlp"
    assert (TRACING_FILES & _files(project)) == (TRACING_FILES if traced else set())
    dependencies = tomllib.loads((project / "pyproject.toml").read_text())["project"]["dependencies"]
    assert any(name.startswith("opentelemetry-instrumentation-asyncpg") for name in dependencies) is traced
    assert ("add_trace_ids" in (project / "app/core/logging.py").read_text()) is traced


def test_presets_cover_every_tracing_choice() -> None:
    assert {answers(preset).get("tracing", COPIER_CONFIG["tracing"]["default"]) for preset in PRESETS} == set(
        COPIER_CONFIG["tracing"]["choices"].values()
    )


def _without_answers(line: str, values: list[str]) -> str:
    """`line` with every answer's literal text removed: answers may hold Jinja, kept as text."""
    for value in values:
        line = line.replace(value, "")
    return line


@pytest.mark.parametrize("preset", sorted(PRESETS))
def test_preset_leaves_no_template_syntax(rendered: Rendered, preset: str) -> None:
    project = rendered(preset)
    values = sorted((v for v in answers(preset).values() if isinstance(v, str) and UNRENDERED.search(v)), key=len)
    values += [token for value in values for token in UNRENDERED.findall(value)]  # a field default, quoted apart
    leftovers = [
        f"{path.relative_to(project)}:{number}: {line.strip()}"
        for path in project.rglob("*")
        if path.is_file() and path.name != ".copier-answers.yml"
        for number, line in enumerate(path.read_text().splitlines(), 1)
        if UNRENDERED.search(
            _without_answers(
                GITHUB_PLACEHOLDERS.sub("", line) if path.is_relative_to(project / ".github") else line,
                values[::-1],
            )
        )
    ]
    assert leftovers == []


@pytest.mark.parametrize("preset", sorted(PRESETS))
def test_preset_files_parse(rendered: Rendered, preset: str) -> None:
    project = rendered(preset)
    pyproject = tomllib.loads((project / "pyproject.toml").read_text())
    answers = yaml.safe_load((project / ".copier-answers.yml").read_text())
    assert pyproject["project"]["name"] == answers["project_slug"]
    assert pyproject["project"]["description"] == answers["project_description"]
    assert pyproject["project"]["authors"] == [{"name": answers["author_name"], "email": answers["author_email"]}]
    assert pyproject["project"]["requires-python"] == f">={answers['python_version']}"
    assert parse_every_file(project) > 40


@pytest.mark.parametrize("preset", sorted(PRESETS))
def test_preset_passes_ruff(rendered: Rendered, preset: str) -> None:
    project = rendered(preset)
    ruff = Path(sys.executable).parent / "ruff"
    for command in (["check", "--no-cache", "."], ["format", "--no-cache", "--check", "."]):
        result = subprocess.run([ruff, *command], cwd=project, capture_output=True, text=True, check=False)
        assert result.returncode == 0, result.stdout + result.stderr


def test_odd_answers_arrive_verbatim(rendered: Rendered) -> None:
    project = rendered("odd")
    name = PRESETS["odd"]["project_name"]
    config = ast.parse((project / "app/core/config.py").read_text())
    constants = {
        node.targets[0].id: ast.literal_eval(node.value)
        for node in config.body
        if isinstance(node, ast.Assign)
        and isinstance(node.targets[0], ast.Name)
        and node.targets[0].id == "SERVICE_NAME"
    }
    assert constants == {"SERVICE_NAME": name}
    assert (project / "README.md").read_text().startswith(f"# {name}\n")
    assert "Zoë O'Brien" in (project / "LICENSE").read_text()


def test_multi_word_resource_names(rendered: Rendered) -> None:
    project = rendered("odd")
    endpoints = (project / "app/api/v1/endpoints/order_items.py").read_text()
    assert 'prefix="/order-items"' in endpoints
    assert "class OrderItem(EntityMixin, Base):" in (project / "app/models/order_item.py").read_text()
    assert '__tablename__ = "order_items"' in (project / "app/models/order_item.py").read_text()
    assert 'URL = "/api/v1/order-items"' in (project / "tests/samples/order_item.py").read_text()


def test_an_answer_is_data_never_a_template(render: Render) -> None:
    project = render("default", project_name="{{ 7 * 7 }} {% raw %}", project_slug="echo-service")
    assert "{{ 7 * 7 }} {% raw %}" in (project / "README.md").read_text()
    assert "49" not in (project / "README.md").read_text().splitlines()[0]


LICENSE_MARKERS = {
    "MIT": "MIT License",
    "Apache-2.0": "Apache License",
    "BSD-3-Clause": "BSD 3-Clause",
    "Proprietary": "All rights reserved",
}


@pytest.mark.parametrize("preset", sorted(PRESETS))
def test_license_text_and_metadata(rendered: Rendered, preset: str) -> None:
    project = rendered(preset)
    license_id = yaml.safe_load((project / ".copier-answers.yml").read_text())["license"]
    assert LICENSE_MARKERS[license_id] in (project / "LICENSE").read_text()
    expected = "LicenseRef-Proprietary" if license_id == "Proprietary" else license_id
    assert tomllib.loads((project / "pyproject.toml").read_text())["project"]["license"] == expected


def test_presets_cover_every_license() -> None:
    assert {answers(preset)["license"] for preset in PRESETS} == set(LICENSE_MARKERS)


def test_migrations_are_never_rewritten_by_updates() -> None:
    assert "alembic/versions/*.py" in COPIER_CONFIG["_skip_if_exists"]


def test_questionnaire_agrees_with_the_extensions() -> None:
    assert tuple(COPIER_CONFIG["python_version"]["choices"]) == SUPPORTED_PYTHONS == SUPPORTED
    assert COPIER_CONFIG["resources"]["default"] == [{"name": "product", "fields": DEFAULT_FIELDS}]
