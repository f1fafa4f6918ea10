"""The `resources` answer: a list of {name, plural, fields, owned}, checked as a whole and resolved into Resources."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Any

from jinja2 import Environment
from jinja2.ext import Extension

from .fields import Check, Field, FieldSpecError, parse_fields
from .filters import is_identifier, kebab, pascal, pluralize

MAX_RESOURCES = 20
MAX_RESOURCE_NAME = 20
MAX_RESOURCE_PLURAL = 24
KEYS = ("name", "plural", "fields", "owned")
OWNER_COLUMN = "owner"  # an owned resource's column holding its creator's subject
# Module names of the generated service (and Alembic's table) that a resource must not shadow.
RESERVED_RESOURCE_NAMES = (
    *("app", "core", "api", "db", "models", "schemas", "services", "repositories", "tests", "alembic"),
    *("main", "deps", "health", "router", "endpoints", "base", "session", "config", "errors", "settings"),
    *("pagination", "types", "executor", "readiness", "logging", "samples", "v1", "test", "conftest"),
    *("alembic_version", "listing", "crud", "helpers", "filtering", "references", "api_key", "api_keys", "cli"),
)

# The modules, tables and routes of auth local's accounts (app/models/user.py, /api/v1/users, /api/v1/auth).
LOCAL_AUTH_NAMES = ("user", "users", "auth", "refresh_token", "refresh_tokens")


class ResourceSpecError(ValueError):
    """A `resources` answer that breaks a rule; the message is one line naming the resource."""


@dataclass(frozen=True)
class Resource:
    """One API resource and every name the service uses for it."""

    name: str  # singular snake_case: module names, variables
    plural: str  # plural snake_case: table, endpoint module
    fields: tuple[Field, ...]
    index: int = 0  # position in the answer: the order of tables and migration revisions
    owned: bool = False  # each row belongs to the caller who created it

    @property
    def class_name(self) -> str:
        """`OrderItem`."""
        return pascal(self.name)

    @property
    def table(self) -> str:
        """`order_items`."""
        return self.plural

    @property
    def url_path(self) -> str:
        """`/api/v1/order-items`."""
        return f"/api/v1/{kebab(self.plural)}"

    @property
    def label(self) -> str:
        """`order item`, for messages and docs."""
        return self.name.replace("_", " ")

    @property
    def label_plural(self) -> str:
        """`order items`."""
        return self.plural.replace("_", " ")

    @property
    def revision(self) -> str:
        """The Alembic revision that creates the table: `0001` for the first, `0002_orders` after it."""
        return "0001" if self.index == 0 else f"{self.index + 1:04d}_{self.table}"

    @property
    def revision_file(self) -> str:
        """The revision's file name without `.py`."""
        return "0001_initial" if self.index == 0 else self.revision

    @property
    def sort_keys(self) -> list[str]:
        """Columns a client may sort the list by."""
        return ["id", *(field.name for field in self.fields if field.sortable), "created_at", "updated_at"]

    @property
    def unique_fields(self) -> list[Field]:
        """Fields with a unique constraint."""
        return [field for field in self.fields if field.unique]

    @property
    def required_fields(self) -> list[Field]:
        """Fields that may never hold null."""
        return [field for field in self.fields if not field.nullable]

    @property
    def refs(self) -> list[Field]:
        """Fields that reference a row of a resource."""
        return [field for field in self.fields if field.type == "ref"]

    @property
    def indexed_fields(self) -> list[Field]:
        """Fields with an index of their own: every ref, and the fields that say {index}."""
        return [field for field in self.fields if field.indexed]

    @property
    def checks(self) -> list[Check]:
        """Every CHECK constraint of the table, in field order."""
        return [check for field in self.fields for check in field.checks(self.table)]

    @property
    def filter_kinds(self) -> set[str]:
        """Every filter suffix the list query of this resource has ("" is equality)."""
        return {kind for field in self.fields for kind in field.filters}

    def uses(self, *types: str) -> bool:
        """Whether any field has one of these types (drives imports)."""
        return any(field.type in types for field in self.fields)


def _name_rule(key: str, value: str, limit: int) -> str:
    if not is_identifier(value) or len(value) > limit:
        return (
            f"{key} must be lowercase snake_case (single underscores between words), start with a letter,"
            f" at most {limit} characters and not a Python keyword (got {json.dumps(value, ensure_ascii=False)})"
        )
    if value in RESERVED_RESOURCE_NAMES:
        return (
            f"{key} {json.dumps(value)} is reserved because it would collide with a module or table"
            f" of the service; reserved: {', '.join(RESERVED_RESOURCE_NAMES)}"
        )
    return ""


def resource_name_error(name: str) -> str:
    """Why `name` cannot name a resource, or an empty string."""
    if name.endswith("_query") and is_identifier(name):
        return f"name must not end in _query: app/schemas/<name>_query.py holds a resource's list query (got {name!r})"
    return _name_rule("name", name, MAX_RESOURCE_NAME)


def resource_plural_error(plural: str, name: str) -> str:
    """Why `plural` cannot be the plural of `name`, or an empty string."""
    if plural == name:
        return (
            f"plural must differ from the name so modules do not collide; for an uncountable"
            f" noun use a phrase such as {name}_items (got {json.dumps(plural)})"
        )
    return _name_rule("plural", plural, MAX_RESOURCE_PLURAL)


def _where(index: int, item: Any) -> str:
    name = item.get("name") if isinstance(item, Mapping) else None
    return f"resources[{index}]" + (f" ({name})" if isinstance(name, str) and name else "")


def _one(index: int, item: Any) -> Resource:
    where = _where(index, item)
    if not isinstance(item, Mapping):
        raise ResourceSpecError(f"{where}: must be a mapping {{name, plural, fields}} (got {json.dumps(item)})")
    unknown = sorted(set(map(str, item)) - set(KEYS))
    if unknown:
        raise ResourceSpecError(
            f"{where}: unknown key {unknown[0]!r}; a resource has name, plural (optional), fields, owned (optional)"
        )
    for key in ("name", "fields"):
        if not isinstance(item.get(key), str) or not item[key].strip():
            raise ResourceSpecError(f"{where}: {key} is required and must be text (got {json.dumps(item.get(key))})")
    name = item["name"].strip()
    plural = item.get("plural") or pluralize(name)
    if not isinstance(plural, str):
        raise ResourceSpecError(f"{where}: plural must be text (got {json.dumps(plural)})")
    reason = resource_name_error(name) or resource_plural_error(plural.strip(), name)
    if reason:
        raise ResourceSpecError(f"{where}: {reason}")
    owned = item.get("owned", False)
    if not isinstance(owned, bool):
        raise ResourceSpecError(f"{where}: owned must be true or false (got {json.dumps(owned)})")
    try:
        fields = tuple(parse_fields(item["fields"]))
    except FieldSpecError as error:
        raise ResourceSpecError(f"{where}: fields: {error}") from None
    if owned and any(field.name == OWNER_COLUMN for field in fields):
        raise ResourceSpecError(f"{where}: an owned resource keeps its creator in {OWNER_COLUMN}: rename that field")
    return Resource(name=name, plural=plural.strip(), fields=fields, index=index, owned=owned)


def _check_unique(resources: list[Resource]) -> None:
    seen: dict[str, str] = {}
    for resource in resources:
        where = f"resources[{resource.index}] ({resource.name})"
        for kind, value in (("name", resource.name), ("plural", resource.plural)):
            if value in seen:
                raise ResourceSpecError(
                    f"{where}: {kind} {value!r} is already the name or plural of {seen[value]}; each must be unique"
                )
        seen[resource.name] = seen[resource.plural] = where


def _cycle(by_name: dict[str, Resource], source: str, goal: str, seen: frozenset[str] = frozenset()) -> list[str]:
    """The resources whose refs lead from `source` back to `goal`, or an empty list."""
    targets = [field.target for field in by_name[source].refs if field.target in by_name]
    if goal in targets:
        return [source]
    for target in targets:
        if target not in seen and target != source:
            path = _cycle(by_name, target, goal, seen | {source})
            if path:
                return [source, *path]
    return []


def _resolve(resources: list[Resource]) -> list[Resource]:
    """Check each ref against the list and record its target's table."""
    by_name = {resource.name: resource for resource in resources}
    resolved = []
    for resource in resources:
        where = f"resources[{resource.index}] ({resource.name})"
        fields = []
        for field in resource.fields:
            if field.type == "ref":
                target = by_name.get(field.target)
                _check_ref(where, resource, field, target, by_name)
                field = replace(field, target_table=target.table if target else "")
            fields.append(field)
        resolved.append(replace(resource, fields=tuple(fields)))
    return resolved


def _check_ref(
    where: str, resource: Resource, field: Field, target: Resource | None, by_name: dict[str, Resource]
) -> None:
    if target is None:
        known = ", ".join(by_name)
        raise ResourceSpecError(
            f"{where}: {field.name} references {field.target!r}, which is not a resource; known: {known}"
        )
    if target.index == resource.index and not field.nullable:
        raise ResourceSpecError(
            f"{where}: {field.name} references its own resource and must be nullable (add ?):"
            " the first row has no parent"
        )
    if target.index > resource.index:
        chain = _cycle(by_name, target.name, resource.name)
        if chain:
            names = " -> ".join([resource.name, *chain, resource.name])
            raise ResourceSpecError(
                f"{where}: refs form a cycle {names}; tables are created in list order, so drop one of these refs"
                " and add it later with a hand-written revision"
            )
        raise ResourceSpecError(
            f"{where}: {field.name} references {target.name}, which is listed after it; move {target.name} before"
            f" {resource.name}"
        )


def parse_resources(value: Any) -> list[Resource]:
    """The resources of an answer, checked as a whole; ResourceSpecError with the first broken rule."""
    try:
        key = json.dumps(value, sort_keys=True)
    except TypeError:  # not an answer Copier could have given
        return _parse(value)
    return list(_parse_cached(key))


@lru_cache(maxsize=16)
def _parse_cached(key: str) -> tuple[Resource, ...]:
    """Every template of a copy renders with the same answer: parse it once (Resources are immutable)."""
    return tuple(_parse(json.loads(key)))


def _parse(value: Any) -> list[Resource]:
    if not isinstance(value, list) or not value:
        raise ResourceSpecError(
            "resources: must be a non-empty list of {name, plural, fields} mappings"
            f" (got {json.dumps(value, ensure_ascii=False, default=str)})"
        )
    if len(value) > MAX_RESOURCES:
        raise ResourceSpecError(f"resources: at most {MAX_RESOURCES} resources (got {len(value)})")
    resources = [_one(index, item) for index, item in enumerate(value)]
    _check_unique(resources)
    return _resolve(resources)


def resources_error(value: Any) -> str:
    """The one-line reason a `resources` answer is invalid, or an empty string."""
    try:
        parse_resources(value)
    except ResourceSpecError as error:
        return str(error)
    return ""


def auth_error(value: Any, auth: str) -> str:
    """Why `auth` cannot serve these resources (owned rows need a caller; local owns /users), or an empty string."""
    if resources_error(value):
        return ""
    resources = parse_resources(value)
    owned = [resource for resource in resources if resource.owned]
    if auth == "none" and owned:
        return (
            f"resources[{owned[0].index}] ({owned[0].name}) is owned, and owned rows need a caller:"
            " choose an auth other than none, or drop owned"
        )
    taken = [resource for resource in resources if {resource.name, resource.plural} & set(LOCAL_AUTH_NAMES)]
    if auth == "local" and taken:
        return (
            f"resources[{taken[0].index}] ({taken[0].name}) collides with the accounts of auth local"
            f" ({', '.join(LOCAL_AUTH_NAMES)} are its own): rename the resource, or choose another auth"
        )
    return ""


class ResourcesExtension(Extension):
    """Registers `resources_error` and `auth_error` for the questionnaire's validators."""

    def __init__(self, environment: Environment) -> None:
        super().__init__(environment)
        environment.globals["resources_error"] = resources_error
        environment.globals["auth_error"] = auth_error
