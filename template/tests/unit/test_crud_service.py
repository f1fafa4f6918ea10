"""The CRUD rules every resource's service shares, with its database and repository replaced by mocks."""

from datetime import UTC, datetime
from types import ModuleType
from typing import Any
from unittest.mock import AsyncMock, MagicMock, call

import pytest

from app.core.errors import (
    ConflictError,
    InvalidReferenceError,
    NotFoundError,
    PreconditionFailedError,
    ReferenceConflict,
)
from app.db.executor import Database
from tests.helpers import each_resource


def _payload(m: ModuleType, n: int) -> dict[str, Any]:
    """A valid body; the referenced rows are never read, the repository being a mock."""
    body: dict[str, Any] = m.payload(n, dict.fromkeys(m.REFS, 1))
    return body


def _row(m: ModuleType, n: int, row_id: int = 1) -> dict[str, Any]:
    now = datetime(2024, 1, 1, tzinfo=UTC)
    values = m.CREATE.model_validate(_payload(m, n)).model_dump()
    owner = {"owner": "user-1"} if m.OWNED else {}
    return {"id": row_id, **values, **owner, "created_at": now, "updated_at": now}


def _service(m: ModuleType) -> tuple[Any, AsyncMock, MagicMock]:
    repository = AsyncMock(spec=m.REPOSITORY)
    database = MagicMock(spec=Database)
    return m.SERVICE(database, lambda executor: repository), repository, database


def _one_field_update(m: ModuleType, n: int) -> Any:
    field = m.FIELDS[0]
    return m.UPDATE.model_validate({field: _payload(m, n)[field]})


RESOURCES = each_resource()


@pytest.mark.parametrize("m", RESOURCES)
async def test_get_returns_the_stored_row(m: ModuleType) -> None:
    service, repository, _ = _service(m)
    repository.get.return_value = _row(m, 1, row_id=7)
    found = await service.get(row_id=7)
    assert found.id == 7
    repository.get.assert_awaited_once_with(row_id=7, owner=None)


@pytest.mark.parametrize("m", RESOURCES)
async def test_get_missing_raises_not_found(m: ModuleType) -> None:
    service, repository, _ = _service(m)
    repository.get.return_value = None
    with pytest.raises(NotFoundError, match="404 does not exist"):
        await service.get(row_id=404)


@pytest.mark.parametrize("m", RESOURCES)
async def test_list_builds_the_page(m: ModuleType) -> None:
    service, repository, database = _service(m)
    repository.list.return_value = ([_row(m, 1, 1), _row(m, 2, 2)], 12)
    query = m.QUERY(limit=2, offset=4, sort="-id")
    page = await service.list(query=query)
    assert [item.id for item in page.items] == [1, 2]
    assert (page.total, page.limit, page.offset) == (12, 2, 4)
    repository.list.assert_awaited_once_with(query=query, owner=None)
    assert database.unit_of_work.call_args_list == [call()]


@pytest.mark.parametrize("m", RESOURCES)
async def test_list_leaves_the_total_out_when_not_counted(m: ModuleType) -> None:
    service, repository, _ = _service(m)
    repository.list.return_value = ([_row(m, 1, 1)], None)
    page = await service.list(query=m.QUERY(include_total=False))
    assert (page.total, [item.id for item in page.items]) == (None, [1])


@pytest.mark.parametrize("m", RESOURCES)
async def test_create_stores_every_field(m: ModuleType) -> None:
    service, repository, database = _service(m)
    data = m.CREATE.model_validate(_payload(m, 3))
    repository.create.return_value = _row(m, 3)
    created = await service.create(data=data)
    assert created.model_dump(include=set(m.FIELDS)) == data.model_dump()
    repository.create.assert_awaited_once_with(values=data.model_dump())
    assert database.unit_of_work.call_args_list == [call(atomic=False)]  # a single INSERT needs no transaction


@pytest.mark.parametrize("m", RESOURCES)
async def test_create_propagates_conflicts(m: ModuleType) -> None:
    service, repository, _ = _service(m)
    repository.create.side_effect = ConflictError("duplicate")
    with pytest.raises(ConflictError):
        await service.create(data=m.CREATE.model_validate(_payload(m, 1)))


@pytest.mark.parametrize("m", RESOURCES)
async def test_a_broken_reference_becomes_a_409_on_the_field_that_points_nowhere(m: ModuleType) -> None:
    service, repository, _ = _service(m)
    repository.create.side_effect = ReferenceConflict("foreign key")
    field = m.FIELDS[0]
    repository.missing_reference.return_value = field
    with pytest.raises(InvalidReferenceError) as refused:
        await service.create(data=m.CREATE.model_validate(_payload(m, 1)))
    assert refused.value.errors is not None
    assert refused.value.errors[0].loc == ["body", field]


@pytest.mark.parametrize("m", RESOURCES)
async def test_deleting_a_referenced_row_names_what_references_it(m: ModuleType) -> None:
    service, repository, _ = _service(m)
    repository.delete.side_effect = ReferenceConflict("foreign key")
    repository.blocking_table.return_value = "order_lines"
    with pytest.raises(ConflictError, match="3 is still referenced by rows of order lines; delete those first"):
        await service.delete(row_id=3)


@pytest.mark.parametrize("m", RESOURCES)
async def test_replace_sends_every_field(m: ModuleType) -> None:
    service, repository, _ = _service(m)
    repository.update.return_value = _row(m, 2, row_id=9)
    data = m.REPLACE.model_validate(_payload(m, 2))
    await service.replace(row_id=9, data=data)
    repository.update.assert_awaited_once_with(row_id=9, values=data.model_dump(), owner=None, versions=None)


@pytest.mark.parametrize("m", RESOURCES)
async def test_replace_missing_raises_not_found(m: ModuleType) -> None:
    service, repository, _ = _service(m)
    repository.update.return_value = None
    with pytest.raises(NotFoundError):
        await service.replace(row_id=9, data=m.REPLACE.model_validate(_payload(m, 1)))


@pytest.mark.parametrize("m", RESOURCES)
async def test_update_sends_only_the_fields_given(m: ModuleType) -> None:
    service, repository, _ = _service(m)
    repository.update.return_value = _row(m, 5, row_id=3)
    change = _one_field_update(m, 5)
    await service.update(row_id=3, data=change)
    assert repository.update.await_args is not None
    assert repository.update.await_args.kwargs["values"] == change.model_dump(exclude_unset=True)


@pytest.mark.parametrize("m", RESOURCES)
async def test_update_with_nothing_reads_without_writing(m: ModuleType) -> None:
    service, repository, _ = _service(m)
    repository.get.return_value = _row(m, 1, row_id=3)
    await service.update(row_id=3, data=m.UPDATE())
    repository.update.assert_not_awaited()
    repository.get.assert_awaited_once_with(row_id=3, owner=None)


@pytest.mark.parametrize("m", RESOURCES)
async def test_update_missing_raises_not_found(m: ModuleType) -> None:
    service, repository, _ = _service(m)
    repository.update.return_value = None
    with pytest.raises(NotFoundError):
        await service.update(row_id=3, data=_one_field_update(m, 1))


@pytest.mark.parametrize("m", RESOURCES)
async def test_delete_missing_raises_not_found(m: ModuleType) -> None:
    service, repository, database = _service(m)
    repository.delete.return_value = False
    with pytest.raises(NotFoundError):
        await service.delete(row_id=3)
    repository.delete.assert_awaited_once_with(row_id=3, owner=None, versions=None)
    assert database.unit_of_work.call_args_list == [call(atomic=False)]


@pytest.mark.parametrize("m", RESOURCES)
async def test_an_owner_scopes_every_call_and_owns_what_it_creates(m: ModuleType) -> None:
    service, repository, _ = _service(m)
    repository.get.return_value = repository.create.return_value = repository.update.return_value = _row(m, 5)
    repository.list.return_value = ([], 0)
    repository.delete.return_value = True
    data = m.CREATE.model_validate(_payload(m, 5))
    await service.create(data=data, owner="alice")
    repository.create.assert_awaited_once_with(values={**data.model_dump(), "owner": "alice"})
    await service.get(row_id=5, owner="alice")
    repository.get.assert_awaited_once_with(row_id=5, owner="alice")
    query = m.QUERY()
    await service.list(query=query, owner="alice")
    repository.list.assert_awaited_once_with(query=query, owner="alice")
    await service.replace(row_id=5, data=m.REPLACE.model_validate(_payload(m, 6)), owner="alice")
    assert repository.update.await_args.kwargs["owner"] == "alice"
    await service.delete(row_id=5, owner="alice")
    repository.delete.assert_awaited_once_with(row_id=5, owner="alice", versions=None)


@pytest.mark.parametrize("m", RESOURCES)
async def test_a_write_at_another_version_raises_precondition_failed(m: ModuleType) -> None:
    service, repository, _ = _service(m)
    repository.update.return_value = None  # the row is there, but not at the version named
    repository.delete.return_value = False
    repository.get.return_value = _row(m, 1, row_id=3)
    stale = (datetime(2023, 1, 1, tzinfo=UTC),)
    with pytest.raises(PreconditionFailedError, match="3 has changed since the ETag you sent"):
        await service.update(row_id=3, data=_one_field_update(m, 1), versions=stale)
    assert repository.update.await_args is not None
    assert repository.update.await_args.kwargs["versions"] == stale
    with pytest.raises(PreconditionFailedError):
        await service.replace(row_id=3, data=m.REPLACE.model_validate(_payload(m, 1)), versions=stale)
    with pytest.raises(PreconditionFailedError):
        await service.delete(row_id=3, versions=stale)
    with pytest.raises(PreconditionFailedError):
        await service.update(row_id=3, data=m.UPDATE(), versions=stale)  # nothing to write, still checked


@pytest.mark.parametrize("m", RESOURCES)
async def test_a_conditional_write_to_a_missing_row_raises_not_found(m: ModuleType) -> None:
    service, repository, _ = _service(m)
    repository.update.return_value = None
    repository.get.return_value = None
    with pytest.raises(NotFoundError):
        await service.update(row_id=3, data=_one_field_update(m, 1), versions=(datetime(2023, 1, 1, tzinfo=UTC),))


@pytest.mark.parametrize("m", RESOURCES)
async def test_an_empty_patch_at_the_current_version_answers_the_row(m: ModuleType) -> None:
    service, repository, _ = _service(m)
    row = _row(m, 1, row_id=3)
    repository.get.return_value = row
    found = await service.update(row_id=3, data=m.UPDATE(), versions=(row["updated_at"],))
    assert found.id == 3
    repository.update.assert_not_awaited()
