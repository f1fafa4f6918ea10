"""Backend for any other SQLAlchemy async URL (the embedded SQLite default): an AsyncEngine."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager
from typing import Any, Self, cast

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.ext import asyncio as sa_asyncio
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine
from sqlalchemy.pool import QueuePool
from sqlalchemy.sql.base import Executable

from app.core.config import Settings
from app.core.errors import ConflictError, ReferenceConflict, ServiceUnavailableError, UnstorableValueError
from app.db.executor import Database, Executor, Params, PoolUsage, Row


@contextmanager
def _translated_errors() -> Iterator[None]:
    try:
        yield
    except sa.exc.IntegrityError as exc:
        if "FOREIGN KEY" in str(exc.orig):
            raise ReferenceConflict("The request conflicts with a reference between rows.") from exc
        raise ConflictError(f"The request conflicts with stored data ({exc.orig}).") from exc
    except sa.exc.DataError as exc:
        raise UnstorableValueError(f"A value of the request cannot be stored: {exc.orig}.") from exc
    except (OSError, TimeoutError, sa.exc.OperationalError, sa.exc.TimeoutError) as exc:
        raise ServiceUnavailableError("The database is unavailable; retry later.") from exc


class _SqlAlchemyExecutor(Executor):
    def __init__(self, connection: AsyncConnection, *, atomic: bool) -> None:
        super().__init__(atomic=atomic)
        self._connection = connection
        self._owns_transaction = not connection.in_transaction()
        self._savepoint: Any = None

    async def fetch_one(self, statement: Executable, params: Params | None = None) -> Row | None:
        with _translated_errors():
            result = await self._connection.execute(statement, dict(params or {}))
            return cast(Row | None, result.mappings().first())

    async def fetch_all(self, statement: Executable, params: Params | None = None) -> list[Row]:
        with _translated_errors():
            result = await self._connection.execute(statement, dict(params or {}))
            return cast(list[Row], list(result.mappings().all()))

    async def write(self, statement: Executable, params: Params | None = None) -> Row | None:
        self._count_write()
        if not self._owns_transaction and self._savepoint is None:
            self._savepoint = await self._connection.begin_nested()
        with _translated_errors():
            result = await self._connection.execute(statement, dict(params or {}))
            return cast(Row | None, result.mappings().first()) if result.returns_rows else None

    async def finish(self, *, commit: bool) -> None:
        savepoint, self._savepoint = self._savepoint, None
        with _translated_errors():
            if savepoint is not None:
                await (savepoint.commit() if commit else savepoint.rollback())
            elif self._owns_transaction and self._connection.in_transaction():
                await (self._connection.commit() if commit else self._connection.rollback())


def _configure_sqlite(engine: AsyncEngine) -> None:
    """Let SQLAlchemy, not the sqlite3 module, emit BEGIN, so savepoints work; enable WAL."""

    @event.listens_for(engine.sync_engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        for pragma in ("journal_mode=WAL", "foreign_keys=ON", "busy_timeout=5000"):
            cursor.execute(f"PRAGMA {pragma}")
        cursor.close()

    @event.listens_for(engine.sync_engine, "begin")
    def _on_begin(connection: sa.Connection) -> None:
        connection.exec_driver_sql("BEGIN")


class SqlAlchemyDatabase(Database):
    """Any SQLAlchemy async URL through an AsyncEngine and its pool."""

    def __init__(self, engine: AsyncEngine, pinned: AsyncConnection | None = None) -> None:
        self._engine = engine
        self._pinned = pinned

    @classmethod
    def from_settings(cls, settings: Settings) -> Self:
        """An engine for `settings.database_url`."""
        # Looked up on its module at each call, so an instrumentation that wraps it (tracing) applies.
        engine = sa_asyncio.create_async_engine(settings.database_url)
        if engine.dialect.name == "sqlite":
            _configure_sqlite(engine)
        return cls(engine)

    async def acquire(self) -> AsyncConnection:
        if self._pinned is not None:
            return self._pinned
        with _translated_errors():
            return await self._engine.connect()

    async def release(self, connection: AsyncConnection) -> None:
        if self._pinned is None:
            await connection.close()

    def executor(self, connection: AsyncConnection, *, atomic: bool) -> Executor:
        return _SqlAlchemyExecutor(connection, atomic=atomic)

    @asynccontextmanager
    async def pinned(self) -> AsyncIterator[Database]:
        connection = await self.acquire()
        await connection.begin()
        try:
            yield SqlAlchemyDatabase(self._engine, pinned=connection)
        finally:
            await connection.rollback()
            await self.release(connection)

    async def close(self) -> None:
        await self._engine.dispose()

    def pool_usage(self) -> PoolUsage:
        pool = self._engine.pool
        if not isinstance(pool, QueuePool):  # SQLite in memory: one connection, nothing to wait for
            return PoolUsage(1, 0, 0, 1)
        return PoolUsage(pool.checkedin() + pool.checkedout(), pool.checkedout(), 0, pool.size())
