"""The resource field spec: its grammar, its parser, and what each field type renders to.

Grammar (one line, fields separated by commas; a comma inside parentheses, braces or double
quotes belongs to its field):

    spec     := field ("," field)*
    field    := name ":" type ["(" argument ")"] ["{" rule ("," rule)* "}"] modifier* ["=" default]
    argument := a str length, a decimal (precision,scale), an enum's values a|b|c, a ref's target
    rule     := ge|gt|le|lt "=" bound | min_length "=" n | pattern "=" "regex" | on_delete "=" action | index
    modifier := "?" (nullable) | "!" (unique)
    default  := a literal of the field's type; str and text defaults may be "double-quoted"

Examples: ``name:str(120)!``, ``price:decimal(12,2){ge=0}``, ``stock:int{ge=0}=0``,
``code:str(3){pattern="^[A-Z]{3}$"}!``, ``status:enum(draft|published)=draft``, ``customer:ref``,
``parent:ref(category){on_delete=set_null}?``, ``published_on:date{index}?``.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import keyword
import math
import re
import uuid
from dataclasses import dataclass, replace
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from typing import Any

try:
    from re import _parser as sre_parse  # type: ignore[attr-defined, unused-ignore]
except ImportError:  # Python 3.10
    import sre_parse

from jinja2 import Environment
from jinja2.ext import Extension

from .filters import SNAKE_CASE, pascal, python_string
from .numerals import date_pattern, decimal_pattern, grid_bounds

DEFAULT_STR_LENGTH = 255
DEFAULT_DECIMAL = (12, 2)
EMAIL_LENGTH = 320
INT32 = 2**31 - 1
INT64 = 2**63 - 1
JSON_SAFE_INT = 2**53 - 1  # the largest integer every JSON client reads exactly (a double's mantissa)
MAX_NAME = 32
MAX_TEXT_DEFAULT = 32  # keeps every generated line within the service's line length
MAX_CHOICES = 32
MAX_CHOICE = 40
MAX_IDENTIFIER = 63  # PostgreSQL's limit on constraint names

# The types a field may have; the first nine name Python types the generated modules import.
PLAIN_TYPES = ("str", "text", "int", "float", "decimal", "bool", "date", "datetime", "uuid")
TYPES = (*PLAIN_TYPES, "email", "enum", "ref")
BOUNDS = ("ge", "gt", "le", "lt")
ORDERED_TYPES = ("int", "float", "decimal", "date", "datetime")
RULES: dict[str, tuple[str, ...]] = {
    **dict.fromkeys(BOUNDS, ORDERED_TYPES),
    "min_length": ("str",),
    "pattern": ("str",),
    "on_delete": ("ref",),
}
# `{index}` takes no value; a ref is indexed anyway, and a text value may not fit in a btree page.
INDEXABLE_TYPES = tuple(type_ for type_ in TYPES if type_ not in ("text", "ref"))
ON_DELETE = {"restrict": "RESTRICT", "cascade": "CASCADE", "set_null": "SET NULL"}
_OPERATORS = {"ge": ">=", "gt": ">", "le": "<=", "lt": "<"}

# Why each name cannot be a field; a name starting with model_ is pydantic's too.
RESERVED_NAMES: dict[str, str] = {
    **dict.fromkeys(("id", "created_at", "updated_at"), "the service adds it to every resource"),
    **dict.fromkeys(("metadata", "registry"), "SQLAlchemy's declarative base uses it"),
    **dict.fromkeys(PLAIN_TYPES, "it names a field type"),
    **dict.fromkeys(
        (
            *("sa", "mapped_column", "field_validator", "classmethod", "self", "cls"),
            *("sort", "limit", "offset", "include_total"),
        ),
        "the generated model, schema and query classes use it",
    ),
    **dict.fromkeys(
        (
            *("copy", "dict", "json", "schema", "schema_json", "construct", "validate"),
            *("parse_obj", "parse_raw", "parse_file", "from_orm", "update_forward_refs"),
        ),
        "pydantic models use it",
    ),
}

_FIELD = re.compile(
    r"""(?P<name>[^:]*):\s*(?P<type>[A-Za-z_]\w*)\s*
        (?:\((?P<argument>[^)]*)\))?\s*
        (?:\{(?P<rules>(?:[^{}"]|"[^"]*")*)\})?\s*
        (?P<modifiers>[?!\s]*)
        (?:=(?P<default>.*))?""",
    re.VERBOSE | re.DOTALL,
)
_CHOICE = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]*")


SAMPLE_COUNT = 64
_CATEGORIES = {"CATEGORY_DIGIT": "0123456789", "CATEGORY_WORD": "abcXYZ_019", "CATEGORY_SPACE": " "}
_PRINTABLE = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_."


class _Choices:
    """Turns one seed into a sequence of choices: its digits in the mixed radix of the options met."""

    def __init__(self, seed: int) -> None:
        self._seed = seed

    def pick(self, options: int) -> int:
        if options <= 1:
            return 0
        self._seed, choice = divmod(self._seed, options)
        return choice


def _class_chars(items: list[tuple[Any, Any]]) -> str:
    chars: list[str] = []
    negate = False
    for op, value in items:
        name = str(op)
        if name == "NEGATE":
            negate = True
        elif name == "LITERAL":
            chars.append(chr(value))
        elif name == "RANGE":
            low, high = value
            chars.extend(chr(code) for code in range(low, min(high, low + 25) + 1))
            chars.append(chr(high))
        elif name == "CATEGORY":
            chars.extend(_CATEGORIES.get(str(value), ""))
    if negate:
        return "".join(char for char in _PRINTABLE if char not in chars)
    return "".join(chars)


def _render(tokens: Any, choices: _Choices) -> str:
    out: list[str] = []
    for op, value in tokens:
        name = str(op)
        if name == "LITERAL":
            out.append(chr(value))
        elif name == "NOT_LITERAL":
            out.append(next(char for char in _PRINTABLE if ord(char) != value))
        elif name == "ANY":
            out.append(_PRINTABLE[choices.pick(len(_PRINTABLE))])
        elif name == "IN":
            options = _class_chars(value)
            out.append(options[choices.pick(len(options))] if options else "")
        elif name in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT"):
            low, high, sub = value
            high = min(high, low + 3)
            out.extend(_render(sub, choices) for _ in range(low + choices.pick(high - low + 1)))
        elif name in ("SUBPATTERN", "ATOMIC_GROUP"):
            out.append(_render(value[-1], choices))
        elif name == "BRANCH":
            branches = value[1]
            out.append(_render(branches[choices.pick(len(branches))], choices))
    return "".join(out)


@lru_cache(maxsize=256)
def pattern_samples(pattern: str, min_length: int, max_length: int) -> tuple[str, ...]:
    """Up to SAMPLE_COUNT distinct strings that fully match `pattern` within the length bounds."""
    tokens = sre_parse.parse(pattern)
    found: dict[str, None] = {}
    for seed in range(SAMPLE_COUNT * 8):
        candidate = _render(tokens, _Choices(seed))
        if min_length <= len(candidate) <= max_length and re.fullmatch(pattern, candidate):
            found[candidate] = None
        if len(found) == SAMPLE_COUNT:
            break
    return tuple(found)


class FieldSpecError(ValueError):
    """A field spec that breaks the grammar; the message is one line for the questionnaire."""


@dataclass(frozen=True)
class Check:
    """A named CHECK constraint backing one rule of a field."""

    name: str  # the name inside the naming convention: ck_<table>_<name>
    sql: str
    postgres_only: bool = False  # SQLite has no regular expressions and stores timestamps as text


@dataclass(frozen=True)
class Field:
    """One parsed field of a resource."""

    name: str  # the column and API name (`customer_id` for `customer:ref`)
    type: str
    nullable: bool = False
    unique: bool = False
    default: str | None = None  # canonical text of the default, None when there is none
    length: int = 0  # str, email and enum
    precision: int = 0  # decimal only
    scale: int = 0  # decimal only
    rules: tuple[tuple[str, str], ...] = ()  # (rule, canonical value), in the order of RULES
    choices: tuple[str, ...] = ()  # enum only
    target: str = ""  # ref only: the referenced resource's name
    target_table: str = ""  # ref only: its table, once the whole list is resolved
    index: bool = False  # {index}: an index on the column, for the lists that filter or sort by it

    def rule(self, name: str) -> str | None:
        """The canonical value of one rule, or None."""
        return dict(self.rules).get(name)

    @property
    def min_length(self) -> int:
        """The shortest str value: 1 for a required str unless {min_length=0} says otherwise."""
        explicit = self.rule("min_length")
        if explicit is not None:
            return int(explicit)
        return 1 if self.type == "str" and not self.nullable else 0

    @property
    def indexed(self) -> bool:
        """Whether the column gets its own index: a ref always, any other field when it says {index}."""
        return self.index or self.type == "ref"

    @property
    def on_delete(self) -> str:
        """What deleting the referenced row does to this one (SQL spelling)."""
        return ON_DELETE[self.rule("on_delete") or "restrict"]

    @property
    def python_type(self) -> str:
        """The Python annotation of the stored value, without `| None`."""
        return {
            "str": "str",
            "text": "str",
            "email": "str",
            "enum": "str",
            "int": "int",
            "ref": "int",
            "float": "float",
            "decimal": "Decimal",
            "bool": "bool",
            "date": "date",
            "datetime": "datetime",
            "uuid": "UUID",
        }[self.type]

    @property
    def annotation(self) -> str:
        """The Python annotation, `| None` included for a nullable field."""
        return f"{self.python_type} | None" if self.nullable else self.python_type

    def alias(self, owner: str) -> str:
        """The name of an enum field's Literal alias in its resource's schemas."""
        return f"{owner}{pascal(self.name)}"

    def read_type(self, owner: str) -> str:
        """The annotation in a read schema, without `| None`."""
        return self.alias(owner) if self.type == "enum" else self.python_type

    def input_type(self, owner: str) -> str:
        """The annotation in a create or update schema, without `| None`: as strict as the document says."""
        if self.input_pattern:
            return self.alias(owner)
        strict = {"email": "Email", "date": "IsoDate", "datetime": "IsoDatetime", "int": "int", "ref": "int"}
        strict |= {"float": "StrictFloat", "bool": "StrictBool"}
        return strict.get(self.type) or self.read_type(owner)

    @property
    def input_pattern(self) -> str:
        """The pattern documenting a decimal's numerals or a bounded date's text, which JSON Schema cannot bound."""
        if self.type == "decimal":
            return decimal_pattern(self.precision, self.scale, *grid_bounds(self.scale, dict(self.rules)))
        if self.type in ("date", "datetime") and self.rules:
            return self._date_pattern()
        return ""

    @property
    def input_marker(self) -> str:
        """The annotation class that carries `input_pattern`: DecimalText validates by it, TextPattern documents it."""
        return "DecimalText" if self.type == "decimal" else "TextPattern"

    @property
    def input_base(self) -> str:
        """The type `input_marker` annotates."""
        return {"decimal": "Decimal", "date": "IsoDate"}.get(self.type, "IsoDatetime")

    def _date_pattern(self) -> str:
        """Dates within the bounds; for a datetime, the days all of whose moments are within them in any UTC offset.

        An offset moves a datetime's instant by up to a day either way, which no pattern can weigh
        against the bound, so a datetime's pattern keeps two days clear of each bound (its exact bounds
        are in the description) and matches only the date at the start of the text.
        """
        ge, gt, le, lt = (self.rule(rule) for rule in BOUNDS)
        lower, upper = ge or gt, le or lt
        if self.type == "datetime":
            margin = dt.timedelta(days=2)
            low = _utc_day(lower) + margin if lower else None
            high = _utc_day(upper) - margin if upper else None
            return date_pattern(low, high).removesuffix("$")
        day = dt.timedelta(days=1)
        low = dt.date.fromisoformat(lower) + (day if gt else dt.timedelta()) if lower else None
        high = dt.date.fromisoformat(upper) - (day if lt else dt.timedelta()) if upper else None
        return date_pattern(low, high)

    def filter_type(self, owner: str) -> str:
        """The annotation of one value of this field in a list filter."""
        return {"date": "IsoDate", "datetime": "IsoDatetime"}.get(self.type) or self.read_type(owner)

    @property
    def column_type(self) -> str:
        """The SQLAlchemy type expression, as `sa.<Type>(...)` or the service's own types."""
        if self.type in ("str", "email", "enum"):
            return f"sa.String(length={self.length})"
        if self.type == "decimal":
            return f"sa.Numeric(precision={self.precision}, scale={self.scale})"
        if self.type == "datetime":
            return "UTCDateTime()"
        if self.type == "ref":
            return "identity_key()"
        return {
            "text": "sa.Text()",
            "int": "sa.Integer()",
            "float": "sa.Float()",
            "bool": "sa.Boolean()",
            "date": "sa.Date()",
            "uuid": "sa.Uuid()",
        }[self.type]

    @property
    def migration_type(self) -> str:
        """The type expression in a migration, which must not import the service's own types."""
        if self.type == "datetime":
            return "sa.DateTime(timezone=True)"
        if self.type == "ref":
            return 'sa.BigInteger().with_variant(sa.Integer(), "sqlite")'
        return self.column_type

    @property
    def constraints(self) -> list[str]:
        """Keyword arguments of the pydantic `Field(...)` that bound the value."""
        if self.type == "str":
            lower = [f"min_length={self.min_length}"] if self.min_length else []
            pattern = self.rule("pattern")
            return [*lower, f"max_length={self.length}", *([f"pattern={python_string(pattern)}"] if pattern else [])]
        if self.type == "ref":
            return ["ge=1", f"le={JSON_SAFE_INT}"]
        if self.type == "decimal":
            described = [f"description={python_string(self.bounds_text)}"] if self._bounds() else []
            return [*self._bounds(), f"max_digits={self.precision}", f"decimal_places={self.scale}", *described]
        if self.type == "int":
            lower = [] if self.rule("ge") or self.rule("gt") else [f"ge={-INT32 - 1}"]
            upper = [] if self.rule("le") or self.rule("lt") else [f"le={INT32}"]
            return [*lower, *self._bounds(), *upper]
        if self.type == "float":
            return [*self._bounds(), "allow_inf_nan=False"]
        if self.type in ("date", "datetime") and self.rules:
            return [*self._bounds(), f"description={python_string(self.bounds_text)}"]
        return []

    @property
    def filter_constraints(self) -> list[str]:
        """Keyword arguments of the `Field(...)` of one filter value: what the column can hold, so none overflows it."""
        if self.type in ("str", "email"):
            return [f"max_length={self.length}"]
        if self.type == "ref":
            return ["ge=1", f"le={INT64}"]
        if self.type == "decimal":
            return [f"max_digits={self.precision}", f"decimal_places={self.scale}"]
        if self.type == "int":
            return [f"ge={-INT32 - 1}", f"le={INT32}"]
        if self.type == "float":
            return ["allow_inf_nan=False"]
        return []

    @property
    def filter_pattern(self) -> str:
        """The numerals one decimal filter value may have (what its column holds); empty for other types."""
        return decimal_pattern(self.precision, self.scale) if self.type == "decimal" else ""

    def filter_alias(self, owner: str) -> str:
        """The name of the bounded type of one filter value: `OrderTotalValue`."""
        return f"{self.alias(owner)}Value"

    def _bounds(self) -> list[str]:
        return [f"{rule}={self._literal(self.rule(rule) or '')}" for rule in BOUNDS if self.rule(rule) is not None]

    @property
    def bounds_text(self) -> str:
        """The bounds in words, for the OpenAPI document where JSON Schema has no keyword for them."""
        parts = [f"{_OPERATORS[rule]} {value}" for rule, value in self.rules if rule in BOUNDS]
        return f"Must be {' and '.join(parts)}."

    def checks(self, table: str) -> list[Check]:
        """The CHECK constraints that back this field's rules in the database."""
        column = f'"{self.name}"'
        checks = []
        for rule, value in self.rules:
            if rule in BOUNDS:
                bound = f"'{value}'" if self.type in ("date", "datetime") else value
                sql = f"{column} {_OPERATORS[rule]} {bound}"
                checks.append(Check(_check_name(table, self.name, rule), sql, self.type == "datetime"))
            elif rule == "pattern":
                quoted = value.replace("'", "''")
                sql = f"{column} ~ '{quoted}'"
                checks.append(Check(_check_name(table, self.name, rule), sql, postgres_only=True))
        if self.min_length:
            checks.append(Check(_check_name(table, self.name, "min_length"), f"length({column}) >= {self.min_length}"))
        if self.choices:
            values = ", ".join(f"'{choice}'" for choice in self.choices)
            checks.append(Check(_check_name(table, self.name, "choices"), f"{column} IN ({values})"))
        return checks

    @property
    def has_default(self) -> bool:
        """True when a client may leave the field out of a create request."""
        return self.default is not None or self.nullable

    def _literal(self, value: str) -> str:
        """The Python expression of a value of this field's type, given as canonical text."""
        return {
            "str": python_string(value),
            "text": python_string(value),
            "email": python_string(value),
            "enum": python_string(value),
            "int": value,
            "float": value,
            "decimal": f'Decimal("{value}")',
            "bool": value.capitalize(),
            "date": f'date.fromisoformat("{value}")',
            "datetime": f'datetime.fromisoformat("{value}")',
            "uuid": f'UUID("{value}")',
        }[self.type]

    @property
    def default_literal(self) -> str:
        """The Python expression of the default value (`None` for a nullable field without one)."""
        return "None" if self.default is None else self._literal(self.default)

    @property
    def default_json(self) -> str:
        """The Python literal of the JSON value a response holds for the default."""
        if self.default is None:
            return "None"
        if self.type in ("int", "float"):
            return self.default
        if self.type == "bool":
            return self.default.capitalize()
        return python_string(self.default)

    @property
    def sortable(self) -> bool:
        """Whether the list endpoint may sort by this field."""
        return self.type != "text"

    @property
    def sample_values(self) -> tuple[str, ...]:
        """The values a generated test cycles through, for enum and pattern fields; empty otherwise."""
        if self.type == "enum":
            return self.choices
        pattern = self.rule("pattern")
        return pattern_samples(pattern, self.min_length, self.length) if pattern else ()

    @property
    def samples_name(self) -> str:
        """The constant holding `sample_values` in a generated samples module."""
        return f"{self.name.upper()}_VALUES"

    def sample(self) -> str:
        """A Python expression of a valid JSON value for this field that varies with `n`."""
        if self.sample_values:
            return f"{self.samples_name}[n % len({self.samples_name})]"
        if self.type == "ref":
            return f'ids.get("{self.name}")' if self.nullable else f'ids["{self.name}"]'
        if self.type in ORDERED_TYPES and self.rules:
            return self._bounded_sample()
        if self.type == "str":
            padded = f'.ljust({self.min_length}, "x")' if self.min_length > 3 else ""
            return f'f"{{n}}-{self.name}"{padded}[:{self.length}]'
        if self.type == "decimal":
            whole = f"n % {10 ** (self.precision - self.scale)}"
            return f'f"{{{whole}}}.{"5" * self.scale}"' if self.scale else f"str({whole})"
        return {
            "text": f'f"{self.name} text {{n}}"',
            "email": 'f"user{n}@example.com"',
            "int": "n",
            "float": "n + 0.5",
            "bool": "n % 2 == 0",
            "date": "(date(2024, 1, 1) + timedelta(days=n)).isoformat()",
            "datetime": "(datetime(2024, 1, 1, tzinfo=UTC) + timedelta(minutes=n)).isoformat()",
            "uuid": "str(UUID(int=n + 1))",
        }[self.type]

    def _bounded_sample(self) -> str:
        """A sample that varies with `n` and stays within the field's bounds."""
        if self.rule("ge") is None and self.rule("gt") is None:
            return self._descending_sample()
        low, high = self._integer_window()
        if self.type == "float":
            lower = float(self.rule("ge") or self.rule("gt") or 0)
            upper = self.rule("le") or self.rule("lt")
            if upper is None:
                return f"{lower!r} + n + 0.5"
            return f"{lower!r} + {float(upper) - lower!r} * (n % 7 + 1) / 8"
        bounded = high is not None and (self.type == "decimal" or self.rule("le") or self.rule("lt"))
        offset = f"n % {high - low + 1}" if bounded and high is not None else "n"
        if self.type == "int":
            return f"{low} + {offset}" if low else offset
        if self.type == "decimal":
            whole = f"{low} + {offset}" if low else offset
            return f'f"{{{whole}}}.{"0" * self.scale}"' if self.scale else f"str({whole})"
        unit = "days" if self.type == "date" else "minutes"
        return f"({self._start(low)} + timedelta({unit}={offset})).isoformat()"

    def _descending_sample(self) -> str:
        """A sample counting down from the upper bound, for a field with no lower bound."""
        upper, strict = self.rule("le") or self.rule("lt") or "0", self.rule("lt") is not None
        if self.type in ("date", "datetime"):
            unit = "days" if self.type == "date" else "minutes"
            end = self._moment(upper)
            return f"({end} - timedelta({unit}=n{' + 1' if strict else ''})).isoformat()"
        if self.type == "float":
            return f"{float(upper)!r} - n - 0.5"
        last = math.ceil(Decimal(upper)) - 1 if strict else math.floor(Decimal(upper))
        if self.type == "int":
            return f"{last} - n"
        whole = f"{last} - n % {min(100, 10 ** (self.precision - self.scale))}"
        return f'f"{{{whole}}}.{"0" * self.scale}"' if self.scale else f"str({whole})"

    def _moment(self, value: str) -> str:
        """A date or datetime literal as a Python expression."""
        if self.type == "date":
            day = dt.date.fromisoformat(value)
            return f"date({day.year}, {day.month}, {day.day})"
        moment = dt.datetime.fromisoformat(value).astimezone(dt.UTC)
        return f"datetime({moment.year}, {moment.month}, {moment.day}, {moment.hour}, {moment.minute}, tzinfo=UTC)"

    def _start(self, low: int) -> str:
        """The earliest sample of a date or datetime field, as a Python expression."""
        base = self.rule("ge") or self.rule("gt") or ""
        if self.type == "date":
            return self._moment((dt.date.fromisoformat(base) + dt.timedelta(days=low)).isoformat())
        return self._moment((dt.datetime.fromisoformat(base) + dt.timedelta(minutes=low)).isoformat())

    def _integer_window(self) -> tuple[int, int | None]:
        """(first, last) whole steps from the lower bound that satisfy both bounds; last None when open."""
        lower, upper = self.rule("ge") or self.rule("gt"), self.rule("le") or self.rule("lt")
        if self.type in ("date", "datetime"):
            first = 1 if self.rule("gt") else 0
            if upper is None:
                return first, None
            span = _comparable(self, upper) - _comparable(self, lower) if lower else None
            if span is None:
                return first, None
            steps = span.days if self.type == "date" else int(span.total_seconds() // 60)
            return first, steps - (1 if self.rule("lt") else 0)
        low_value = Decimal(lower) if lower is not None else Decimal(0)
        first = math.floor(low_value) + 1 if self.rule("gt") else math.ceil(low_value)
        cap = 10 ** (self.precision - self.scale) - 1 if self.type == "decimal" else INT32
        if upper is None:
            return first, cap
        high_value = Decimal(upper)
        last = math.ceil(high_value) - 1 if self.rule("lt") else math.floor(high_value)
        return first, min(last, cap)

    def boundary_cases(self) -> list[tuple[str, bool]]:
        """(Python literal of a JSON value, whether the API accepts it) at each rule's boundary."""
        cases: list[tuple[str, bool]] = []
        for rule, bound in self.rules:
            if rule in BOUNDS:
                inclusive = rule in ("ge", "le")
                cases.append((self._json(bound), inclusive))
                if inclusive:
                    cases.append((self._json(self._step(bound, -1 if rule == "ge" else 1)), False))
        if self.type == "str" and self.min_length and not self.rule("pattern"):
            cases += [(python_string("x" * self.min_length), True), (python_string("x" * (self.min_length - 1)), False)]
        if self.rule("pattern"):
            cases += [(python_string(self.sample_values[0]), True), (python_string(self._unmatched()), False)]
        if self.type == "enum":
            cases.append((python_string("-".join(self.choices)[:60] + "-not"), False))
        if self.type == "email":
            cases.append((python_string("not-an-email"), False))
        return cases

    def _json(self, value: str) -> str:
        return value if self.type in ("int", "float") else python_string(value)

    def _step(self, value: str, direction: int) -> str:
        """The neighbour of a bound one step outside it (a unit, a cent, a day, a minute)."""
        if self.type == "int":
            return str(int(value) + direction)
        if self.type == "float":
            return repr(float(value) + direction)
        if self.type == "decimal":
            return str(Decimal(value) + direction * Decimal(1).scaleb(-self.scale))
        if self.type == "date":
            return (dt.date.fromisoformat(value) + dt.timedelta(days=direction)).isoformat()
        return (dt.datetime.fromisoformat(value) + dt.timedelta(minutes=direction)).isoformat()

    def _unmatched(self) -> str:
        """A value within the length limits that the pattern refuses."""
        pattern = self.rule("pattern") or ""
        width = max(self.min_length, 1)
        candidates = (char * width for char in "!0aA_ ~")
        return next((text for text in candidates if not re.fullmatch(pattern, text)), "")

    @property
    def invalid_sample(self) -> str:
        """A Python literal of a JSON value this field must refuse."""
        return "12345" if self.type in ("str", "text", "email", "enum") else f'"not-a-{self.type}"'

    @property
    def filters(self) -> list[str]:
        """The list filters of this field, as query parameter suffixes ("" is equality)."""
        kinds = [] if self.type in ("text", "float") else [""]
        if self.type in ORDERED_TYPES:
            kinds += ["__gt", "__gte", "__lt", "__lte"]
        if self.type in ("str", "email", "int", "uuid", "enum", "ref"):
            kinds.append("__in")
        if self.type in ("str", "text", "email"):
            kinds.append("__contains")
        if self.nullable:
            kinds.append("__isnull")
        return kinds


def _check_name(table: str, field: str, rule: str) -> str:
    """`<field>_<rule>`, shortened with a stable hash when ck_<table>_... would pass PostgreSQL's limit."""
    name = f"{field}_{rule}"
    room = MAX_IDENTIFIER - len(f"ck_{table}_")
    if len(name) <= room:
        return name
    digest = hashlib.sha256(name.encode()).hexdigest()[:8]
    return f"{name[: room - 9]}_{digest}"


def _error(rule: str, value: str) -> FieldSpecError:
    return FieldSpecError(f"{rule} (got {value!r})")


def split_items(spec: str) -> list[str]:
    """Split on the commas outside parentheses, braces and double quotes."""
    parts: list[str] = []
    current: list[str] = []
    depth, quoted = 0, False
    for char in spec:
        if char == '"':
            quoted = not quoted
        elif not quoted:
            depth += {"(": 1, ")": -1, "{": 1, "}": -1}.get(char, 0)
        if char == "," and depth == 0 and not quoted:
            parts.append("".join(current))
            current = []
        else:
            current.append(char)
    parts.append("".join(current))
    return [part.strip() for part in parts]


def _check_name_rules(name: str, item: str) -> None:
    if not SNAKE_CASE.fullmatch(name):
        raise _error("a field name must be lowercase snake_case starting with a letter, single underscores", item)
    if keyword.iskeyword(name):
        raise _error(f"field name {name!r} is a Python keyword", item)
    reason = RESERVED_NAMES.get(name, "pydantic models use the model_ prefix" if name.startswith("model_") else "")
    if reason:
        raise _error(f"field name {name!r} is reserved: {reason}", item)
    if len(name) > MAX_NAME:
        raise _error(f"a field name must be at most {MAX_NAME} characters", item)


def _sized(field: Field, argument: str | None, item: str) -> Field:
    """The field with what its parenthesised argument says (size, values or target)."""
    type_ = field.type
    if type_ == "str":
        if argument is None:
            return replace(field, length=DEFAULT_STR_LENGTH)
        if not argument.strip().isdigit() or not 1 <= int(argument) <= 10_000:
            raise _error("str length must be a whole number from 1 to 10000, as in str(120)", item)
        return replace(field, length=int(argument))
    if type_ == "decimal":
        if argument is None:
            precision, scale = DEFAULT_DECIMAL
            return replace(field, precision=precision, scale=scale)
        match = re.fullmatch(r"\s*(\d+)\s*(?:,\s*(\d+)\s*)?", argument)
        precision, scale = (int(match[1]), int(match[2] or 0)) if match else (0, -1)
        if not (1 <= precision <= 38 and 0 <= scale <= precision):
            raise _error(
                "decimal size must be (precision,scale) with 1 <= precision <= 38 and scale <= precision", item
            )
        return replace(field, precision=precision, scale=scale)
    if type_ == "enum":
        return _enum(field, argument, item)
    if type_ == "ref":
        target = (argument or field.name).strip()
        if not SNAKE_CASE.fullmatch(target):
            raise _error("a ref target must be a resource name, as in parent:ref(category)", item)
        return replace(field, name=f"{field.name}_id", target=target)
    if type_ == "email":
        return _no_argument(replace(field, length=EMAIL_LENGTH), argument, item)
    return _no_argument(field, argument, item)


def _no_argument(field: Field, argument: str | None, item: str) -> Field:
    if argument is not None:
        raise _error(f"only str, decimal, enum and ref take an argument in parentheses, not {field.type}", item)
    return field


def _enum(field: Field, argument: str | None, item: str) -> Field:
    choices = tuple(choice.strip() for choice in (argument or "").split("|"))
    if argument is None or not all(_CHOICE.fullmatch(choice) and len(choice) <= MAX_CHOICE for choice in choices):
        raise _error(
            f"enum values are separated by |, each letters, digits, _ . - (at most {MAX_CHOICE} characters),"
            " as in enum(draft|published)",
            item,
        )
    if len(set(choices)) != len(choices) or len(choices) > MAX_CHOICES:
        raise _error(f"enum values must be distinct, at most {MAX_CHOICES} of them", item)
    return replace(field, choices=choices, length=max(len(choice) for choice in choices))


def _rules(field: Field, text: str | None, item: str) -> Field:
    """The field with its {rule=value, ...} block checked and canonical."""
    if text is None:
        return field
    found: dict[str, str] = {}
    index = False
    for part in split_items(text):
        key, equals, raw = (piece.strip() for piece in part.partition("="))
        if key == "index":
            if equals or index:
                raise _error("index takes no value and appears once: write {index}", item)
            _check_index(field, item)
            index = True
            continue
        if key not in RULES or not equals:
            raise _error(
                f"a rule must be one of {', '.join(RULES)} written as rule=value, as in {{ge=0}}, or index", item
            )
        if field.type not in RULES[key]:
            raise _error(f"rule {key} applies to {', '.join(RULES[key])} fields, not {field.type}", item)
        if key in found:
            raise _error(f"rule {key} appears twice", item)
        found[key] = _rule_value(field, key, raw, item)
    if ("ge" in found and "gt" in found) or ("le" in found and "lt" in found):
        raise _error("use one lower bound (ge or gt) and one upper bound (le or lt)", item)
    ordered = tuple((key, found[key]) for key in RULES if key in found)
    checked = replace(field, rules=ordered, index=index)
    _check_range(checked, item)
    return checked


def _check_index(field: Field, item: str) -> None:
    """Refuse an {index} the column cannot have or already has."""
    if field.type == "ref":
        raise _error("a ref is always indexed: drop index", item)
    if field.unique:
        raise _error("a unique field is indexed by its constraint: drop index", item)
    if field.type not in INDEXABLE_TYPES:
        raise _error(f"index applies to {', '.join(INDEXABLE_TYPES)} fields, not {field.type}", item)


def _rule_value(field: Field, key: str, raw: str, item: str) -> str:
    if key == "on_delete":
        if raw not in ON_DELETE:
            raise _error(f"on_delete must be one of {', '.join(ON_DELETE)}", item)
        return raw
    if key == "min_length":
        if not raw.isdigit() or int(raw) > field.length:
            raise _error(f"min_length must be a whole number from 0 to the field's length {field.length}", item)
        return str(int(raw))
    if key == "pattern":
        return _pattern(raw, item)
    try:
        return _typed_value(field, raw)
    except (ValueError, InvalidOperation, ArithmeticError):
        raise _error(f"bound {key}={raw} is not a valid {field.type}", item) from None


def _pattern(raw: str, item: str) -> str:
    if len(raw) < 2 or not raw.startswith('"') or not raw.endswith('"'):
        raise _error('a pattern must be a double-quoted regular expression, as in {pattern="^[A-Z]{3}$"}', item)
    pattern = raw[1:-1]
    try:
        compiled = re.compile(pattern)
    except re.error as exc:
        raise _error(f"pattern is not a valid regular expression: {exc}", item) from None
    if re.search(r"\(\?[=!<]|\\[1-9]|\(\?P=", pattern) or compiled.groupindex:
        raise _error(
            "a pattern may not use lookaround, backreferences or named groups (pydantic cannot check them)", item
        )
    return pattern


def _utc_day(value: str) -> dt.date:
    """The UTC date of a datetime bound."""
    return dt.datetime.fromisoformat(value).astimezone(dt.UTC).date()


def _comparable(field: Field, value: str) -> Any:
    """A value of the field's type that compares with others of it."""
    if field.type in ("int",):
        return int(value)
    if field.type in ("float", "decimal"):
        return Decimal(value)
    if field.type == "date":
        return dt.date.fromisoformat(value)
    return dt.datetime.fromisoformat(value)


def _check_range(field: Field, item: str) -> None:
    lower = field.rule("ge") or field.rule("gt")
    upper = field.rule("le") or field.rule("lt")
    if lower is None or upper is None:
        return
    low, high = _comparable(field, lower), _comparable(field, upper)
    if field.type == "int":  # whole numbers: a strict bound moves to the next one
        low, high = low + bool(field.rule("gt")), high - bool(field.rule("lt"))
    if low > high or (low == high and field.type != "int" and (field.rule("gt") or field.rule("lt"))):
        raise _error("the bounds leave no valid value", item)


def _satisfies(field: Field, value: str) -> str:
    """Why `value` breaks a rule of `field`, or an empty string."""
    if field.type in ORDERED_TYPES:
        for rule, bound in field.rules:
            left, right = _comparable(field, value), _comparable(field, bound)
            broken = {"ge": left < right, "gt": left <= right, "le": left > right, "lt": left >= right}.get(rule)
            if broken:
                return f"the default {value} breaks {rule}={bound}"
    if field.type == "str":
        if len(value) < field.min_length:
            return f"the default is shorter than min_length {field.min_length} (add {{min_length=0}} to allow '')"
        pattern = field.rule("pattern")
        if pattern is not None and not re.fullmatch(pattern, value):
            return f"the default does not match the pattern {pattern}"
    if field.type == "enum" and value not in field.choices:
        return f"the default must be one of {'|'.join(field.choices)}"
    return ""


def _canonical_default(field: Field, raw: str, item: str) -> str:
    """Check a default against its field's type and rules; return its canonical text."""
    value = raw.strip()
    if field.type == "ref":
        raise _error("a ref cannot have a default: ids are not known in advance", item)
    if field.type in ("str", "text", "email", "enum"):
        if value.startswith('"'):
            if len(value) < 2 or not value.endswith('"'):
                raise _error("a quoted default must end with a double quote", item)
            value = value[1:-1]
        limit = min(field.length or MAX_TEXT_DEFAULT, MAX_TEXT_DEFAULT)
        if len(value) > limit:
            raise _error(f"a text default must be at most {limit} characters", item)
        if field.type == "email" and not re.fullmatch(r"[^@\s\"]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+", value):
            raise _error("the default is not an email address", item)
    else:
        try:
            value = _typed_value(field, value)
        except (ValueError, InvalidOperation, ArithmeticError):
            size = f"({field.precision},{field.scale})" if field.type == "decimal" else ""
            raise _error(f"default {value!r} is not a valid {field.type}{size}", item) from None
    reason = _satisfies(field, value)
    if reason:
        raise _error(reason, item)
    return value


def _typed_value(field: Field, value: str) -> str:
    """The canonical text of a literal of the field's type; ValueError when it is not one."""
    if field.type == "int":
        number = int(value)
        if not -INT32 - 1 <= number <= INT32:
            raise ValueError(value)
        return str(number)
    if field.type == "float":
        if not math.isfinite(float(value)):
            raise ValueError(value)
        return repr(float(value))
    if field.type == "decimal":
        exact = Decimal(value)
        if not exact.is_finite():
            raise ValueError(value)
        quantized = exact.quantize(Decimal(1).scaleb(-field.scale))
        if quantized != exact or len(quantized.as_tuple().digits) > field.precision:
            raise ValueError(value)
        return str(quantized)
    if field.type == "bool":
        if value.lower() not in ("true", "false"):
            raise ValueError(value)
        return value.lower()
    if field.type == "date":
        return dt.date.fromisoformat(value).isoformat()
    if field.type == "datetime":
        moment = dt.datetime.fromisoformat(value)
        if moment.tzinfo is None:
            raise ValueError(value)
        return moment.astimezone(dt.UTC).isoformat()
    return str(uuid.UUID(value))


def parse_field(item: str) -> Field:
    """Parse one `name:type(argument){rules}?!=default` item."""
    match = _FIELD.fullmatch(item)
    if not item or not match:
        raise _error("each field must look like name:type, e.g. price:decimal(10,2)", item)
    name, type_ = match["name"].strip(), match["type"]
    _check_name_rules(name, item)
    if type_ not in TYPES:
        raise _error(f"unknown type {type_!r}; valid types: {', '.join(TYPES)}", item)
    if type_ == "ref" and name.endswith("_id"):
        raise _error(f"name a ref after what it references: {name[:-3]}:ref gives the column {name}", item)
    modifiers = match["modifiers"].replace(" ", "")
    if len(set(modifiers)) != len(modifiers):
        raise _error("a modifier (? or !) appears twice", item)
    field = Field(name=name, type=type_, nullable="?" in modifiers, unique="!" in modifiers)
    field = _rules(_sized(field, match["argument"], item), match["rules"], item)
    if field.type == "text" and field.unique:
        raise _error("a text field cannot be unique; use str(n)", item)
    if field.rule("on_delete") == "set_null" and not field.nullable:
        raise _error("on_delete=set_null needs a nullable ref: add ?", item)
    if match["default"] is None:
        return field
    return replace(field, default=_canonical_default(field, match["default"], item))


def parse_fields(spec: str) -> list[Field]:
    """Parse a whole spec into fields, refusing empty specs and duplicate names."""
    if not spec or not str(spec).strip():
        raise _error("the spec must list at least one field, e.g. name:str", str(spec))
    items = split_items(str(spec))
    if "" in items:
        raise _error("a field is empty: remove the trailing or doubled comma", str(spec))
    fields = [parse_field(item) for item in items]
    seen: set[str] = set()
    for field in fields:
        if field.name in seen:
            raise _error(f"field {field.name!r} is declared twice", str(spec))
        seen.add(field.name)
    return fields


def field_spec_error(spec: str) -> str:
    """The one-line reason a spec is invalid, or an empty string when it is valid."""
    try:
        parse_fields(spec)
    except FieldSpecError as error:
        return str(error)
    return ""


class FieldSpecExtension(Extension):
    """Registers `field_spec_error` for templates; listed so that resources.py can import this module.

    copier-template-extensions makes a file importable (`from .fields import ...`) only once it has
    loaded it as an extension, so this entry must come before extensions/resources.py.
    """

    def __init__(self, environment: Environment) -> None:
        super().__init__(environment)
        environment.filters["field_spec_error"] = field_spec_error
