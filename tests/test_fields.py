"""The field-spec grammar: what it accepts, what it refuses and with which message."""

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any
from uuid import UUID

import pytest

from extensions.fields import DEFAULT_SPEC, TYPES, Field, field_spec_error, parse_fields, split_fields
from tests.presets import EXAMPLE_FIELDS, PRESETS


def test_default_spec() -> None:
    name, description, price, stock = parse_fields(DEFAULT_SPEC)
    assert (name.type, name.length, name.nullable) == ("str", 255, False)
    assert (description.type, description.nullable) == ("text", True)
    assert (price.type, price.precision, price.scale) == ("decimal", 12, 2)
    assert (stock.type, stock.default) == ("int", "0")


def test_example_spec() -> None:
    fields = {field.name: field for field in parse_fields(EXAMPLE_FIELDS)}
    assert list(fields) == ["title", "due", "done", "weight", "ref", "body"]
    assert fields["due"].nullable and fields["weight"].nullable and fields["body"].nullable
    assert fields["done"].default == "false"
    assert fields["ref"].type == "uuid" and not fields["ref"].nullable


def test_sizes_modifiers_and_defaults() -> None:
    sku, price, at, label = parse_fields(
        'sku:str(32)!, price:decimal(10, 2)=9.5, at:datetime?=2024-01-01T02:00:00+02:00, label:str(9)?="a, b"'
    )
    assert (sku.length, sku.unique, sku.nullable) == (32, True, False)
    assert (price.precision, price.scale, price.default) == (10, 2, "9.50")
    assert at.default == "2024-01-01T00:00:00+00:00" and at.nullable
    assert label.default == "a, b" and label.nullable


def test_commas_inside_parentheses_and_quotes_stay_in_their_field() -> None:
    assert split_fields('a:decimal(10,2), b:str="x, y", c:int') == ["a:decimal(10,2)", 'b:str="x, y"', "c:int"]


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        ("", "the spec must list at least one field"),
        ("   ", "the spec must list at least one field"),
        ("name:strng", "unknown type 'strng'; valid types: str, text, int, float, decimal, bool, date, datetime, uuid"),
        ("name:str, name:int", "field 'name' is declared twice"),
        ("id:int", "field name 'id' is reserved"),
        ("created_at:datetime", "field name 'created_at' is reserved"),
        ("updated_at:datetime", "field name 'updated_at' is reserved"),
        ("metadata:text", "field name 'metadata' is reserved"),
        ("date:date", "field name 'date' is reserved"),
        ("uuid:uuid", "field name 'uuid' is reserved"),
        ("model_config:str", "field name 'model_config' is reserved"),
        ("json:str", "field name 'json' is reserved"),
        ("class:int", "field name 'class' is a Python keyword"),
        ("async:int", "field name 'async' is a Python keyword"),
        ("Name:str", "a field name must be lowercase snake_case"),
        ("2nd:str", "a field name must be lowercase snake_case"),
        ("my-field:str", "a field name must be lowercase snake_case"),
        ("name", "each field must look like name:type"),
        ("name:str,", "a field is empty: remove the trailing or doubled comma"),
        ("name:str,, b:int", "a field is empty"),
        ('name:str="open', "a quoted default must end with a double quote"),
        ("my_field_:str", "a field name must be lowercase snake_case"),
        ("my__field:str", "a field name must be lowercase snake_case"),
        ("count:int=many", "default 'many' is not a valid int"),
        ("price:decimal(4,2)=100", "default '100' is not a valid decimal(4,2)"),
        ("price:decimal(10,2)=9.999", "default '9.999' is not a valid decimal(10,2)"),
        ("sa:int", "field name 'sa' is reserved: the generated model and schema classes use it"),
        ("registry:str", "field name 'registry' is reserved: SQLAlchemy's declarative base uses it"),
        ("done:bool=yes", "default 'yes' is not a valid bool"),
        ("at:datetime=2024-01-01T00:00:00", "default '2024-01-01T00:00:00' is not a valid datetime"),
        ("code:str(0)", "str length must be a whole number from 1 to 10000"),
        ("price:decimal(40,2)", "decimal size must be (precision,scale)"),
        ("price:decimal(4,5)", "decimal size must be (precision,scale)"),
        ("due:date(3)", "only str and decimal take a size, not date"),
        ("body:text!", "a text field cannot be unique"),
        ("x:int??", "a modifier (? or !) appears twice"),
        ("code:str(3)=toolong", "a text default must be at most 3 characters"),
        ("a_very_long_field_name_that_goes_past_the_limit:int", "a field name must be at most 32 characters"),
    ],
)
def test_bad_specs_are_refused_with_a_one_line_reason(spec: str, message: str) -> None:
    error = field_spec_error(spec)
    assert error.startswith("resource_fields: ")
    assert message in error
    assert "(got " in error
    assert "\n" not in error


@pytest.mark.parametrize(
    "spec", [DEFAULT_SPEC, EXAMPLE_FIELDS, *(p["resource_fields"] for p in PRESETS.values() if "resource_fields" in p)]
)
def test_valid_specs_have_no_error(spec: str) -> None:
    assert field_spec_error(spec) == ""


def _evaluate(field: Field, n: int) -> Any:
    namespace = {"n": n, "date": date, "datetime": datetime, "timedelta": timedelta, "UTC": UTC, "UUID": UUID}
    return eval(field.sample(), namespace)  # noqa: S307 - the expression is ours


@pytest.mark.parametrize("type_", TYPES)
def test_samples_are_valid_and_vary(type_: str) -> None:
    size = {"str": "(3)", "decimal": "(4,2)"}.get(type_, "")
    (field,) = parse_fields(f"value:{type_}{size}")
    values = [_evaluate(field, n) for n in range(1, 9)]
    assert len({str(value) for value in values}) > 1
    for value in values:
        if type_ == "str":
            assert len(value) <= 3
        if type_ == "decimal":
            assert Decimal(value) < 100 and Decimal(value).as_tuple().exponent == -2


def test_rendering_properties() -> None:
    price, due, at = parse_fields("price:decimal(10,2)=1.5, due:date?, at:datetime")
    assert price.column_type == "sa.Numeric(precision=10, scale=2)"
    assert price.constraints == "max_digits=10, decimal_places=2"
    assert price.default_literal == 'Decimal("1.50")' and price.default_json == '"1.50"'
    assert due.annotation == "date | None" and due.has_default and due.default_literal == "None"
    assert at.column_type == "UTCDateTime()" and at.migration_type == "sa.DateTime(timezone=True)"
