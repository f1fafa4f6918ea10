"""Hostile and odd answers: each is refused with one line naming the question and the value, or
renders a service whose every Python, YAML, TOML and JSON file parses and passes ruff.

The accepted answers that stress quoting (quotes, `#`, backslashes, Jinja, GitHub expressions)
are also part of the `odd` preset, whose generated service runs the full gates.
"""

import json
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
import yaml

from tests.conftest import Render
from tests.generation import copy_template
from tests.parsing import parse_every_file
from tests.presets import answers

JINJA = "{{ 7*7 }}"

# (question, value, the rule the one-line refusal states)
REFUSED = [
    ("project_name", "two\nlines", "project_name: must be one line"),
    ("project_name", "x" * 500, "project_name: must be at most 80 characters"),
    ("project_slug", "my-svc-", "project_slug: must be kebab-case"),
    ("project_slug", "9lives", "project_slug: must be kebab-case"),
    ("project_slug", "a" * 41, "project_slug: must be kebab-case"),
    ("project_slug", JINJA, "project_slug: must be kebab-case"),
    ("project_description", "one\ntwo", "project_description: must be one line"),
    ("author_email", "a@b", "author_email: must be a valid email address"),
    ("author_email", "x@example.com\nBcc: y@example.com", "author_email: must be a valid email address"),
    ("resource_name", "class", "resource_name: must be lowercase snake_case"),
    ("resource_name", "order_", "resource_name: must be lowercase snake_case (single underscores"),
    ("resource_name", "1st_item", "resource_name: must be lowercase snake_case"),
    ("resource_name", "models", 'resource_name: "models" is reserved'),
    ("resource_name", JINJA, "resource_name: must be lowercase snake_case"),
    ("resource_name", "straße", "resource_name: must be lowercase snake_case"),
    ("resource_plural", "products; DROP TABLE x", "resource_plural: must be lowercase snake_case"),
    ("resource_fields", "name:str,", "resource_fields: a field is empty: remove the trailing or doubled comma"),
    ("resource_fields", "name", "resource_fields: each field must look like name:type"),
    ("resource_fields", "from:str", "resource_fields: field name 'from' is a Python keyword"),
    ("resource_fields", 'name:str="open', "resource_fields: a quoted default must end with a double quote"),
    ("resource_fields", f"{JINJA}:str", "resource_fields: a field name must be lowercase snake_case"),
    ("resource_fields", "price:decimal(2,5)", "resource_fields: decimal size must be (precision,scale)"),
    ("resource_fields", "n:int=99999999999", "resource_fields: default '99999999999' is not a valid int"),
    ("resource_fields", "name:str(10)=" + "x" * 11, "resource_fields: a text default must be at most 10 characters"),
]

# (question, value): answers kept as data, never evaluated or re-quoted into broken syntax.
ACCEPTED = [
    ("project_name", f'Zürich "Orders": #1 {JINJA} \\ Service'),
    ("project_name", "{% if true %}x{% endif %}"),
    ("project_description", 'C:\\temp\\x {% raw %} ${{ secrets.TOKEN }} it\'s "quoted" # no comment'),
    ("project_description", "y" * 2000),
    ("author_name", 'Zoë O\'Brien \\ "Ops"'),
    ("author_email", "o.brien+svc@example.co.uk"),
    ("resource_name", "order_item"),
    ("resource_fields", f'label:str(40)="a, b # {JINJA}", path:str(60)="C:\\temp\\x"'),
    ("resource_fields", "type:str(20)=standard, match:int=0, case:bool=false"),
]


@pytest.mark.parametrize(("question", "value", "rule"), REFUSED, ids=[f"{q}={v!r}"[:40] for q, v, _ in REFUSED])
def test_hostile_answer_is_refused_in_one_line(
    template_dir: Path, tmp_path: Path, question: str, value: str, rule: str
) -> None:
    with pytest.raises(ValueError) as refused:
        copy_template(template_dir, tmp_path / "service", answers("default", **{question: value}))
    text = str(refused.value)
    assert rule in text
    assert f"question '{question}'" in text
    assert "\n" not in text.strip()
    if "at most 80" not in rule:  # that rule names the length, not a 500-character value
        assert json.dumps(value, ensure_ascii=False) in text or repr(value) in text
    assert not (tmp_path / "service" / "app").exists()


@pytest.mark.parametrize(("question", "value"), ACCEPTED, ids=[f"{q}={v!r}"[:40] for q, v in ACCEPTED])
def test_odd_answer_renders_a_service_that_parses(render: Render, question: str, value: str) -> None:
    project = render("default", **{question: value})
    assert parse_every_file(project) > 40
    ruff = Path(sys.executable).parent / "ruff"
    result = subprocess.run(
        [ruff, "check", "--no-cache", "."], cwd=project, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stdout
    assert yaml.safe_load((project / ".copier-answers.yml").read_text())[question] == value
    pyproject = tomllib.loads((project / "pyproject.toml").read_text())["project"]
    readme = (project / "README.md").read_text()
    kept_in = {
        "project_name": readme.splitlines()[0],
        "project_description": pyproject["description"],
        "author_name": pyproject["authors"][0]["name"],
        "author_email": pyproject["authors"][0]["email"],
    }
    if question in kept_in:
        assert value in kept_in[question]
    if JINJA in value:  # kept as text where it lands, never evaluated to 49
        landed = readme if question != "resource_fields" else (project / "app/schemas/product.py").read_text()
        assert JINJA in landed
        assert "49" not in readme.splitlines()[0]
