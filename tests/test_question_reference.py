"""docs/questions.md and the README document the questionnaire that copier.yml asks."""

from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.doc_tables import code_spans, table
from tests.generation import TEMPLATE_ROOT

HEADING = "## The questions"
QUESTIONS: dict[str, dict[str, Any]] = {
    name: spec
    for name, spec in yaml.safe_load((TEMPLATE_ROOT / "copier.yml").read_text(encoding="utf-8")).items()
    if not name.startswith("_")
}


def documented(path: Path) -> dict[str, dict[str, str]]:
    """The rows of the questions table in `path`, keyed by each question its first cell names."""
    return {name: row for row in table(path, HEADING) for name in code_spans(row["question"])}


def choice_values(spec: dict[str, Any]) -> list[str]:
    """The values a question's choices give, in copier.yml's order (labels left out)."""
    choices = spec.get("choices", [])
    values = choices.values() if isinstance(choices, dict) else choices
    return [str(value[1] if isinstance(value, list) else value) for value in values]


def plain_default(value: Any) -> list[str]:
    """How the docs must spell a default that is not a Jinja expression, piece by piece; none for Jinja."""
    if value is None:  # a question without a default must be answered
        return ["none"]
    if isinstance(value, bool):
        return ["yes" if value else "no"]
    if isinstance(value, list):
        return [piece for item in value for piece in plain_default(item)]
    if isinstance(value, dict):
        return [piece for item in value.values() for piece in plain_default(item)]
    if isinstance(value, str) and ("{{" in value or "{%" in value):
        return []
    return [f"`{value}`"]


def test_the_reference_has_one_row_per_question_in_copier_order() -> None:
    rows = documented(TEMPLATE_ROOT / "docs/questions.md")
    assert list(rows) == list(QUESTIONS), (
        f"docs/questions.md documents {list(rows)} but copier.yml asks {list(QUESTIONS)}: "
        "give each question one row of the table under 'The questions', in copier.yml's order"
    )


def test_the_readme_names_every_question() -> None:
    names = set(documented(TEMPLATE_ROOT / "README.md"))
    assert names == set(QUESTIONS), (
        f"README.md's questions table misses {sorted(set(QUESTIONS) - names)} "
        f"and names {sorted(names - set(QUESTIONS))}, which copier.yml does not ask"
    )


@pytest.mark.parametrize("question", QUESTIONS)
def test_a_question_row_gives_its_type_choices_and_default(question: str) -> None:
    spec = QUESTIONS[question]
    row = documented(TEMPLATE_ROOT / "docs/questions.md").get(question)
    assert row is not None, f"docs/questions.md has no row for `{question}`"
    assert row["type"] == spec.get("type", "yaml"), (
        f"docs/questions.md gives `{question}` the type {row['type']!r}; copier.yml says {spec.get('type', 'yaml')!r}"
    )
    assert code_spans(row["choices"]) == choice_values(spec), (
        f"docs/questions.md lists the choices {code_spans(row['choices'])} for `{question}`; "
        f"copier.yml has {choice_values(spec)}"
    )
    default = spec.get("default")
    pieces = plain_default(default)
    assert row["default"], f"docs/questions.md gives no default for `{question}`"
    if isinstance(default, list | dict):
        missing = [piece for piece in pieces if piece not in row["default"]]
        assert not missing, f"docs/questions.md's default for `{question}` lacks {missing} of copier.yml's default"
    elif pieces:
        assert row["default"].startswith(pieces[0]), (
            f"docs/questions.md's default for `{question}` is {row['default']!r}; copier.yml's is {pieces[0]}"
        )
    if "when" in spec:
        assert "asked only when" in row["rule"], f"docs/questions.md must say when `{question}` is asked"
