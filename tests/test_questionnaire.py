"""Every question's validator, through Copier: good answers pass, bad ones fail with one line."""

from pathlib import Path
from typing import Any

import pytest
import yaml
from pytest_copie.plugin import Copie

from extensions.filters import running_python
from extensions.history import auth_default
from tests.conftest import Attempt, Render
from tests.copying import project, refusal
from tests.generation import copy_template
from tests.presets import DEFAULT_FIELDS, answers

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
    ("infrastructure", "gcp", "Invalid choice for 'infrastructure': 'gcp'"),
    (
        "resources",
        [{"name": "Product", "fields": "name:str"}],
        'resources[0] (Product): name must be lowercase snake_case (single underscores between words), start with a letter, at most 20 characters and not a Python keyword (got "Product")',
    ),
    ("resources", [{"name": "order-item", "fields": "a:int"}], "resources[0] (order-item): name must be lowercase"),
    ("resources", [{"name": "class", "fields": "a:int"}], "resources[0] (class): name must be lowercase snake_case"),
    (
        "resources",
        [{"name": "models", "fields": "a:int"}],
        'resources[0] (models): name "models" is reserved because it would collide with a module or table of the service',
    ),
    ("resources", [{"name": "app", "fields": "a:int"}], 'resources[0] (app): name "app" is reserved'),
    ("resources", [{"name": "tests", "fields": "a:int"}], 'resources[0] (tests): name "tests" is reserved'),
    ("resources", [{"name": "alembic", "fields": "a:int"}], 'resources[0] (alembic): name "alembic" is reserved'),
    ("resources", [{"name": "item", "plural": "Items", "fields": "a:int"}], "resources[0] (item): plural must be"),
    (
        "resources",
        [{"name": "product", "plural": "product", "fields": "a:int"}],
        "resources[0] (product): plural must differ from the name so modules do not collide; for an uncountable noun use a phrase such as product_items",
    ),
    (
        "resources",
        [{"name": "item", "plural": "alembic_version", "fields": "a:int"}],
        'resources[0] (item): plural "alembic_version" is reserved',
    ),
    (
        "resources",
        [{"name": "item", "plural": "x" * 25, "fields": "a:int"}],
        "resources[0] (item): plural must be lowercase snake_case (single underscores between words), start with a letter, at most 24 characters",
    ),
    (
        "resources",
        [{"name": "x" * 21, "fields": "a:int"}],
        "name must be lowercase snake_case (single underscores between words), start with a letter, at most 20 characters",
    ),
    ("resources", [{"name": "item", "fields": ""}], "resources[0] (item): fields is required and must be text"),
    (
        "resources",
        [{"name": "item", "fields": "name:strng"}],
        "resources[0] (item): fields: unknown type 'strng'; valid types: str, text, int, float, decimal, bool, date, datetime, uuid, email, enum, ref (got 'name:strng')",
    ),
    ("resources", [{"name": "item", "fields": "id:int"}], "resources[0] (item): fields: field name 'id' is reserved"),
    ("resources", [{"name": "item", "fields": "a:str, a:text"}], "fields: field 'a' is declared twice"),
    ("resources", [{"name": "item", "fields": "my field:str"}], "fields: a field name must be lowercase snake_case"),
    ("resources", "product", 'resources: must be a non-empty list of {name, plural, fields} mappings (got "product")'),
    ("resources", [{"name": "item", "fields": "a:int", "owned": "yes"}], "resources[0] (item): owned must be true or"),
]
# Resources that one auth cannot serve: (auth, resources, message).
AUTH_REFUSALS = [
    (
        "none",
        [{"name": "item", "fields": "a:int", "owned": True}],
        "resources[0] (item) is owned, and owned rows need a caller: choose an auth other than none, or drop owned",
    ),
    (
        "local",
        [{"name": "user", "fields": "a:int"}],
        "resources[0] (user) collides with the accounts of auth local",
    ),
    (
        "local",
        [{"name": "item", "fields": "b:int"}, {"name": "member", "plural": "users", "fields": "a:int"}],
        "(member)",
    ),
    ("local", [{"name": "auth", "plural": "auths", "fields": "a:int"}], "resources[0] (auth) collides"),
]


@pytest.mark.parametrize(
    ("question", "value", "message"), BAD_ANSWERS, ids=[f"{q}={v!r}"[:60] for q, v, _ in BAD_ANSWERS]
)
def test_bad_answer_is_refused(attempt: Attempt, copie: Copie, question: str, value: object, message: str) -> None:
    text = refusal(attempt(answers("default", **{question: value})))
    assert message in text
    assert question in text
    assert "\n" not in text.strip()
    assert not any(copie.test_dir.glob("*/app"))


@pytest.mark.parametrize(("auth", "resources", "message"), AUTH_REFUSALS)
def test_resources_an_auth_cannot_serve_are_refused(
    attempt: Attempt, copie: Copie, auth: str, resources: list[dict[str, Any]], message: str
) -> None:
    text = refusal(attempt(answers("default", auth=auth, resources=resources)))
    assert message in text
    assert "'auth'" in text
    assert not any(copie.test_dir.glob("*/app"))


def test_a_user_resource_is_fine_without_local_accounts(render: Render) -> None:
    service = render("default", auth="oidc", resources=[{"name": "user", "fields": "a:int"}])
    assert (service / "app/api/v1/endpoints/users.py").is_file()


def test_auth_defaults_to_local_except_for_a_service_recorded_before_it(tmp_path: Path) -> None:
    conf = {"dst_path": tmp_path, "answers_file": ".copier-answers.yml"}
    assert auth_default(conf) == "local"  # a first copy
    (tmp_path / ".copier-answers.yml").write_text("_commit: v0.3.0\nproject_name: Shop\n")
    assert auth_default(conf) == "none"  # an update of a service made before the question


def test_defaults_are_derived_from_earlier_answers(attempt: Attempt) -> None:
    destination = project(attempt({"project_name": "Order Hub"}))
    saved = yaml.safe_load((destination / ".copier-answers.yml").read_text())
    assert saved["project_slug"] == "order-hub"
    assert saved["python_version"] == running_python()
    assert saved["resources"] == [{"name": "product", "fields": DEFAULT_FIELDS}]
    assert saved["auth"] == "local"


def test_a_plural_left_out_is_derived_and_the_answer_kept_as_given(render: Render) -> None:
    given = [{"name": "category", "fields": "name:str"}, {"name": "person", "fields": "category:ref"}]
    destination = render("default", resources=given)
    assert yaml.safe_load((destination / ".copier-answers.yml").read_text())["resources"] == given
    assert (destination / "app/api/v1/endpoints/categories.py").is_file()
    assert (destination / "app/api/v1/endpoints/people.py").is_file()


def test_project_name_defaults_to_the_destination_folder(template_dir: Path, tmp_path: Path) -> None:
    """Rendered without pytest-copie, whose folders are all named copieNNN."""
    destination = tmp_path / "billing-api"
    copy_template(template_dir, destination, {})
    saved = yaml.safe_load((destination / ".copier-answers.yml").read_text())
    assert (saved["project_name"], saved["project_slug"]) == ("Billing Api", "billing-api")


def test_infrastructure_is_asked_only_with_kubernetes_and_defaults_to_none(render: Render) -> None:
    kubernetes, plain = render("default"), render("default", deployment="none")
    assert yaml.safe_load((kubernetes / ".copier-answers.yml").read_text())["infrastructure"] == "none"
    assert "infrastructure" not in yaml.safe_load((plain / ".copier-answers.yml").read_text())
    assert not (kubernetes / "deploy/terraform").exists()


def test_aws_infrastructure_without_kubernetes_is_refused(template_dir: Path, tmp_path: Path) -> None:
    # Given as data (pytest-copie gives answers as defaults, which a question not asked ignores).
    with pytest.raises(ValueError) as refused:
        copy_template(template_dir, tmp_path / "service", answers("default", deployment="none", infrastructure="aws"))
    assert str(refused.value).endswith(
        'infrastructure: aws needs deployment kubernetes, whose ServiceAccount assumes the IAM role (got deployment "none")'
    )
    assert not (tmp_path / "service" / "app").exists()


@pytest.mark.parametrize("account", ["12345", "1234567890123", "12345678901a", ""])
def test_an_aws_account_id_must_be_twelve_digits(attempt: Attempt, copie: Copie, account: str) -> None:
    text = refusal(attempt(answers("default", infrastructure="aws", aws_account_id=account)))
    assert f'aws_account_id: must be the 12 digits of an AWS account id (got "{account}")' in text
    assert not any(copie.test_dir.glob("*/app"))
