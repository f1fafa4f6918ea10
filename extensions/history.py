"""Resources a service has already applied: each one's migration revision was generated from it."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import yaml
from jinja2 import Environment
from jinja2.ext import Extension

from .fields import parse_field, split_items
from .resources import ResourceSpecError, parse_resources

# The three answers of 0.2.0 that the one answer `resources` replaced.
LEGACY_ANSWERS = ("resource_name", "resource_plural", "resource_fields")
_STR_TYPE = re.compile(r"\s*\w+\s*:\s*str\s*(?:\([^)]*\))?")


def recorded_answers(conf: Mapping[str, Any]) -> dict[str, Any]:
    """The answers file already in the destination (on update or recopy), or nothing on a first copy."""
    path = Path(conf["dst_path"]) / conf["answers_file"]
    if not path.is_file():
        return {}
    loaded = yaml.safe_load(path.read_text(encoding="utf-8"))
    return loaded if isinstance(loaded, dict) else {}


def keep_empty_strings(spec: str) -> str:
    """A 0.2.0 field spec in today's grammar: required str fields keep accepting '' ({min_length=0})."""
    items = []
    for item in split_items(spec):
        field = parse_field(item)
        match = _STR_TYPE.match(item)
        if field.type == "str" and not field.nullable and match:
            item = f"{item[: match.end()]}{{min_length=0}}{item[match.end() :]}"
        items.append(item)
    return ", ".join(items)


def legacy_resources(answers: Mapping[str, Any]) -> list[dict[str, str]] | None:
    """The `resources` list equal in meaning to a 0.2.0 service's three answers, or None without them."""
    if not all(isinstance(answers.get(key), str) for key in LEGACY_ANSWERS):
        return None
    return [
        {
            "name": answers["resource_name"],
            "plural": answers["resource_plural"],
            "fields": keep_empty_strings(answers["resource_fields"]),
        }
    ]


def recorded_resources(answers: Mapping[str, Any]) -> list[Any] | None:
    """The resources a service recorded, in either answer format; None on a first copy."""
    recorded = answers.get("resources")
    return recorded if isinstance(recorded, list) else legacy_resources(answers)


def _changed(index: int, recorded: Mapping[str, Any], given: list[Any]) -> str:
    where = f"resources[{index}] ({recorded.get('name')})"
    what = "removing" if index >= len(given) else "changing, renaming or moving"
    return (
        f"{where}: {what} a recorded resource is refused on update, because its table's revision in"
        " alembic/versions/ was generated from it and applied migrations are never rewritten; keep it as recorded"
        f" ({json.dumps(dict(recorded), ensure_ascii=False)}) and append new resources after the last one; to change"
        " it, edit app/models/ and add a revision with `uv run alembic revision --autogenerate`"
    )


def applied_resources_error(given: Any, conf: Mapping[str, Any]) -> str:
    """Refuse an answer that does not keep every recorded resource, unchanged and in order."""
    recorded = recorded_resources(recorded_answers(conf))
    if recorded is None:
        return ""
    try:
        before, after = parse_resources(recorded), parse_resources(given)
    except ResourceSpecError:
        return ""  # the answer's own validator reports a broken list first
    for index, old in enumerate(before):
        if index >= len(after) or after[index] != old:
            return _changed(index, recorded[index], given)
    return ""


def auth_default(conf: Mapping[str, Any]) -> str:
    """`local` for a new service; `none` for one recorded before `auth` was asked, so an update keeps it open."""
    recorded = recorded_answers(conf)
    return "none" if recorded and "auth" not in recorded else "local"


class AppliedAnswersExtension(Extension):
    """Registers `applied_resources_error` and `auth_default` for the questionnaire."""

    def __init__(self, environment: Environment) -> None:
        super().__init__(environment)
        environment.globals["applied_resources_error"] = applied_resources_error
        environment.globals["auth_default"] = auth_default
