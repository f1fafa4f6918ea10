"""Read the Markdown tables of the README and docs/, so tests can hold them to the code."""

import re
from itertools import takewhile
from pathlib import Path

CODE_SPAN = re.compile(r"`([^`]+)`")


def code_spans(cell: str) -> list[str]:
    """The text of each `code span` in a table cell, in order."""
    return CODE_SPAN.findall(cell)


def _cells(line: str) -> list[str]:
    """The cells of one table row; a `|` inside a code span stays in its cell."""
    cells, current, in_code = [], "", False
    for char in line.strip().strip("|"):
        if char == "`":
            in_code = not in_code
        if char == "|" and not in_code:
            cells.append(current.strip())
            current = ""
        else:
            current += char
    return [*cells, current.strip()]


def table(path: Path, heading: str) -> list[dict[str, str]]:
    """The rows of the table that follows `heading` in `path`, each keyed by the table's header."""
    lines = path.read_text(encoding="utf-8").splitlines()
    if heading not in lines:
        raise AssertionError(f"{path.name} has no heading {heading!r}")
    section = lines[lines.index(heading) + 1 :]
    start = next((i for i, line in enumerate(section) if line.startswith(("|", "#"))), len(section))
    if start == len(section) or section[start].startswith("#"):
        raise AssertionError(f"{path.name} has no table under {heading!r}")
    block = list(takewhile(lambda line: line.startswith("|"), section[start:]))
    header = _cells(block[0])
    return [dict(zip(header, _cells(line), strict=True)) for line in block[2:]]
