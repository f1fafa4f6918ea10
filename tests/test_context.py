"""Names the ContextUpdater computes for the templates, and the checks of the resources list as a whole."""

from typing import Any

import pytest

from extensions.context import ContextUpdater
from extensions.fields import ON_DELETE, RULES, TYPES
from extensions.resources import (
    MAX_RESOURCES,
    parse_resources,
    resource_name_error,
    resource_plural_error,
    resources_error,
)
from tests.presets import DOMAIN_RESOURCES


def test_multi_word_resource_names() -> None:
    (resource,) = parse_resources([{"name": "order_item", "fields": "sku:str(32)!, note:text?"}])
    assert resource.class_name == "OrderItem"
    assert resource.table == "order_items"
    assert resource.url_path == "/api/v1/order-items"
    assert resource.label == "order item"
    assert [field.name for field in resource.unique_fields] == ["sku"]
    assert resource.sort_keys == ["id", "sku", "created_at", "updated_at"]


def test_irregular_plural_answer_is_kept() -> None:
    (resource,) = parse_resources([{"name": "person", "plural": "people", "fields": "name:str"}])
    assert (resource.class_name, resource.table, resource.url_path) == ("Person", "people", "/api/v1/people")


def test_revisions_chain_in_list_order_and_refs_know_their_tables() -> None:
    resources = parse_resources(DOMAIN_RESOURCES)
    assert [resource.revision for resource in resources] == [
        "0001",
        "0002_categories",
        "0003_products",
        "0004_orders",
        "0005_order_lines",
    ]
    assert [resource.revision_file for resource in resources][:2] == ["0001_initial", "0002_categories"]
    order_line = resources[-1]
    assert [(field.name, field.target_table, field.on_delete) for field in order_line.refs] == [
        ("order_id", "orders", "CASCADE"),
        ("product_id", "products", "RESTRICT"),
    ]
    assert resources[1].refs[0].target_table == "categories"  # a self-reference


def test_resource_name_rules() -> None:
    assert resource_name_error("order_item") == ""
    assert resource_name_error("schemas").startswith('name "schemas" is reserved')
    assert "at most 20 characters" in resource_name_error("a" * 21)
    assert resource_plural_error("people", "person") == ""
    assert "must differ from the name" in resource_plural_error("news", "news")
    assert resource_plural_error("alembic_version", "alembic_ver").startswith('plural "alembic_version" is reserved')


def _named(*items: tuple[str, str]) -> list[dict[str, str]]:
    return [{"name": name, "fields": fields} for name, fields in items]


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("product", 'resources: must be a non-empty list of {name, plural, fields} mappings (got "product")'),
        ([], "resources: must be a non-empty list"),
        (_named(*((f"r{index}", "a:int") for index in range(MAX_RESOURCES + 1))), "at most 20 resources (got 21)"),
        (["product"], 'resources[0]: must be a mapping {name, plural, fields} (got "product")'),
        ([{"name": "a", "fields": "x:int", "colour": 1}], "resources[0] (a): unknown key 'colour'"),
        (
            [{"name": "note", "fields": "owner:str", "owned": True}],
            "resources[0] (note): an owned resource keeps its creator in owner: rename that field",
        ),
        ([{"name": "product"}], "resources[0] (product): fields is required and must be text (got null)"),
        ([{"fields": "a:int"}], "resources[0]: name is required and must be text (got null)"),
        (_named(("Product", "a:int")), "resources[0] (Product): name must be lowercase snake_case"),
        (_named(("models", "a:int")), 'resources[0] (models): name "models" is reserved'),
        (_named(("line_query", "a:int")), "resources[0] (line_query): name must not end in _query"),
        ([{"name": "fish", "plural": "fish", "fields": "a:int"}], "resources[0] (fish): plural must differ"),
        (_named(("order_line", "a:nope")), "resources[0] (order_line): fields: unknown type 'nope'"),
        (
            _named(("box", "x:int"), ("bag", "x:int"), ("box", "x:int")),
            "resources[2] (box): name 'box' is already the name",
        ),
        (
            [{"name": "datum", "plural": "data", "fields": "a:int"}, {"name": "data", "fields": "a:int"}],
            "resources[1] (data): name 'data' is already the name or plural of resources[0] (datum)",
        ),
        (_named(("order", "customer:ref")), "resources[0] (order): customer_id references 'customer', which is not"),
        (
            _named(("order", "customer:ref"), ("customer", "name:str")),
            "resources[0] (order): customer_id references customer, which is listed after it;"
            " move customer before order",
        ),
        (
            _named(("alpha", "beta:ref"), ("beta", "alpha:ref")),
            "resources[0] (alpha): refs form a cycle alpha -> beta -> alpha",
        ),
        (
            _named(("alpha", "beta:ref"), ("beta", "gamma:ref"), ("gamma", "alpha:ref?")),
            "refs form a cycle alpha -> beta -> gamma -> alpha",
        ),
        (
            _named(("category", "parent:ref(category)")),
            "resources[0] (category): parent_id references its own resource and must be nullable (add ?)",
        ),
    ],
)
def test_bad_resource_lists_are_refused_naming_the_resource(value: Any, message: str) -> None:
    error = resources_error(value)
    assert message in error, error
    assert "\n" not in error


def test_valid_lists_have_no_error() -> None:
    assert resources_error(DOMAIN_RESOURCES) == ""
    assert resources_error(_named(("category", "parent:ref(category)?"))) == ""


def _hook(context: dict[str, Any]) -> dict[str, Any]:
    ContextUpdater.hook(None, context)  # type: ignore[arg-type]  # hook uses no instance state
    return context


def test_hook_adds_the_parsed_resources_and_the_field_types() -> None:
    context = _hook({"resources": DOMAIN_RESOURCES})
    assert [resource.class_name for resource in context["parsed_resources"]][-1] == "OrderLine"
    assert {"email", "enum", "ref"} <= context["field_types"]
    assert context["resources"] == DOMAIN_RESOURCES  # the answer itself is left as given


def test_hook_leaves_invalid_lists_to_the_validator() -> None:
    context = _hook({"resources": _named(("product", "name:nope"))})
    assert "parsed_resources" not in context


def test_the_domain_preset_covers_every_type_rule_index_and_on_delete() -> None:
    resources = parse_resources(DOMAIN_RESOURCES)
    fields = [field for resource in resources for field in resource.fields]
    assert {field.type for field in fields} == set(TYPES)
    assert {rule for field in fields for rule, _ in field.rules} == set(RULES)
    assert any(field.index for field in fields)
    assert {field.on_delete for field in fields if field.type == "ref"} == set(ON_DELETE.values())
    assert any(field.target == resource.name for resource in resources for field in resource.refs)  # a self-reference
