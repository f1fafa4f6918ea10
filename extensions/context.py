"""Names nobody edits, computed from the answers and added to the rendering context."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from copier_template_extensions import ContextHook

from .fields import Field, FieldSpecError, parse_fields
from .filters import kebab, pascal, snake


@dataclass(frozen=True)
class Resource:
    """One API resource and every name the service uses for it."""

    name: str  # singular snake_case: module names, variables
    plural: str  # plural snake_case: table, endpoint module
    fields: tuple[Field, ...]

    @property
    def class_name(self) -> str:
        """`OrderItem`."""
        return pascal(self.name)

    @property
    def table(self) -> str:
        """`order_items`."""
        return self.plural

    @property
    def url_path(self) -> str:
        """`/api/v1/order-items`."""
        return f"/api/v1/{kebab(self.plural)}"

    @property
    def label(self) -> str:
        """`order item`, for messages and docs."""
        return self.name.replace("_", " ")

    @property
    def label_plural(self) -> str:
        """`order items`."""
        return self.plural.replace("_", " ")

    @property
    def sort_keys(self) -> list[str]:
        """Columns a client may sort the list by."""
        return ["id", *(field.name for field in self.fields if field.sortable), "created_at", "updated_at"]

    @property
    def unique_fields(self) -> list[Field]:
        """Fields with a unique constraint."""
        return [field for field in self.fields if field.unique]

    @property
    def required_fields(self) -> list[Field]:
        """Fields that may never hold null."""
        return [field for field in self.fields if not field.nullable]

    def uses(self, *types: str) -> bool:
        """Whether any field has one of these types (drives imports)."""
        return any(field.type in types for field in self.fields)


def build_resource(name: str, plural: str, spec: str) -> Resource:
    """A Resource from the raw answers."""
    return Resource(name=snake(name), plural=snake(plural), fields=tuple(parse_fields(spec)))


class ContextUpdater(ContextHook):
    """Adds `resources`, the list every per-resource template iterates over."""

    def hook(self, context: dict[str, Any]) -> None:
        """Compute the resources once the answers they depend on are known."""
        answers = ("resource_name", "resource_plural", "resource_fields")
        if not all(context.get(key) for key in answers):
            return
        try:
            context["resources"] = [build_resource(*(str(context[key]) for key in answers))]
        except FieldSpecError:
            return  # the questionnaire's validator reports the spec error in one line
