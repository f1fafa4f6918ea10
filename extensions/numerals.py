"""Regular expressions that document exactly which decimal and date strings a bounded field accepts.

JSON Schema bounds numbers, not strings; a decimal travels as a string (so no digit is lost to a
binary float) and a date is ISO 8601 text, so their bounds are spelled as patterns. Every pattern is
built from digit-by-digit ranges: a value is in [low, high] when its digits are, read as a number.
"""

from __future__ import annotations

import datetime as dt
import math
from decimal import Decimal

from jinja2 import Environment
from jinja2.ext import Extension

DIGIT = "[0-9]"  # not \\d, which Python reads as any Unicode digit


def _digits(low: int, high: int) -> str:
    """A character class for one digit from `low` to `high`."""
    return str(low) if low == high else f"[{low}-{high}]"


def _alternatives(parts: list[str]) -> str:
    """`parts` as one group, or the only part as it is."""
    return parts[0] if len(parts) == 1 else f"(?:{'|'.join(parts)})"


def _fixed_width(low: str, high: str) -> str:
    """Strings of exactly len(low) characters from `low` to `high`, compared as digit strings.

    A position where both bounds hold the same non-digit (the `-` of a date) is that character.
    """
    if not low:
        return ""
    if low[0] == high[0]:
        return _literal(low[0]) + _fixed_width(low[1:], high[1:])
    tail = low[1:]
    floor, ceiling = _shape(tail, "0"), _shape(tail, "9")
    first, last = int(low[0]), int(high[0])
    parts = []
    if low[1:] != floor:
        parts.append(low[0] + _fixed_width(low[1:], ceiling))
        first += 1
    if high[1:] != ceiling:
        parts.append(high[0] + _fixed_width(floor, high[1:]))
        last -= 1
    if first <= last:
        parts.append(_digits(first, last) + _any(tail))
    return _alternatives(parts)


def _literal(character: str) -> str:
    return "\\." if character == "." else character


def _shape(template: str, digit: str) -> str:
    """`template` with every digit replaced by `digit` (separators kept)."""
    return "".join(digit if character.isdigit() else character for character in template)


def _any(template: str) -> str:
    """Any string shaped like `template`: a digit wherever it has one."""
    return "".join(DIGIT if character.isdigit() else _literal(character) for character in template)


def integer_range(low: int, high: int) -> str:
    """Canonical non-negative integers (no leading zero) from `low` to `high`."""
    parts, full = [], []  # full: the widths whose every numeral is in range
    for width in range(len(str(low)), len(str(high)) + 1):
        start = max(low, 10 ** (width - 1) if width > 1 else 0)
        end = min(high, 10**width - 1)
        if width > 1 and (start, end) == (10 ** (width - 1), 10**width - 1):
            full.append(width)
        elif start <= end:
            parts.append(_fixed_width(str(start), str(end)))
    if full:
        parts.append(f"[1-9]{DIGIT}{{{full[0] - 1},{full[-1] - 1}}}")
    return _alternatives(parts)


def _fraction_prefix(low: str, high: str) -> str:
    """Digit strings of 1 to len(low) digits whose value, padded with zeros, is from `low` to `high`."""
    width = len(low)
    zeros, nines = "0" * (width - 1), "9" * (width - 1)
    if width == 1:
        return _digits(int(low), int(high))
    if low[0] == high[0]:
        rest = f"(?:{_fraction_prefix(low[1:], high[1:])})"
        return low[0] + rest + ("?" if low[1:] == zeros else "")
    first, last = int(low[0]), int(high[0])
    parts = []
    if low[1:] != zeros:
        parts.append(f"{low[0]}(?:{_fraction_prefix(low[1:], nines)})")
        first += 1
    if high[1:] != nines:
        parts.append(f"{high[0]}(?:{_fraction_prefix(zeros, high[1:])})?")
        last -= 1
    if first <= last:
        parts.append(f"{_digits(first, last)}{DIGIT}{{0,{width - 1}}}")
    return _alternatives(parts)


def _fraction(low: int, high: int, scale: int) -> str:
    """The optional `.digits` part (1 to `scale` digits, none meaning 0) within range, in units of 10**-scale."""
    if scale == 0:
        return ""
    digits = _fraction_prefix(str(low).zfill(scale), str(high).zfill(scale))
    return f"(?:\\.{digits})" + ("?" if low == 0 else "")


def _magnitude(low: int, high: int, scale: int) -> str:
    """Unsigned numerals whose value in units of 10**-scale is from `low` to `high`."""
    unit = 10**scale
    first, part_low = divmod(low, unit)
    last, part_high = divmod(high, unit)
    if first == last:
        return str(first) + _fraction(part_low, part_high, scale)
    parts = []
    if part_low != 0:
        parts.append(str(first) + _fraction(part_low, unit - 1, scale))
        first += 1
    if part_high != unit - 1:
        parts.append(str(last) + _fraction(0, part_high, scale))
        last -= 1
    if first <= last:
        parts.append(integer_range(first, last) + _fraction(0, unit - 1, scale))
    return _alternatives(parts)


def decimal_pattern(precision: int, scale: int, low: Decimal | None = None, high: Decimal | None = None) -> str:
    """The decimal strings a `decimal(precision,scale)` column holds between `low` and `high` (inclusive).

    A numeral is an optional `-`, the integer part without leading zeros, and an optional `.` with
    1 to `scale` digits; zero is never negative. Callers turn exclusive bounds into inclusive ones
    (`step`).
    """
    unit = 10**scale
    limit = 10**precision - 1
    lowest = max(-limit, math.ceil(low * unit) if low is not None else -limit)
    highest = min(limit, math.floor(high * unit) if high is not None else limit)
    parts = []
    if highest >= 0:
        parts.append(_magnitude(max(lowest, 0), highest, scale))
    if lowest < 0:
        parts.append("-" + _magnitude(max(-highest, 1), -lowest, scale))
    return f"^{_alternatives(parts)}$"


def step(value: Decimal, scale: int, upward: bool) -> Decimal:
    """The nearest value with `scale` decimal places strictly above (or below) `value`, for gt and lt."""
    unit = Decimal(1).scaleb(-scale)
    floor = (value / unit).to_integral_value(rounding="ROUND_FLOOR") * unit
    if upward:
        return floor + unit
    return floor - unit if floor == value else floor


def grid_bounds(scale: int, rules: dict[str, str]) -> tuple[Decimal | None, Decimal | None]:
    """The inclusive (low, high) of a decimal's ge/gt/le/lt rules, on its grid of 10**-scale."""
    ge, gt, le, lt = (rules.get(rule) for rule in ("ge", "gt", "le", "lt"))
    low = Decimal(ge) if ge else step(Decimal(gt), scale, upward=True) if gt else None
    high = Decimal(le) if le else step(Decimal(lt), scale, upward=False) if lt else None
    return low, high


def date_pattern(low: dt.date | None, high: dt.date | None) -> str:
    """ISO 8601 dates (YYYY-MM-DD) from `low` to `high`, compared as text, which orders them as time does."""
    first = low.isoformat() if low else "0000-00-00"
    last = high.isoformat() if high else "9999-99-99"
    return f"^{_fixed_width(first, last)}$"


class NumeralsExtension(Extension):
    """Makes the pattern builders Jinja globals (and loads this module before fields.py, which imports it)."""

    def __init__(self, environment: Environment) -> None:
        super().__init__(environment)
        environment.globals.update(decimal_pattern=decimal_pattern, date_pattern=date_pattern)
