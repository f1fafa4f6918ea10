"""Naming helpers for the template, and the Jinja extension that registers them."""

from __future__ import annotations

import json
import keyword
import re
import sys
import unicodedata
from typing import Any

from jinja2 import Environment
from jinja2.ext import Extension

SUPPORTED_PYTHONS = ("3.11", "3.12", "3.13", "3.14")
FALLBACK_PYTHON = "3.12"

_LETTERS_WITHOUT_DECOMPOSITION = str.maketrans(
    {"Æ": "Ae", "æ": "ae", "Ø": "O", "ø": "o", "Œ": "Oe", "œ": "oe", "ß": "ss", "Đ": "D", "đ": "d", "Ł": "L", "ł": "l"}
)
# Words of lowercase letters and digits joined by single underscores: no leading, doubled or trailing `_`.
SNAKE_CASE = re.compile(r"[a-z][a-z0-9]*(?:_[a-z0-9]+)*")
_WORD_BOUNDARY = re.compile(r"[^0-9A-Za-z]+|(?<=[a-z0-9])(?=[A-Z])")

# Irregular plurals a resource name is likely to use; everything else follows the rules below.
_IRREGULAR = {
    "child": "children",
    "foot": "feet",
    "goose": "geese",
    "man": "men",
    "mouse": "mice",
    "person": "people",
    "tooth": "teeth",
    "woman": "women",
    "ox": "oxen",
    "criterion": "criteria",
    "phenomenon": "phenomena",
    "datum": "data",
    "index": "indices",
    "matrix": "matrices",
    "vertex": "vertices",
    "analysis": "analyses",
    "basis": "bases",
    "crisis": "crises",
    "thesis": "theses",
    "leaf": "leaves",
    "life": "lives",
    "knife": "knives",
    "wife": "wives",
    "half": "halves",
    "shelf": "shelves",
    "wolf": "wolves",
    "hero": "heroes",
    "potato": "potatoes",
    "tomato": "tomatoes",
    "echo": "echoes",
    "quiz": "quizzes",
    "bus": "buses",
}
_UNCOUNTABLE = frozenset({"equipment", "information", "news", "series", "species", "sheep", "fish", "deer", "metadata"})


def words(value: str) -> list[str]:
    """Split any casing (spaces, kebab, snake, camel) into lowercase ASCII words (Zürich -> zurich)."""
    spelled = value.translate(_LETTERS_WITHOUT_DECOMPOSITION)
    ascii_text = unicodedata.normalize("NFKD", spelled).encode("ascii", "ignore").decode()
    return [word.lower() for word in _WORD_BOUNDARY.split(ascii_text.strip()) if word]


def snake(value: str) -> str:
    """`Order Item` -> `order_item`."""
    return "_".join(words(value))


def kebab(value: str) -> str:
    """`Order Item` -> `order-item`."""
    return "-".join(words(value))


def pascal(value: str) -> str:
    """`order_item` -> `OrderItem`."""
    return "".join(word.capitalize() for word in words(value))


def pluralize_word(word: str) -> str:
    """The English plural of one lowercase word."""
    if word in _UNCOUNTABLE:
        return word
    if word in _IRREGULAR:
        return _IRREGULAR[word]
    if re.search(r"[^aeiou]y$", word):
        return word[:-1] + "ies"
    if re.search(r"(s|x|z|ch|sh)$", word):
        return word + "es"
    return word + "s"


def pluralize(name: str) -> str:
    """Pluralize the last word of a snake_case name: `order_item` -> `order_items`."""
    head, _, last = snake(name).rpartition("_")
    plural = pluralize_word(last)
    return f"{head}_{plural}" if head else plural


def is_identifier(value: str) -> bool:
    """True for a lowercase snake_case Python identifier that is not a keyword."""
    return bool(SNAKE_CASE.fullmatch(value)) and not keyword.iskeyword(value)


def quoted(value: Any) -> str:
    """`value` as a double-quoted string that TOML, YAML and JSON all read back verbatim."""
    return json.dumps(str(value), ensure_ascii=False)


def python_string(value: Any) -> str:
    """A Python string literal of `value`, quoted the way ruff format writes it."""
    text = str(value)
    quote = "'" if '"' in text and "'" not in text else '"'
    body = text.replace("\\", "\\\\").replace(quote, "\\" + quote)
    body = re.sub(r"[\x00-\x1f\x7f]", lambda match: f"\\x{ord(match[0]):02x}", body)
    return f"{quote}{body}{quote}"


def python_tuple(items: Any, prefix: str = "", width: int = 120) -> str:
    """`prefix` + a tuple of string literals, laid out the way ruff format writes it."""
    literals = [python_string(item) for item in items]
    one_line = f"{prefix}({', '.join(literals)}{',' if len(literals) == 1 else ''})"
    if len(one_line) <= width:
        return one_line
    return f"{prefix}(\n" + "".join(f"    {literal},\n" for literal in literals) + ")"


def python_call(head: str, args: Any, tail: str = "", indent: int = 0, width: int = 120) -> str:
    """`head(args)tail` on one line when it fits in `width`, else one argument per line, like ruff."""
    pad = " " * indent
    arguments = [str(arg) for arg in args]
    one_line = f"{pad}{head}({', '.join(arguments)}){tail}"
    if len(one_line) <= width:
        return one_line
    lines = "".join(f"{pad}    {argument},\n" for argument in arguments)
    return f"{pad}{head}(\n{lines}{pad}){tail}"


def python_import(module: str, names: Any, width: int = 120) -> str:
    """`from module import names` on one line when it fits in `width`, else one name per line, like ruff."""
    listed = [str(name) for name in names]
    one_line = f"from {module} import {', '.join(listed)}"
    if len(one_line) <= width:
        return one_line
    return f"from {module} import (\n" + "".join(f"    {name},\n" for name in listed) + ")"


def running_python() -> str:
    """The Python running Copier when the template supports it, else the fallback version."""
    current = f"{sys.version_info.major}.{sys.version_info.minor}"
    return current if current in SUPPORTED_PYTHONS else FALLBACK_PYTHON


class NamingExtension(Extension):
    """Registers the naming and escaping helpers as Jinja filters and globals."""

    def __init__(self, environment: Environment) -> None:
        super().__init__(environment)
        environment.filters.update(
            snake=snake,
            kebab=kebab,
            pascal=pascal,
            pluralize=pluralize,
            quoted=quoted,
            python_string=python_string,
            python_tuple=python_tuple,
        )
        environment.globals.update(
            python_call=python_call,
            python_import=python_import,
            running_python=running_python,
        )
