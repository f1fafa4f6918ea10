"""Names the ContextUpdater computes for the templates."""

from typing import Any

from extensions.context import ContextUpdater, build_resource


def test_multi_word_resource_names() -> None:
    resource = build_resource("order_item", "order_items", "sku:str(32)!, note:text?")
    assert resource.class_name == "OrderItem"
    assert resource.table == "order_items"
    assert resource.url_path == "/api/v1/order-items"
    assert resource.label == "order item"
    assert [field.name for field in resource.unique_fields] == ["sku"]
    assert resource.sort_keys == ["id", "sku", "created_at", "updated_at"]


def test_irregular_plural_answer_is_kept() -> None:
    resource = build_resource("person", "people", "name:str")
    assert (resource.class_name, resource.table, resource.url_path) == ("Person", "people", "/api/v1/people")


def _hook(context: dict[str, Any]) -> dict[str, Any]:
    ContextUpdater.hook(None, context)  # type: ignore[arg-type]  # hook uses no instance state
    return context


def test_hook_adds_a_list_of_resources() -> None:
    context = _hook({"resource_name": "product", "resource_plural": "products", "resource_fields": "name:str"})
    assert [resource.class_name for resource in context["resources"]] == ["Product"]


def test_hook_leaves_invalid_specs_to_the_validator() -> None:
    context = _hook({"resource_name": "product", "resource_plural": "products", "resource_fields": "name:nope"})
    assert "resources" not in context
