"""The query every list route takes: paging, up to three sort keys and typed filters, nothing unknown."""

import re
from collections.abc import Iterable
from typing import Any, get_args

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from app.schemas.patching import without_null

MAX_SORT_KEYS = 3
MAX_IN_VALUES = 100
IN_SUFFIX = "__in"
PAGING = frozenset({"limit", "offset", "sort", "include_total"})


def sort_field(keys: Any) -> Any:
    """The `sort` parameter of a resource whose sortable keys are the Literal `keys`, checked by a pattern."""
    names = sorted({str(key).removeprefix("-") for key in get_args(keys)}, key=len, reverse=True)
    one = f"-?(?:{'|'.join(map(re.escape, names))})"
    more = "{0," + str(MAX_SORT_KEYS - 1) + "}"  # a regex quantifier, spelled without an f-string's doubled braces
    repeated = r"(?!(?:[^,]*,)*-?([^,]+),(?:[^,]*,)*-?\1(?:,|$))"  # documents _distinct_keys
    return Field(
        default="id",
        json_schema_extra={"pattern": f"^{repeated}{one}(?:,{one}){more}$"},
        pattern=f"^{one}(?:,{one}){more}$",
        description=f"Up to {MAX_SORT_KEYS} comma-separated keys, each descending with a leading -: "
        f"{', '.join(reversed(names))}. id breaks ties.",
    )


def value_filter(**constraints: Any) -> Any:
    """A filter that may be left out; a query string cannot send null, so the document offers none."""
    return Field(default=None, json_schema_extra=without_null, **constraints)


def in_filter() -> Any:
    """A `<field>__in` filter: comma-separated (or repeated) values, at most MAX_IN_VALUES."""
    return value_filter(min_length=1, max_length=MAX_IN_VALUES, description="Comma-separated values.")


def _flattened(values: Iterable[Any]) -> list[Any]:
    return [part for value in values for part in (value.split(",") if isinstance(value, str) else [value])]


class ListQuery(BaseModel):
    """Paging and sorting; a resource's query adds its filters. An unknown parameter is a 422."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    limit: int = Field(default=20, ge=1, le=100)
    offset: int = Field(default=0, ge=0, le=2**31 - 1)
    sort: str = "id"
    include_total: bool = Field(
        default=True,
        description="false skips counting every matching row (the costly part of a large list); total is then null.",
    )

    @model_validator(mode="before")
    @classmethod
    def _split_lists(cls, data: Any) -> Any:
        """`status__in=a,b` and `status__in=a&status__in=b` both mean [a, b]."""
        if not isinstance(data, dict):
            return data
        return {
            key: _flattened(value if isinstance(value, list) else [value]) if key.endswith(IN_SUFFIX) else value
            for key, value in data.items()
        }

    @field_validator("sort")
    @classmethod
    def _distinct_keys(cls, value: str) -> str:
        names = [key.removeprefix("-") for key in value.split(",")]
        if len(set(names)) != len(names):
            raise ValueError("each sort key may appear once")
        return value

    @property
    def sort_keys(self) -> tuple[str, ...]:
        """The sort keys in order, `-` marking a descending one."""
        return tuple(self.sort.split(","))

    def filters(self) -> dict[str, Any]:
        """The filters the request set, by parameter name (`price__gte`)."""
        return {name: value for name, value in self if name not in PAGING and value is not None}
