"""The executor: runs SQLAlchemy Core statements in one unit of work per service call.

Repositories build statements with SQLAlchemy Core and hand them to an `Executor`; they never
see a driver. `app.db.connect.open_database()` picks one of the two backends that serve it:

* `app.db.postgres` for `postgresql+asyncpg://`: each statement is compiled once for the asyncpg
  dialect and runs on asyncpg's own pool. SQLAlchemy's per-statement execution costs several
  times the query itself on a hot path, so it is kept out of it. Reads run without a
  transaction; the first write opens one.
* `app.db.engine` for anything else (the embedded SQLite default): statements run through a
  SQLAlchemy `AsyncEngine`, which wraps every unit of work, reads included, in one transaction.

A unit of work commits when it ends normally and rolls back when an exception leaves it. Inside
`Database.pinned()` (tests) every unit of work runs on one connection whose outer transaction is
rolled back, its writes becoming savepoints.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Mapping
from contextlib import AbstractAsyncContextManager
from types import TracebackType
from typing import Any, NamedTuple

from sqlalchemy.sql.base import Executable

Row = Mapping[str, Any]
Params = Mapping[str, Any]


class PoolUsage(NamedTuple):
    """How the connection pool is used right now, for the metrics."""

    open: int  # connections the pool holds
    in_use: int  # connections serving a unit of work
    waiting: int  # units of work waiting for a free connection
    max_size: int  # connections the pool opens at most


class Executor(ABC):
    """Runs Core statements for the repositories of one unit of work."""

    def __init__(self, *, atomic: bool) -> None:
        self._atomic = atomic
        self._writes = 0

    def _count_write(self) -> None:
        """Refuse a second write in a unit of work opened without a transaction."""
        self._writes += 1
        if not self._atomic and self._writes > 1:
            raise RuntimeError("a unit of work opened with atomic=False may run one write; use atomic=True")

    @abstractmethod
    async def fetch_one(self, statement: Executable, params: Params | None = None) -> Row | None:
        """The first row of a read, or None."""

    @abstractmethod
    async def fetch_all(self, statement: Executable, params: Params | None = None) -> list[Row]:
        """Every row of a read."""

    async def fetch_value(self, statement: Executable, params: Params | None = None) -> Any:
        """The first column of the first row of a read, or None."""
        row = await self.fetch_one(statement, params)
        return None if row is None else next(iter(row.values()))

    @abstractmethod
    async def write(self, statement: Executable, params: Params | None = None) -> Row | None:
        """Run a write in the unit of work; the first RETURNING row, if any."""

    @abstractmethod
    async def finish(self, *, commit: bool) -> None:
        """End the unit of work's transaction, if one was opened."""


class Database(ABC):
    """A pool of connections that hands out units of work."""

    @abstractmethod
    async def acquire(self) -> Any:
        """Take a driver connection from the pool."""

    @abstractmethod
    async def release(self, connection: Any) -> None:
        """Give a connection back to the pool."""

    @abstractmethod
    def executor(self, connection: Any, *, atomic: bool) -> Executor:
        """An executor bound to `connection`."""

    @abstractmethod
    def pinned(self) -> AbstractAsyncContextManager[Database]:
        """A Database on one connection whose work is all rolled back at exit (for tests)."""

    @abstractmethod
    async def close(self) -> None:
        """Close every pooled connection."""

    @abstractmethod
    def pool_usage(self) -> PoolUsage:
        """How the pool is used right now."""

    def unit_of_work(self, *, atomic: bool = True) -> UnitOfWork:
        """One connection and at most one transaction: commit on success, roll back on error.

        `atomic=False` suits a unit of work with a single write statement, which the database
        runs atomically on its own: on PostgreSQL it then needs no BEGIN and COMMIT.
        """
        return UnitOfWork(self, atomic=atomic)


class UnitOfWork:
    """`async with database.unit_of_work() as executor:` (a class, cheaper than a generator)."""

    __slots__ = ("_atomic", "_connection", "_database", "_executor")

    def __init__(self, database: Database, *, atomic: bool) -> None:
        self._database = database
        self._atomic = atomic

    async def __aenter__(self) -> Executor:
        self._connection = await self._database.acquire()
        self._executor = self._database.executor(self._connection, atomic=self._atomic)
        return self._executor

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        try:
            await self._executor.finish(commit=exc_type is None)
        finally:
            await self._database.release(self._connection)
