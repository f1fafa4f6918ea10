"""The documented patterns accept exactly what the generated service accepts."""

import datetime as dt
import importlib.util
import itertools
import re
from decimal import Decimal
from types import ModuleType
from typing import Annotated

import pytest
from pydantic import BaseModel, Field, ValidationError

from extensions.numerals import date_pattern, decimal_pattern, grid_bounds, integer_range
from tests.generation import TEMPLATE_ROOT

# Every string of up to six characters from this alphabet: signs, zeros, digits either side of a bound, points.
ALPHABET = "-0159."
CASES = [
    (3, 1, {}),
    (2, 2, {}),
    (4, 2, {"ge": "0", "lt": "100"}),
    (4, 2, {"gt": "-1.5", "le": "12.5"}),
    (3, 0, {"ge": "-5", "le": "59"}),
    (5, 2, {"gt": "0.05", "lt": "10"}),
    (5, 3, {"le": "-0.1"}),
]


@pytest.fixture(scope="module", name="types")
def fixture_types() -> ModuleType:
    """The generated service's app/schemas/types.py, loaded from the template."""
    spec = importlib.util.spec_from_file_location("service_types", TEMPLATE_ROOT / "template/app/schemas/types.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _holds(text: str, precision: int, scale: int, rules: dict[str, str]) -> bool:
    """What a NUMERIC(precision, scale) column with these CHECKs holds, written without a redundant character."""
    match = re.fullmatch(r"-?(0|[1-9][0-9]*)(?:\.([0-9]+))?", text)
    if not match or len(match[1].lstrip("0")) > precision - scale or len(match[2] or "") > scale:
        return False
    value = Decimal(text)
    if text.startswith("-") and value == 0:
        return False
    operators = {"ge": value.__ge__, "gt": value.__gt__, "le": value.__le__, "lt": value.__lt__}
    return all(operators[rule](Decimal(bound)) for rule, bound in rules.items())


@pytest.mark.parametrize(("precision", "scale", "rules"), CASES)
def test_a_decimal_pattern_and_the_service_accept_exactly_the_numerals_the_column_holds(
    types: ModuleType, precision: int, scale: int, rules: dict[str, str]
) -> None:
    pattern = decimal_pattern(precision, scale, *grid_bounds(scale, rules))
    bound = {rule: Decimal(value) for rule, value in rules.items()}

    class Body(BaseModel):
        value: Annotated[Decimal, types.DecimalText(pattern)] = Field(
            max_digits=precision,
            decimal_places=scale,
            ge=bound.get("ge"),
            gt=bound.get("gt"),
            le=bound.get("le"),
            lt=bound.get("lt"),
        )

    def served(text: str) -> bool:
        try:
            Body.model_validate({"value": text})
        except ValidationError:
            return False
        return True

    texts = ("".join(chars) for size in range(1, 7) for chars in itertools.product(ALPHABET, repeat=size))
    wrong = [
        (text, expected)
        for text in texts
        if (expected := _holds(text, precision, scale, rules)) != bool(re.fullmatch(pattern, text))
        or served(text) != expected
    ]
    assert wrong[:10] == []


def test_a_decimal_is_refused_as_a_json_number_or_with_redundant_characters(types: ModuleType) -> None:
    class Body(BaseModel):
        value: Annotated[Decimal, types.DecimalText(decimal_pattern(12, 2))] = Field(max_digits=12, decimal_places=2)

    assert Body.model_validate({"value": "9.99"}).value == Decimal("9.99")
    for refused in (9.99, 10, "+1", " 1", "1.", ".5", "01", "1e2", "-0", "1.500", "NaN"):
        with pytest.raises(ValidationError):
            Body.model_validate({"value": refused})


def test_integer_ranges_match_exactly_their_canonical_numerals() -> None:
    for low, high in ((0, 0), (0, 9), (7, 1234), (10, 99), (95, 105), (1, 10**12 - 1)):
        pattern = re.compile(integer_range(low, high))
        for number in [*range(max(0, low - 20), min(high + 20, 2000)), high, high + 1, 10 * high]:
            assert bool(pattern.fullmatch(str(number))) == (low <= number <= high), (low, high, number)
        assert not pattern.fullmatch(f"0{low}")


@pytest.mark.parametrize(
    ("low", "high"),
    [(dt.date(2000, 1, 1), None), (None, dt.date(1999, 12, 31)), (dt.date(2019, 2, 28), dt.date(2020, 3, 1))],
)
def test_a_date_pattern_accepts_exactly_the_dates_within_its_bounds(low: dt.date | None, high: dt.date | None) -> None:
    pattern = re.compile(date_pattern(low, high))
    anchor = low or high or dt.date(2000, 1, 1)
    days = [anchor + dt.timedelta(days=offset) for offset in range(-800, 800)]
    for day in [*days, dt.date.min, dt.date.max]:
        within = (low is None or day >= low) and (high is None or day <= high)
        assert bool(pattern.fullmatch(day.isoformat())) == within, day
