"""The CRUD rules every resource shares; each call is one unit of work, every failure a domain error."""

from collections.abc import Callable, Mapping
from typing import Any, ClassVar, Generic, TypeVar

from pydantic import BaseModel

from app.core.errors import ConflictError, InvalidReferenceError, NotFoundError, ReferenceConflict
from app.db.executor import Database, Executor
from app.repositories.base import Repository
from app.schemas.listing import ListQuery
from app.schemas.pagination import Page

CreateT = TypeVar("CreateT", bound=BaseModel)
ReplaceT = TypeVar("ReplaceT", bound=BaseModel)
UpdateT = TypeVar("UpdateT", bound=BaseModel)
ReadT = TypeVar("ReadT", bound=BaseModel)


class CrudService(Generic[CreateT, ReplaceT, UpdateT, ReadT]):
    """Create, read, replace, update and delete one resource; a subclass names its types and adds its rules."""

    label: ClassVar[str]  # "Order line", for messages
    repository_class: ClassVar[type[Repository]]
    read: type[ReadT]
    page: type[Page[ReadT]]

    def __init__(self, database: Database, repository: Callable[[Executor], Repository] | None = None) -> None:
        self._database = database
        self._repository = repository or self.repository_class

    async def get(self, *, row_id: int) -> ReadT:
        """The row; NotFoundError when it does not exist."""
        async with self._database.unit_of_work() as executor:
            row = await self._repository(executor).get(row_id=row_id)
        if row is None:
            raise self._not_found(row_id)
        return self.read.model_validate(dict(row))

    async def list(self, *, query: ListQuery) -> Page[ReadT]:
        """One page of the rows the query selects."""
        async with self._database.unit_of_work() as executor:
            rows, total = await self._repository(executor).list(query=query)
        # One validation call for the whole page is cheaper than one per item.
        items = [dict(row) for row in rows]
        return self.page.model_validate({"items": items, "total": total, "limit": query.limit, "offset": query.offset})

    async def create(self, *, data: CreateT) -> ReadT:
        """Store a new row."""
        values = data.model_dump()
        try:
            async with self._database.unit_of_work(atomic=False) as executor:  # one INSERT
                row = await self._repository(executor).create(values=values)
        except ReferenceConflict:
            raise await self._invalid_reference(values) from None
        return self.read.model_validate(dict(row))

    async def replace(self, *, row_id: int, data: ReplaceT) -> ReadT:
        """Replace every field of an existing row; never creates one."""
        return await self._update(row_id, data.model_dump())

    async def update(self, *, row_id: int, data: UpdateT) -> ReadT:
        """Change only the fields that were sent."""
        changes = data.model_dump(exclude_unset=True)
        if not changes:
            return await self.get(row_id=row_id)
        return await self._update(row_id, changes)

    async def delete(self, *, row_id: int) -> None:
        """Delete the row (and what cascades from it); NotFoundError when missing, 409 while still referenced."""
        try:
            async with self._database.unit_of_work(atomic=False) as executor:  # one DELETE
                deleted = await self._repository(executor).delete(row_id=row_id)
        except ReferenceConflict:
            async with self._database.unit_of_work() as executor:
                table = await self._repository(executor).blocking_table(row_id=row_id)
            rows = f"rows of {table.replace('_', ' ')}" if table else "other rows"
            raise ConflictError(f"{self.label} {row_id} is still referenced by {rows}; delete those first.") from None
        if not deleted:
            raise self._not_found(row_id)

    async def _update(self, row_id: int, values: Mapping[str, Any]) -> ReadT:
        try:
            async with self._database.unit_of_work(atomic=False) as executor:  # one UPDATE
                row = await self._repository(executor).update(row_id=row_id, values=values)
        except ReferenceConflict:
            raise await self._invalid_reference(values) from None
        if row is None:
            raise self._not_found(row_id)
        return self.read.model_validate(dict(row))

    async def _invalid_reference(self, values: Mapping[str, Any]) -> Exception:
        """The 422 naming the reference that points nowhere (looked up only once a write has failed)."""
        async with self._database.unit_of_work() as executor:
            field = await self._repository(executor).missing_reference(values=values)
        if field is None:
            return ConflictError("The request conflicts with a reference between rows; retry.")
        return InvalidReferenceError(field, values[field])

    def _not_found(self, row_id: int) -> NotFoundError:
        return NotFoundError(f"{self.label} {row_id} does not exist.")
