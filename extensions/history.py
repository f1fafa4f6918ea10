"""Answers a service has already applied: its first migration was generated from them."""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import yaml
from jinja2 import Environment
from jinja2.ext import Extension

from .fields import FieldSpecError, parse_fields

# Answers that alembic/versions/0001_initial.py was rendered from.
MIGRATION_ANSWERS = frozenset({"resource_name", "resource_plural", "resource_fields"})


def recorded_answers(conf: Mapping[str, Any]) -> dict[str, Any]:
    """The answers file already in the destination (on update or recopy), or nothing on a first copy."""
    path = Path(conf["dst_path"]) / conf["answers_file"]
    if not path.is_file():
        return {}
    loaded = yaml.safe_load(path.read_text(encoding="utf-8"))
    return loaded if isinstance(loaded, dict) else {}


def same_answer(question: str, recorded: Any, given: Any) -> bool:
    """Whether two answers describe the same schema (field specs compare by meaning, not spelling)."""
    if question == "resource_fields":
        try:
            return parse_fields(str(recorded)) == parse_fields(str(given))
        except FieldSpecError:
            pass
    return str(recorded) == str(given)


def applied_answer_error(question: str, given: Any, conf: Mapping[str, Any]) -> str:
    """Refuse a changed schema answer: the migration made from the recorded one is never rewritten."""
    if question not in MIGRATION_ANSWERS:
        raise ValueError(f"{question} is not an answer the initial migration depends on")
    recorded = recorded_answers(conf).get(question)
    if recorded is None or same_answer(question, recorded, given):
        return ""
    return (
        f"{question}: cannot change from {json.dumps(recorded, ensure_ascii=False)} on update, because"
        " alembic/versions/0001_initial.py was generated from it and applied migrations are never rewritten;"
        " keep the recorded answer, change the model in app/models/ and add a revision with"
        f" `uv run alembic revision --autogenerate` (got {json.dumps(given, ensure_ascii=False)})"
    )


class AppliedAnswersExtension(Extension):
    """Registers `applied_answer_error` for the questionnaire's validators."""

    def __init__(self, environment: Environment) -> None:
        super().__init__(environment)
        environment.globals["applied_answer_error"] = applied_answer_error
