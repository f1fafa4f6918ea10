"""Data access every resource shares: statements built once per table and shape, run by the executor."""

from collections.abc import Mapping
from datetime import UTC, datetime
from functools import lru_cache
from typing import Any, ClassVar

import sqlalchemy as sa
from sqlalchemy.sql.base import Executable

from app.db.executor import Executor, Row
from app.schemas.listing import ListQuery

TOTAL = "_total"
ROW_ID = "_row_id"
OWNER = "_owner"
_LIKE_ESCAPE = "\\"
VERSION = "_version"
# A filter's shape: its parameter name and, for `__in`, how many values; for `__isnull`, which way.
Shape = tuple[tuple[str, int | bool], ...]
# The versions (updated_at) a conditional write accepts; None: any version.
Versions = tuple[datetime, ...]


def _new(values: Mapping[str, Any]) -> dict[str, Any]:
    return {f"_new_{name}": value for name, value in values.items()}


def _by_id(table: sa.Table) -> sa.ColumnElement[bool]:
    return table.c.id == sa.bindparam(ROW_ID)


def _owned(table: sa.Table, owned: bool) -> list[sa.ColumnElement[bool]]:
    """The condition that keeps an owned resource to one owner's rows, when the call is scoped."""
    return [table.c.owner == sa.bindparam(OWNER)] if owned else []


def _at_version(table: sa.Table, versions: int | None) -> list[sa.ColumnElement[bool]]:
    """The condition that keeps a write to a row still at one of `versions` bound versions (None: any)."""
    if versions is None:
        return []
    if versions == 0:  # If-Match named none of our tags: no version matches
        return [sa.false()]
    column = table.c.updated_at
    return [column.in_([sa.bindparam(f"{VERSION}_{index}", type_=column.type) for index in range(versions)])]


def _params(owner: str | None, versions: Versions | None = None, /, **params: Any) -> dict[str, Any]:
    if versions is not None:
        params.update({f"{VERSION}_{index}": version for index, version in enumerate(versions)})
    return params if owner is None else {**params, OWNER: owner}


@lru_cache(maxsize=128)
def _get(table: sa.Table, owned: bool) -> sa.Select[Any]:
    return sa.select(table).where(_by_id(table), *_owned(table, owned))


@lru_cache(maxsize=128)
def _insert(table: sa.Table) -> Executable:
    columns = [column.name for column in table.c if column.name != "id"]
    values: dict[str, Any] = {name: sa.bindparam(f"_new_{name}") for name in columns}
    return sa.insert(table).values(values).returning(*table.c)


@lru_cache(maxsize=128)
def _delete(table: sa.Table, owned: bool, versions: int | None) -> Executable:
    conditions = [_by_id(table), *_owned(table, owned), *_at_version(table, versions)]
    return sa.delete(table).where(*conditions).returning(table.c.id)


@lru_cache(maxsize=1024)
def _update(table: sa.Table, names: frozenset[str], owned: bool, versions: int | None) -> Executable:
    values: dict[str, Any] = {name: sa.bindparam(f"_new_{name}") for name in (*sorted(names), "updated_at")}
    conditions = [_by_id(table), *_owned(table, owned), *_at_version(table, versions)]
    return sa.update(table).where(*conditions).values(values).returning(*table.c)


def _condition(table: sa.Table, name: str, shape: int | bool) -> sa.ColumnElement[bool]:
    """The WHERE clause of one filter parameter, its values bound by name."""
    field, _, operator = name.partition("__")
    column = table.c[field]
    value: sa.BindParameter[Any] = sa.bindparam(name, type_=column.type)
    if operator == "in":
        return column.in_([sa.bindparam(f"{name}_{index}", type_=column.type) for index in range(int(shape))])
    if operator == "isnull":
        return column.is_(None) if shape else column.is_not(None)
    if operator == "contains":
        return column.icontains(value, escape=_LIKE_ESCAPE)
    comparisons = {"": column == value, "gt": column > value, "gte": column >= value}
    return {**comparisons, "lt": column < value, "lte": column <= value}[operator]


def _conditions(table: sa.Table, shape: Shape, owned: bool) -> list[sa.ColumnElement[bool]]:
    return [*_owned(table, owned), *(_condition(table, name, size) for name, size in shape)]


@lru_cache(maxsize=256)
def _count(table: sa.Table, shape: Shape, owned: bool) -> sa.Select[Any]:
    return sa.select(sa.func.count()).select_from(table).where(*_conditions(table, shape, owned))


@lru_cache(maxsize=1024)
def _page(table: sa.Table, shape: Shape, sort: tuple[str, ...], counted: bool, owned: bool) -> sa.Select[Any]:
    """One page in `sort` order; when `counted`, each row carries the total count (one round trip, not two)."""
    order = []
    for key in sort:
        column = table.c[key.removeprefix("-")]
        # Explicit null placement, so PostgreSQL and SQLite order nullable columns alike.
        order.append(column.desc().nulls_first() if key.startswith("-") else column.asc().nulls_last())
    if "id" not in (key.removeprefix("-") for key in sort):
        order.append(table.c.id.asc())
    columns = [table, _count(table, shape, owned).scalar_subquery().label(TOTAL)] if counted else [table]
    page = sa.select(*columns).where(*_conditions(table, shape, owned)).order_by(*order)
    return page.limit(sa.bindparam("limit")).offset(sa.bindparam("offset"))


def _escaped_like(value: str) -> str:
    return value.replace(_LIKE_ESCAPE, _LIKE_ESCAPE * 2).replace("%", "\\%").replace("_", "\\_")


def _shape_and_params(filters: Mapping[str, Any]) -> tuple[Shape, dict[str, Any]]:
    shape: list[tuple[str, int | bool]] = []
    params: dict[str, Any] = {}
    for name, value in sorted(filters.items()):
        if name.endswith("__in"):
            shape.append((name, len(value)))
            params.update({f"{name}_{index}": item for index, item in enumerate(value)})
        elif name.endswith("__isnull"):
            shape.append((name, bool(value)))
        else:
            shape.append((name, 0))
            params[name] = _escaped_like(value) if name.endswith("__contains") else value
    return tuple(shape), params


@lru_cache(maxsize=128)
def _referencing(table: sa.Table) -> tuple[tuple[str, sa.Select[Any]], ...]:
    """For each table whose rows block deleting a row of `table`: its name and a probe for such a row."""
    probes = []
    for child in table.metadata.sorted_tables:
        for key in child.foreign_keys:
            if key.column.table is table and (key.ondelete or "RESTRICT").upper() in ("RESTRICT", "NO ACTION"):
                probe = sa.select(sa.literal(1)).select_from(child).where(key.parent == sa.bindparam(ROW_ID)).limit(1)
                probes.append((child.name, probe))
    return tuple(probes)


@lru_cache(maxsize=128)
def _exists(table: sa.Table) -> sa.Select[Any]:
    return sa.select(sa.literal(1)).select_from(table).where(_by_id(table))


class Repository:
    """Reads and writes the rows of `table`; the unit of work decides when to commit.

    `owner`, on an owned resource, keeps a call to the rows of that subject: another owner's row
    is as absent as a missing one. None reaches every row.
    """

    table: ClassVar[sa.Table]

    def __init__(self, executor: Executor) -> None:
        self._executor = executor

    async def get(self, *, row_id: int, owner: str | None = None) -> Row | None:
        """The row with this id, or None."""
        return await self._executor.fetch_one(_get(self.table, owner is not None), _params(owner, **{ROW_ID: row_id}))

    async def list(self, *, query: ListQuery, owner: str | None = None) -> tuple[list[Row], int | None]:
        """One page of the rows the query's filters select, in its sort order, and how many there are (if asked)."""
        shape, filters = _shape_and_params(query.filters())
        params = _params(owner, **filters)
        statement = _page(self.table, shape, query.sort_keys, query.include_total, owner is not None)
        rows = await self._executor.fetch_all(statement, {**params, "limit": query.limit, "offset": query.offset})
        if not query.include_total:
            return rows, None
        if rows:
            return rows, int(rows[0][TOTAL])
        count = _count(self.table, shape, owner is not None)
        return rows, int(await self._executor.fetch_value(count, params))  # past the last page

    async def create(self, *, values: Mapping[str, Any]) -> Row:
        """Insert a row and return it as stored."""
        now = datetime.now(UTC)
        row = await self._executor.write(_insert(self.table), _new({**values, "created_at": now, "updated_at": now}))
        if row is None:
            raise RuntimeError("INSERT ... RETURNING returned no row")
        return row

    async def update(
        self, *, row_id: int, values: Mapping[str, Any], owner: str | None = None, versions: Versions | None = None
    ) -> Row | None:
        """Set the given columns; the updated row, or None when the id does not exist (or is at another version)."""
        count = None if versions is None else len(versions)
        statement = _update(self.table, frozenset(values), owner is not None, count)
        params = _params(owner, versions, **{ROW_ID: row_id}, **_new({**values, "updated_at": datetime.now(UTC)}))
        return await self._executor.write(statement, params)

    async def delete(self, *, row_id: int, owner: str | None = None, versions: Versions | None = None) -> bool:
        """Delete the row; False when the id does not exist (or is at another version)."""
        statement = _delete(self.table, owner is not None, None if versions is None else len(versions))
        return await self._executor.write(statement, _params(owner, versions, **{ROW_ID: row_id})) is not None

    async def missing_reference(self, *, values: Mapping[str, Any]) -> str | None:
        """The first reference column in `values` whose target row does not exist, or None."""
        for key in sorted(self.table.foreign_keys, key=lambda key: key.parent.name):
            target = values.get(key.parent.name)
            if target is None:
                continue
            if await self._executor.fetch_one(_exists(key.column.table), {ROW_ID: target}) is None:
                return key.parent.name
        return None

    async def blocking_table(self, *, row_id: int) -> str | None:
        """The table of a row that still references this one through a restricting key, or None."""
        for name, probe in _referencing(self.table):
            if await self._executor.fetch_one(probe, {ROW_ID: row_id}) is not None:
                return name
        return None
