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
from pytest_copie.plugin import Copie

from tests.conftest import Attempt, Render
from tests.copying import refusal
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
]


def _one(fields: str, name: str = "product") -> list[dict[str, str]]:
    return [{"name": name, "fields": fields}]


def _two(first: str, second: str) -> list[dict[str, str]]:
    return [{"name": "customer", "fields": first}, {"name": "order", "fields": second}]


# (resources, the one-line refusal, which quotes the offending name or spec)
RESOURCES_REFUSED = [
    (_one("a:int", "class"), "resources[0] (class): name must be lowercase snake_case", '"class"'),
    (_one("a:int", "order_"), "resources[0] (order_): name must be lowercase snake_case", '"order_"'),
    (_one("a:int", "1st_item"), "name must be lowercase snake_case", '"1st_item"'),
    (_one("a:int", "models"), 'resources[0] (models): name "models" is reserved', '"models"'),
    (_one("a:int", JINJA), "name must be lowercase snake_case", json.dumps(JINJA)),
    (_one("a:int", "straße"), "name must be lowercase snake_case", '"straße"'),
    (
        [{"name": "product", "plural": "products; DROP TABLE x", "fields": "a:int"}],
        "resources[0] (product): plural must be lowercase snake_case",
        '"products; DROP TABLE x"',
    ),
    (_one("name:str,"), "fields: a field is empty: remove the trailing or doubled comma", "'name:str,'"),
    (_one("name"), "fields: each field must look like name:type", "'name'"),
    (_one("from:str"), "fields: field name 'from' is a Python keyword", "'from:str'"),
    (_one('name:str="open'), "fields: a quoted default must end with a double quote", "'name:str=\"open'"),
    (_one(f"{JINJA}:str"), "fields: a field name must be lowercase snake_case", repr(f"{JINJA}:str")),
    (_one("price:decimal(2,5)"), "fields: decimal size must be (precision,scale)", "'price:decimal(2,5)'"),
    (_one("n:int=99999999999"), "fields: default '99999999999' is not a valid int", "'n:int=99999999999'"),
    (_one("name:str(10)=" + "x" * 11), "a text default must be at most 10 characters", "'name:str(10)=xxxxxxxxxxx'"),
    (
        _two("name:str", "buyer:ref"),
        "resources[1] (order): buyer_id references 'buyer', which is not a resource",
        "'buyer'",
    ),
    (
        _two("order:ref", "name:str"),
        "resources[0] (customer): order_id references order, which is listed after it; move order before customer",
        "order",
    ),
    (_two("order:ref", "customer:ref"), "refs form a cycle customer -> order -> customer", "customer -> order"),
    (_one("parent:ref(product)"), "parent_id references its own resource and must be nullable (add ?)", "parent_id"),
    (
        _two("name:str", "customer:ref{on_delete=set_null}"),
        "on_delete=set_null needs a nullable ref: add ?",
        "'customer",
    ),
    (_one("stock:int{ge=0}=-1"), "the default -1 breaks ge=0", "'stock:int{ge=0}=-1'"),
    (_one('code:str(3){pattern="^[A-Z]{3}$"}=abc'), "the default does not match the pattern", "=abc'"),
    (_one('code:str{pattern="(?<=x)y"}'), "a pattern may not use lookaround", "(?<=x)y"),
    (_one("name:str="), "the default is shorter than min_length 1 (add {min_length=0} to allow '')", "'name:str='"),
    (_one("rating:int{ge=1,le=5,ge=2}"), "rule ge appears twice", "'rating:int{ge=1,le=5,ge=2}'"),
    (_one("note:text{index}"), "index applies to str, int, float", "'note:text{index}'"),
    (_one("status:enum(a|b)=c"), "the default must be one of a|b", "'status:enum(a|b)=c'"),
    (
        _one("price:str{ge=0}"),
        "rule ge applies to int, float, decimal, date, datetime fields, not str",
        "'price:str{ge=0}'",
    ),
    ([{"name": f"r{index}", "fields": "a:int"} for index in range(21)], "at most 20 resources", "(got 21)"),
    (_two("name:str", "name:str") + _two("a:int", "b:int")[:1], "resources[2] (customer): name 'customer'", "customer"),
]

# (question, value): answers kept as data, never evaluated or re-quoted into broken syntax.
ACCEPTED = [
    ("project_name", f'Zürich "Orders": #1 {JINJA} \\ Service'),
    ("project_name", "{% if true %}x{% endif %}"),
    ("project_description", 'C:\\temp\\x {% raw %} ${{ secrets.TOKEN }} it\'s "quoted" # no comment'),
    ("project_description", "y" * 2000),
    ("author_name", 'Zoë O\'Brien \\ "Ops"'),
    ("author_email", "o.brien+svc@example.co.uk"),
    ("resources", _one("name:str", "order_item")),
    ("resources", _one(f'label:str(40)="a, b # {JINJA}", path:str(60)="C:\\temp\\x"')),
    ("resources", _one("type:str(20)=standard, match:int=0, case:bool=false")),
]


@pytest.mark.parametrize(("question", "value", "rule"), REFUSED, ids=[f"{q}={v!r}"[:40] for q, v, _ in REFUSED])
def test_hostile_answer_is_refused_in_one_line(
    attempt: Attempt, copie: Copie, question: str, value: str, rule: str
) -> None:
    text = refusal(attempt(answers("default", **{question: value})))
    assert rule in text
    assert f"question '{question}'" in text
    assert "\n" not in text.strip()
    if "at most 80" not in rule:  # that rule names the length, not a 500-character value
        assert json.dumps(value, ensure_ascii=False) in text or repr(value) in text
    assert not any(copie.test_dir.glob("*/app"))


@pytest.mark.parametrize(
    ("resources", "rule", "quoted"), RESOURCES_REFUSED, ids=[rule[:40] for _, rule, _ in RESOURCES_REFUSED]
)
def test_hostile_resources_are_refused_in_one_line(
    attempt: Attempt, copie: Copie, resources: list[dict[str, str]], rule: str, quoted: str
) -> None:
    text = refusal(attempt(answers("default", resources=resources)))
    assert rule in text
    assert quoted in text
    assert "question 'resources'" in text
    assert "\n" not in text.strip()
    assert not any(copie.test_dir.glob("*/app"))


@pytest.mark.parametrize(("question", "value"), ACCEPTED, ids=[f"{q}={v!r}"[:60] for q, v in ACCEPTED])
def test_odd_answer_renders_a_service_that_parses(render: Render, question: str, value: object) -> None:
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
    if JINJA in str(value):  # kept as text where it lands, never evaluated to 49
        landed = readme if question != "resources" else (project / "app/schemas/product.py").read_text()
        assert JINJA in landed
        assert "49" not in readme.splitlines()[0]
