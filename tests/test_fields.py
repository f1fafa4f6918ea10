"""The field-spec grammar: what it accepts, what it refuses and with which message."""

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any
from uuid import UUID

import pytest

from extensions.fields import TYPES, Field, field_spec_error, parse_fields, pattern_samples, split_items
from tests.presets import DEFAULT_FIELDS, EXAMPLE_FIELDS, PRESETS


def test_default_spec() -> None:
    name, description, price, stock = parse_fields(DEFAULT_FIELDS)
    assert (name.type, name.length, name.nullable, name.min_length) == ("str", 120, False, 1)
    assert (description.type, description.nullable) == ("text", True)
    assert (price.type, price.precision, price.scale, price.rules) == ("decimal", 12, 2, (("ge", "0.00"),))
    assert (stock.type, stock.default, stock.rules) == ("int", "0", (("ge", "0"),))


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


def test_commas_inside_parentheses_braces_and_quotes_stay_in_their_field() -> None:
    spec = 'a:decimal(10,2), b:str="x, y", c:int{ge=1,le=5}, d:str{pattern="^[a,b]{2}$"}'
    assert split_items(spec) == ["a:decimal(10,2)", 'b:str="x, y"', "c:int{ge=1,le=5}", 'd:str{pattern="^[a,b]{2}$"}']


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        ("", "the spec must list at least one field"),
        ("   ", "the spec must list at least one field"),
        (
            "name:strng",
            "unknown type 'strng'; valid types: str, text, int, float, decimal, bool, date, datetime, uuid,"
            " email, enum, ref",
        ),
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
        ("sa:int", "field name 'sa' is reserved: the generated model, schema and query classes use it"),
        ("include_total:bool", "field name 'include_total' is reserved: the generated model, schema and query"),
        ("registry:str", "field name 'registry' is reserved: SQLAlchemy's declarative base uses it"),
        ("done:bool=yes", "default 'yes' is not a valid bool"),
        ("at:datetime=2024-01-01T00:00:00", "default '2024-01-01T00:00:00' is not a valid datetime"),
        ("code:str(0)", "str length must be a whole number from 1 to 10000"),
        ("price:decimal(40,2)", "decimal size must be (precision,scale)"),
        ("price:decimal(4,5)", "decimal size must be (precision,scale)"),
        ("due:date(3)", "only str, decimal, enum and ref take an argument in parentheses, not date"),
        ("body:text!", "a text field cannot be unique"),
        ("x:int??", "a modifier (? or !) appears twice"),
        ("code:str(3)=toolong", "a text default must be at most 3 characters"),
        ("a_very_long_field_name_that_goes_past_the_limit:int", "a field name must be at most 32 characters"),
    ],
)
def test_bad_specs_are_refused_with_a_one_line_reason(spec: str, message: str) -> None:
    error = field_spec_error(spec)
    assert message in error
    assert "(got " in error
    assert "\n" not in error


@pytest.mark.parametrize(
    "spec", [DEFAULT_FIELDS, *(item["fields"] for preset in PRESETS.values() for item in preset.get("resources", []))]
)
def test_valid_specs_have_no_error(spec: str) -> None:
    assert field_spec_error(spec) == ""


def _evaluate(field: Field, n: int) -> Any:
    namespace = {"n": n, "date": date, "datetime": datetime, "timedelta": timedelta, "UTC": UTC, "UUID": UUID}
    namespace |= {"ids": {field.name: n}, field.samples_name: field.sample_values}
    return eval(field.sample(), namespace)  # noqa: S307 - the expression is ours


@pytest.mark.parametrize("type_", TYPES)
def test_samples_are_valid_and_vary(type_: str) -> None:
    size = {"str": "(3)", "decimal": "(4,2)", "enum": "(a|b|c)"}.get(type_, "")
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
    assert price.constraints == ["max_digits=10", "decimal_places=2"]
    assert price.default_literal == 'Decimal("1.50")' and price.default_json == '"1.50"'
    assert due.annotation == "date | None" and due.has_default and due.default_literal == "None"
    assert at.column_type == "UTCDateTime()" and at.migration_type == "sa.DateTime(timezone=True)"


def test_relations_rules_and_the_new_types() -> None:
    parent, rating, code, status, mail = parse_fields(
        'parent:ref(category){on_delete=set_null}?, rating:int{ge=1,le=5}, code:str(3){pattern="^[A-Z]{3}$"}!,'
        " status:enum(draft|published|archived)=draft, mail:email"
    )
    assert (parent.name, parent.target, parent.on_delete, parent.nullable) == (
        "parent_id",
        "category",
        "SET NULL",
        True,
    )
    assert rating.constraints == ["ge=1", "le=5"]
    assert [check.sql for check in rating.checks("items")] == ['"rating" >= 1', '"rating" <= 5']
    assert code.constraints == ["min_length=1", "max_length=3", 'pattern="^[A-Z]{3}$"']
    assert [(check.name, check.postgres_only) for check in code.checks("items")] == [
        ("code_pattern", True),
        ("code_min_length", False),
    ]
    assert (status.choices, status.length, status.default, status.read_type("Post")) == (
        ("draft", "published", "archived"),
        9,
        "draft",
        "PostStatus",
    )
    assert [check.sql for check in status.checks("posts")] == ["\"status\" IN ('draft', 'published', 'archived')"]
    assert (mail.input_type("Post"), mail.python_type, mail.length) == ("Email", "str", 320)


def test_index_marks_a_column_for_its_own_index() -> None:
    price, day, owner, plain = parse_fields("price:decimal(12,2){ge=0,index}, day:date{ index }?, owner:ref, n:int")
    assert (price.index, price.indexed, price.rules) == (True, True, (("ge", "0.00"),))
    assert (day.indexed, day.nullable, day.constraints) == (True, True, [])
    assert (owner.index, owner.indexed) == (False, True)  # every ref has its index anyway
    assert not plain.indexed


def test_rule_order_does_not_change_the_meaning() -> None:
    assert parse_fields("a:int{ge=1,le=5}") == parse_fields("a:int{ le=5, ge=1 }")


def test_min_length_zero_keeps_the_empty_string() -> None:
    (field,) = parse_fields("name:str{min_length=0}")
    assert field.min_length == 0 and field.constraints == ["max_length=255"] and field.checks("t") == []


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        ("a:int{ge=5,le=1}", "the bounds leave no valid value"),
        ("a:int{gt=1,lt=2}", "the bounds leave no valid value"),
        ("a:int{ge=1,gt=0}", "use one lower bound (ge or gt) and one upper bound (le or lt)"),
        ("a:int{ge=x}", "bound ge=x is not a valid int"),
        ("a:str{ge=1}", "rule ge applies to int, float, decimal, date, datetime fields, not str"),
        ('a:int{pattern="x"}', "rule pattern applies to str fields, not int"),
        ("a:int{ge=1,ge=2}", "rule ge appears twice"),
        ("a:int{foo=1}", "a rule must be one of ge, gt, le, lt, min_length, pattern, on_delete"),
        ("a:int{ge}", "a rule must be one of"),
        ("a:str(3){min_length=4}", "min_length must be a whole number from 0 to the field's length 3"),
        ("a:str{pattern=^x$}", "a pattern must be a double-quoted regular expression"),
        ('a:str{pattern="(x"}', "pattern is not a valid regular expression"),
        ('a:str{pattern="(?=x)x"}', "a pattern may not use lookaround, backreferences or named groups"),
        ("a:ref{on_delete=nothing}", "on_delete must be one of restrict, cascade, set_null"),
        ("a:ref{on_delete=set_null}", "on_delete=set_null needs a nullable ref: add ?"),
        ("a:int{on_delete=cascade}", "rule on_delete applies to ref fields, not int"),
        ("a:int{index=true}", "index takes no value and appears once: write {index}"),
        ("a:int{index,index}", "index takes no value and appears once: write {index}"),
        ("a:ref{index}", "a ref is always indexed: drop index"),
        ("a:str{index}!", "a unique field is indexed by its constraint: drop index"),
        ("a:text{index}", "index applies to str, int, float, decimal, bool, date, datetime, uuid, email, enum fields"),
        ("a:ref=1", "a ref cannot have a default"),
        ("a_id:ref", "name a ref after what it references: a:ref gives the column a_id"),
        ("a:ref(Not-A-Name)", "a ref target must be a resource name"),
        ("a:enum", "enum values are separated by |"),
        ("a:enum(x|x)", "enum values must be distinct"),
        ("a:enum(x y|z)", "enum values are separated by |"),
        ("a:enum(x|y)=z", "the default must be one of x|y"),
        ("a:email=nobody", "the default is not an email address"),
        ("a:email(10)", "only str, decimal, enum and ref take an argument in parentheses, not email"),
        ("a:int{ge=1}=0", "the default 0 breaks ge=1"),
        ("a:date{lt=2024-01-01}=2024-01-01", "the default 2024-01-01 breaks lt=2024-01-01"),
        ("a:str=", "the default is shorter than min_length 1 (add {min_length=0} to allow '')"),
        ('a:str(3){pattern="^[A-Z]{3}$"}=abc', "the default does not match the pattern ^[A-Z]{3}$"),
        ("b_id:int, b:ref(x)", "field 'b_id' is declared twice"),
    ],
)
def test_bad_rules_and_relations_are_refused(spec: str, message: str) -> None:
    error = field_spec_error(spec)
    assert message in error, error
    assert "\n" not in error


@pytest.mark.parametrize(
    "spec",
    [
        "rating:int{ge=1,le=5}",
        "price:decimal(12,2){ge=0}",
        "p:decimal(5,2){gt=0.5,le=99.5}",
        "q:decimal(4,1){lt=0}",
        "x:float{gt=0,lt=1}",
        "due:date{gt=2024-01-01,lt=2024-03-01}",
        "at:datetime{le=2024-01-01T00:00:00+00:00}",
        "at:datetime{ge=2020-01-01T00:00:00+00:00}",
        'code:str(3){pattern="^[A-Z]{3}$"}',
        "status:enum(draft|published)",
        "name:str(10){min_length=8}",
    ],
)
def test_samples_of_fields_with_rules_keep_to_the_rules(spec: str) -> None:
    """Every sample is a default the grammar accepts, and defaults must satisfy the rules."""
    (field,) = parse_fields(spec)
    for n in range(1, 40):
        value = _evaluate(field, n)
        assert field_spec_error(f"{spec}={value}") == "", (n, value)


def test_pattern_samples_match_and_differ() -> None:
    values = pattern_samples("^[A-Z]{3}$", 1, 3)
    assert len(values) == 64 and len(set(values)) == 64
    assert all(len(value) == 3 and value.isupper() for value in values)
    assert pattern_samples("(ab|cd)x?", 1, 3) == ("ab", "cd", "abx", "cdx")
