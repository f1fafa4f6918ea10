"""Fields that may be left out but never sent as null (PATCH bodies, filters), with a JSON schema that says so."""

from typing import Any

from pydantic import Field


def without_null(schema: dict[str, Any]) -> None:
    """Keep the field's non-null branches; drop the None default, which only marks the field as left out."""
    branches = [branch for branch in schema.pop("anyOf", []) if branch.get("type") != "null"]
    if len(branches) == 1:
        schema.update(branches[0])
    elif branches:
        schema["anyOf"] = branches
    schema.pop("default", None)


def not_null(**constraints: Any) -> Any:
    """A PATCH field that may be left out (None) but not sent as null; pair it with a validator refusing None."""
    return Field(default=None, json_schema_extra=without_null, **constraints)
