"""The resource field spec: its grammar, its parser, and what each field type renders to.

Grammar (one line, fields separated by commas; a comma inside parentheses or double quotes
belongs to its field):

    spec     := field ("," field)*
    field    := name ":" type ["(" size ")"] modifier* ["=" default]
    modifier := "?" (nullable) | "!" (unique)
    default  := a literal of the field's type; str and text defaults may be "double-quoted"

Examples: ``name:str(120)!``, ``price:decimal(10,2)=0``, ``due:date?``, ``done:bool=false``.
"""

from __future__ import annotations

import datetime as dt
import keyword
import math
import re
import uuid
from dataclasses import dataclass, replace
from decimal import Decimal, InvalidOperation

from jinja2 import Environment
from jinja2.ext import Extension

from .filters import SNAKE_CASE, python_string

DEFAULT_SPEC = "name:str, description:text?, price:decimal, stock:int=0"
DEFAULT_STR_LENGTH = 255
DEFAULT_DECIMAL = (12, 2)
INT32 = 2**31 - 1
MAX_NAME = 32
MAX_TEXT_DEFAULT = 32  # keeps every generated line within the service's line length

TYPES = ("str", "text", "int", "float", "decimal", "bool", "date", "datetime", "uuid")

# Why each name cannot be a field; a name starting with model_ is pydantic's too.
RESERVED_NAMES: dict[str, str] = {
    **dict.fromkeys(("id", "created_at", "updated_at"), "the service adds it to every resource"),
    **dict.fromkeys(("metadata", "registry"), "SQLAlchemy's declarative base uses it"),
    **dict.fromkeys(TYPES, "it names a field type"),
    **dict.fromkeys(
        ("sa", "mapped_column", "field_validator", "classmethod", "self", "cls"),
        "the generated model and schema classes use it",
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
        (?:\((?P<size>[^)]*)\))?\s*
        (?P<modifiers>[?!\s]*)
        (?:=(?P<default>.*))?""",
    re.VERBOSE | re.DOTALL,
)


class FieldSpecError(ValueError):
    """A field spec that breaks the grammar; the message is one line for the questionnaire."""


@dataclass(frozen=True)
class Field:
    """One parsed field of a resource."""

    name: str
    type: str
    nullable: bool = False
    unique: bool = False
    default: str | None = None  # canonical text of the default, None when there is none
    length: int = 0  # str only
    precision: int = 0  # decimal only
    scale: int = 0  # decimal only

    @property
    def python_type(self) -> str:
        """The Python annotation of the value, without `| None`."""
        return {
            "str": "str",
            "text": "str",
            "int": "int",
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

    @property
    def column_type(self) -> str:
        """The SQLAlchemy type expression, as `sa.<Type>(...)` or the service's own `UTCDateTime()`."""
        if self.type == "str":
            return f"sa.String(length={self.length})"
        if self.type == "decimal":
            return f"sa.Numeric(precision={self.precision}, scale={self.scale})"
        if self.type == "datetime":
            return "UTCDateTime()"
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
        return "sa.DateTime(timezone=True)" if self.type == "datetime" else self.column_type

    @property
    def constraints(self) -> str:
        """Keyword arguments of the pydantic `Field(...)` that bound the value."""
        if self.type == "str":
            return f"max_length={self.length}"
        if self.type == "int":
            return f"ge={-INT32 - 1}, le={INT32}"
        if self.type == "decimal":
            return f"max_digits={self.precision}, decimal_places={self.scale}"
        if self.type == "float":
            return "allow_inf_nan=False"
        return ""

    @property
    def has_default(self) -> bool:
        """True when a client may leave the field out of a create request."""
        return self.default is not None or self.nullable

    @property
    def default_literal(self) -> str:
        """The Python expression of the default value (`None` for a nullable field without one)."""
        if self.default is None:
            return "None"
        value = self.default
        return {
            "str": python_string(value),
            "text": python_string(value),
            "int": value,
            "float": value,
            "decimal": f'Decimal("{value}")',
            "bool": value.capitalize(),
            "date": f'date.fromisoformat("{value}")',
            "datetime": f'datetime.fromisoformat("{value}")',
            "uuid": f'UUID("{value}")',
        }[self.type]

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

    def sample(self) -> str:
        """A Python expression of a valid JSON value for this field that varies with `n`."""
        if self.type == "str":
            return f'f"{{n}}-{self.name}"[:{self.length}]'
        if self.type == "decimal":
            whole = f"n % {10 ** (self.precision - self.scale)}"
            return f'f"{{{whole}}}.{"5" * self.scale}"' if self.scale else f"str({whole})"
        return {
            "text": f'f"{self.name} text {{n}}"',
            "int": "n",
            "float": "n + 0.5",
            "bool": "n % 2 == 0",
            "date": "(date(2024, 1, 1) + timedelta(days=n)).isoformat()",
            "datetime": "(datetime(2024, 1, 1, tzinfo=UTC) + timedelta(minutes=n)).isoformat()",
            "uuid": "str(UUID(int=n + 1))",
        }[self.type]

    @property
    def invalid_sample(self) -> str:
        """A Python literal of a JSON value this field must refuse."""
        return "12345" if self.type in ("str", "text") else f'"not-a-{self.type}"'


def _error(rule: str, value: str) -> FieldSpecError:
    return FieldSpecError(f"resource_fields: {rule} (got {value!r})")


def split_fields(spec: str) -> list[str]:
    """Split a spec on the commas outside parentheses and double quotes."""
    parts: list[str] = []
    current: list[str] = []
    depth, quoted = 0, False
    for char in spec:
        if char == '"':
            quoted = not quoted
        elif not quoted:
            depth += {"(": 1, ")": -1}.get(char, 0)
        if char == "," and depth == 0 and not quoted:
            parts.append("".join(current))
            current = []
        else:
            current.append(char)
    parts.append("".join(current))
    return [part.strip() for part in parts]


def _check_name(name: str, item: str) -> None:
    if not SNAKE_CASE.fullmatch(name):
        raise _error("a field name must be lowercase snake_case starting with a letter, single underscores", item)
    if keyword.iskeyword(name):
        raise _error(f"field name {name!r} is a Python keyword", item)
    reason = RESERVED_NAMES.get(name, "pydantic models use the model_ prefix" if name.startswith("model_") else "")
    if reason:
        raise _error(f"field name {name!r} is reserved: {reason}", item)
    if len(name) > MAX_NAME:
        raise _error(f"a field name must be at most {MAX_NAME} characters", item)


def _size(type_: str, size: str | None, item: str) -> tuple[int, int, int]:
    """(length, precision, scale) for a type and its optional parenthesised size."""
    if type_ == "str":
        if size is None:
            return DEFAULT_STR_LENGTH, 0, 0
        if not size.strip().isdigit() or not 1 <= int(size) <= 10_000:
            raise _error("str length must be a whole number from 1 to 10000, as in str(120)", item)
        return int(size), 0, 0
    if type_ == "decimal":
        if size is None:
            return 0, *DEFAULT_DECIMAL
        match = re.fullmatch(r"\s*(\d+)\s*(?:,\s*(\d+)\s*)?", size)
        precision, scale = (int(match[1]), int(match[2] or 0)) if match else (0, -1)
        if not (1 <= precision <= 38 and 0 <= scale <= precision):
            raise _error(
                "decimal size must be (precision,scale) with 1 <= precision <= 38 and scale <= precision", item
            )
        return 0, precision, scale
    if size is not None:
        raise _error(f"only str and decimal take a size, not {type_}", item)
    return 0, 0, 0


def _canonical_default(field: Field, raw: str, item: str) -> str:
    """Check a default against its field's type and return its canonical text."""
    value = raw.strip()
    if field.type in ("str", "text"):
        if value.startswith('"'):
            if len(value) < 2 or not value.endswith('"'):
                raise _error("a quoted default must end with a double quote", item)
            value = value[1:-1]
        if len(value) > min(field.length or MAX_TEXT_DEFAULT, MAX_TEXT_DEFAULT):
            raise _error(
                f"a text default must be at most {min(field.length or MAX_TEXT_DEFAULT, MAX_TEXT_DEFAULT)} characters",
                item,
            )
        return value
    try:
        return _typed_default(field, value)
    except (ValueError, InvalidOperation, ArithmeticError):
        size = f"({field.precision},{field.scale})" if field.type == "decimal" else ""
        raise _error(f"default {value!r} is not a valid {field.type}{size}", item) from None


def _typed_default(field: Field, value: str) -> str:
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
    """Parse one `name:type(size)?!=default` item."""
    match = _FIELD.fullmatch(item)
    if not item or not match:
        raise _error("each field must look like name:type, e.g. price:decimal(10,2)", item)
    name, type_ = match["name"].strip(), match["type"]
    _check_name(name, item)
    if type_ not in TYPES:
        raise _error(f"unknown type {type_!r}; valid types: {', '.join(TYPES)}", item)
    modifiers = match["modifiers"].replace(" ", "")
    if len(set(modifiers)) != len(modifiers):
        raise _error("a modifier (? or !) appears twice", item)
    length, precision, scale = _size(type_, match["size"], item)
    field = Field(
        name=name,
        type=type_,
        nullable="?" in modifiers,
        unique="!" in modifiers,
        length=length,
        precision=precision,
        scale=scale,
    )
    if field.type == "text" and field.unique:
        raise _error("a text field cannot be unique; use str(n)", item)
    if match["default"] is None:
        return field
    return replace(field, default=_canonical_default(field, match["default"], item))


def parse_fields(spec: str) -> list[Field]:
    """Parse a whole spec into fields, refusing empty specs and duplicate names."""
    if not spec or not str(spec).strip():
        raise _error("the spec must list at least one field, e.g. name:str", str(spec))
    items = split_fields(str(spec))
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
    """Registers `field_spec_error` for the questionnaire's validator."""

    def __init__(self, environment: Environment) -> None:
        super().__init__(environment)
        environment.filters["field_spec_error"] = field_spec_error
