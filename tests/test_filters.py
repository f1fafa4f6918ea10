"""Naming and escaping helpers, without Copier."""

import ast
import json
import tomllib

import pytest
import yaml

from extensions.filters import (
    is_identifier,
    kebab,
    pascal,
    pluralize,
    python_string,
    python_tuple,
    quoted,
    running_python,
    snake,
)

ODD = ['Zürich "Orders": #1', "it's", "back\\slash", "tab\there", "{{ not_a_template }}", ""]


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("Order Item", "order_item"),
        ("orderItem", "order_item"),
        ("order-item", "order_item"),
        ("  Product  ", "product"),
    ],
)
def test_snake(value: str, expected: str) -> None:
    assert snake(value) == expected


def test_kebab_and_pascal() -> None:
    assert kebab("Product Service") == "product-service"
    assert kebab("order_items") == "order-items"
    assert pascal("order_item") == "OrderItem"


@pytest.mark.parametrize(
    ("singular", "plural"),
    [
        ("product", "products"),
        ("category", "categories"),
        ("person", "people"),
        ("order_item", "order_items"),
        ("sales_person", "sales_people"),
        ("box", "boxes"),
        ("bus", "buses"),
        ("day", "days"),
        ("child", "children"),
        ("analysis", "analyses"),
        ("leaf", "leaves"),
        ("series", "series"),
        ("hero", "heroes"),
        ("photo", "photos"),
        ("address", "addresses"),
        ("match", "matches"),
    ],
)
def test_pluralize_follows_english_rules(singular: str, plural: str) -> None:
    assert pluralize(singular) == plural


@pytest.mark.parametrize(
    ("value", "valid"),
    [("product", True), ("order_item", True), ("class", False), ("Product", False), ("1x", False), ("a-b", False)],
)
def test_is_identifier(value: str, valid: bool) -> None:
    assert is_identifier(value) is valid


@pytest.mark.parametrize("value", ODD)
def test_quoted_reads_back_in_toml_yaml_and_json(value: str) -> None:
    literal = quoted(value)
    assert tomllib.loads(f"key = {literal}")["key"] == value
    assert yaml.safe_load(f"key: {literal}")["key"] == value
    assert json.loads(literal) == value


@pytest.mark.parametrize("value", ODD)
def test_python_string_reads_back(value: str) -> None:
    assert ast.literal_eval(python_string(value)) == value


def test_python_string_prefers_double_quotes_like_ruff() -> None:
    assert python_string("abc") == '"abc"'
    assert python_string('say "hi"') == "'say \"hi\"'"


def test_python_tuple_layout() -> None:
    assert python_tuple([], "X = ") == "X = ()"
    assert python_tuple(["a"], "X = ") == 'X = ("a",)'
    assert python_tuple(["a", "b"], "X = ") == 'X = ("a", "b")'
    exploded = python_tuple([f"field_{n}" for n in range(20)], "X = ")
    assert exploded.splitlines()[0] == "X = (" and exploded.splitlines()[-1] == ")"
    assert ast.literal_eval(exploded.removeprefix("X = ")) == tuple(f"field_{n}" for n in range(20))


def test_words_spell_non_ascii_letters() -> None:
    assert kebab('Zürich "Orders": #1') == "zurich-orders-1"
    assert snake("Ærø Straße") == "aero_strasse"


def test_running_python_is_supported() -> None:
    assert running_python() in ("3.11", "3.12", "3.13", "3.14")
