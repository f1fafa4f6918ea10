"""Input types whose validation is exactly what the OpenAPI document says of them."""

import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Annotated, Any

from pydantic import AwareDatetime, BeforeValidator, GetCoreSchemaHandler, GetJsonSchemaHandler
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import CoreSchema, core_schema

_NUMERAL = re.compile(r"-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?")


def _iso_text(value: Any) -> Any:
    """Refuse what pydantic would read as a Unix time (a number, or digits in a string): dates are ISO 8601 text."""
    if not isinstance(value, str) or value.strip().lstrip("+-").replace(".", "", 1).isdigit():
        raise ValueError("must be an ISO 8601 string, such as 2024-01-31 or 2024-01-31T12:00:00Z")
    return value


def json_integer(value: Any) -> Any:
    """Take a JSON integer (2 or 2.0, as JSON Schema counts both), never a string or a boolean; None passes on."""
    if isinstance(value, bool) or not isinstance(value, int | float | None):
        raise ValueError("must be a JSON integer, such as 2")
    return value


def _numeral(value: Any) -> Any:
    """Take a decimal only as a plain numeral in a string, so no digit is lost to a binary float on the way."""
    if not isinstance(value, str) or not _NUMERAL.fullmatch(value) or (value[0] == "-" and Decimal(value) == 0):
        raise ValueError('must be a decimal number written as a string, such as "12.50"')
    return value


@dataclass(frozen=True)
class DecimalText:
    """A decimal sent as a string, accepted exactly when it matches the pattern of its column and bounds."""

    pattern: str

    def __get_pydantic_core_schema__(self, source: Any, handler: GetCoreSchemaHandler) -> CoreSchema:
        """Accept what the pattern accepts; explain a refusal with pydantic's own digits, places and bounds."""
        return core_schema.no_info_wrap_validator_function(self._validate, handler(source))

    def __get_pydantic_json_schema__(self, schema: CoreSchema, handler: GetJsonSchemaHandler) -> JsonSchemaValue:
        """A string matching the pattern: JSON Schema has no bounds for numerals written as text."""
        return {"type": "string", "pattern": self.pattern}

    def _validate(self, value: Any, checked: core_schema.ValidatorFunctionWrapHandler) -> Decimal:
        text = _numeral(value)
        if re.fullmatch(self.pattern, text):
            return Decimal(text)
        checked(text)  # raises the specific reason: too many digits or places, or out of bounds
        raise ValueError("has more decimal places than the field keeps: drop the trailing zeros")


@dataclass(frozen=True)
class TextPattern:
    """Documents the pattern a bounded date's text matches; the date's own bounds do the validating."""

    pattern: str

    def __get_pydantic_json_schema__(self, schema: CoreSchema, handler: GetJsonSchemaHandler) -> JsonSchemaValue:
        """The type's own schema with the pattern."""
        return {**handler(schema), "pattern": self.pattern}


IsoDate = Annotated[date, BeforeValidator(_iso_text)]
IsoDatetime = Annotated[AwareDatetime, BeforeValidator(_iso_text)]
