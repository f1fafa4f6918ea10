"""Every question's validator, through Copier: good answers pass, bad ones fail with one line."""

from pathlib import Path

import pytest
import yaml

from extensions.filters import running_python
from tests.generation import copy_template
from tests.presets import answers

BAD_ANSWERS = [
    ("project_name", "   ", "project_name: must not be empty"),
    ("project_name", "x" * 81, "project_name: must be at most 80 characters"),
    (
        "project_slug",
        "Bad_Slug",
        'project_slug: must be kebab-case (lowercase letters, digits and single hyphens, starting with a letter, at most 40 characters) (got "Bad_Slug")',
    ),
    ("project_slug", "double--hyphen", "project_slug: must be kebab-case"),
    ("project_slug", "9lives", "project_slug: must be kebab-case"),
    ("project_description", "two\nlines", "project_description: must be one line"),
    ("author_name", "", "author_name: must be one non-empty line"),
    (
        "author_email",
        "not-an-email",
        'author_email: must be a valid email address like team@example.com (got "not-an-email")',
    ),
    ("author_email", "team@localhost", "author_email: must be a valid email address"),
    ("author_email", "two words@example.com", "author_email: must be a valid email address"),
    ("license", "GPL", "Invalid choice for 'license': 'GPL'"),
    ("python_version", "3.9", "Invalid choice for 'python_version': '3.9'"),
    (
        "resource_name",
        "Product",
        'resource_name: must be lowercase snake_case (single underscores between words), start with a letter, at most 20 characters and not a Python keyword (got "Product")',
    ),
    ("resource_name", "order-item", "resource_name: must be lowercase snake_case"),
    ("resource_name", "class", "resource_name: must be lowercase snake_case"),
    (
        "resource_name",
        "models",
        'resource_name: "models" is reserved because it would collide with a module or table of the service',
    ),
    ("resource_name", "app", 'resource_name: "app" is reserved'),
    ("resource_name", "tests", 'resource_name: "tests" is reserved'),
    ("resource_name", "alembic", 'resource_name: "alembic" is reserved'),
    ("resource_plural", "Products", "resource_plural: must be lowercase snake_case"),
    (
        "resource_plural",
        "product",
        "resource_plural: must differ from resource_name so modules do not collide; for an uncountable noun use a phrase such as product_items",
    ),
    ("resource_plural", "alembic_version", 'resource_plural: "alembic_version" is reserved'),
    (
        "resource_plural",
        "x" * 25,
        "resource_plural: must be lowercase snake_case (single underscores between words), start with a letter, at most 24 characters",
    ),
    (
        "resource_name",
        "x" * 21,
        "resource_name: must be lowercase snake_case (single underscores between words), start with a letter, at most 20 characters",
    ),
    ("resource_fields", "", "resource_fields: the spec must list at least one field"),
    (
        "resource_fields",
        "name:strng",
        "resource_fields: unknown type 'strng'; valid types: str, text, int, float, decimal, bool, date, datetime, uuid (got 'name:strng')",
    ),
    ("resource_fields", "id:int", "resource_fields: field name 'id' is reserved"),
    ("resource_fields", "name:str, name:text", "resource_fields: field 'name' is declared twice"),
    ("resource_fields", "my field:str", "resource_fields: a field name must be lowercase snake_case"),
]


@pytest.mark.parametrize(
    ("question", "value", "message"), BAD_ANSWERS, ids=[f"{q}={v!r}"[:40] for q, v, _ in BAD_ANSWERS]
)
def test_bad_answer_is_refused(template_dir: Path, tmp_path: Path, question: str, value: str, message: str) -> None:
    with pytest.raises(ValueError) as refused:
        copy_template(template_dir, tmp_path / "service", answers("default", **{question: value}))
    text = str(refused.value)
    assert message in text
    assert question in text
    assert "\n" not in text.strip()
    assert not (tmp_path / "service" / "app").exists()


def test_defaults_are_derived_from_earlier_answers(template_dir: Path, tmp_path: Path) -> None:
    destination = tmp_path / "service"
    copy_template(template_dir, destination, {"project_name": "Order Hub", "resource_name": "category"})
    saved = yaml.safe_load((destination / ".copier-answers.yml").read_text())
    assert saved["project_slug"] == "order-hub"
    assert saved["resource_plural"] == "categories"
    assert saved["python_version"] == running_python()
    assert saved["resource_fields"] == "name:str, description:text?, price:decimal, stock:int=0"


def test_project_name_defaults_to_the_destination_folder(template_dir: Path, tmp_path: Path) -> None:
    destination = tmp_path / "billing-api"
    copy_template(template_dir, destination, {})
    saved = yaml.safe_load((destination / ".copier-answers.yml").read_text())
    assert (saved["project_name"], saved["project_slug"]) == ("Billing Api", "billing-api")
