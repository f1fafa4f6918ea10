"""The executor: runs SQLAlchemy Core statements in one unit of work per request.

Repositories build statements with SQLAlchemy Core and hand them to an `Executor`; they never
see a driver. Two backends serve that interface:

* PostgreSQL (`postgresql+asyncpg://`): each statement is compiled once for the asyncpg dialect
  and runs on asyncpg's own pool. SQLAlchemy's per-statement execution costs several times the
  query itself on a hot path, so it is kept out of it. Reads run without a transaction; the first
  write opens one.
* Anything else (the embedded SQLite default): statements run through a SQLAlchemy `AsyncEngine`,
  which wraps every unit of work, reads included, in one transaction.

A unit of work commits when the request succeeds and rolls back when it fails. Inside
`Database.pinned()` (tests) every unit of work runs on one connection whose outer transaction is
rolled back, its writes becoming savepoints.
"""

from __future__ import annotations

import weakref
from abc import ABC, abstractmethod
from collections.abc import AsyncIterator, Iterator, Mapping
from contextlib import AbstractAsyncContextManager, asynccontextmanager, contextmanager
from typing import TYPE_CHECKING, Any, NamedTuple, Self, cast

import asyncpg
import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.dialects.postgresql.asyncpg import PGDialect_asyncpg
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, create_async_engine
from sqlalchemy.sql.base import Executable

from app.core.config import Settings
from app.core.errors import ConflictError, ServiceUnavailableError

Row = Mapping[str, Any]
if TYPE_CHECKING:
    from asyncpg.pool import PoolConnectionProxy

    PgConnection = asyncpg.Connection[asyncpg.Record] | PoolConnectionProxy[asyncpg.Record]
Params = Mapping[str, Any]

_UNAVAILABLE = "The database is unavailable; retry later."


class Executor(ABC):
    """Runs Core statements for the repositories of one request."""

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
        """Run a write inside the unit of work's transaction; the first RETURNING row, if any."""

    @abstractmethod
    async def finish(self, *, commit: bool) -> None:
        """End the unit of work's transaction, if one was opened."""


class Database(ABC):
    """A pool of connections that hands out units of work."""

    @abstractmethod
    def connection(self) -> AbstractAsyncContextManager[Any]:
        """One pooled driver connection, returned to the pool at exit."""

    @abstractmethod
    def executor(self, connection: Any) -> Executor:
        """An executor bound to `connection`."""

    @abstractmethod
    def pinned(self) -> AbstractAsyncContextManager[Database]:
        """A Database on one connection whose work is all rolled back at exit (for tests)."""

    @abstractmethod
    async def close(self) -> None:
        """Close every pooled connection."""

    @asynccontextmanager
    async def unit_of_work(self) -> AsyncIterator[Executor]:
        """One connection and at most one transaction: commit on success, roll back on error."""
        async with self.connection() as connection:
            executor = self.executor(connection)
            try:
                yield executor
            except BaseException:
                await executor.finish(commit=False)
                raise
            await executor.finish(commit=True)


class _Compiled(NamedTuple):
    sql: str
    names: tuple[str, ...]
    defaults: dict[str, Any]


class StatementCompiler:
    """Compiles each statement once for a dialect; an entry lives as long as its statement."""

    def __init__(self, dialect: sa.Dialect) -> None:
        self._dialect = dialect
        self._cache: weakref.WeakKeyDictionary[Executable, _Compiled] = weakref.WeakKeyDictionary()

    def __call__(self, statement: Executable, params: Params | None) -> tuple[str, list[Any]]:
        """The SQL text and positional arguments for `statement` with `params`."""
        compiled = self._cache.get(statement)
        if compiled is None:
            compiled = self._cache[statement] = self._compile(statement)
        values = {**compiled.defaults, **(params or {})}
        missing = [name for name in compiled.names if name not in values]
        if missing:
            raise ValueError(f"missing statement parameter(s): {', '.join(missing)}")
        return compiled.sql, [values[name] for name in compiled.names]

    def _compile(self, statement: Executable) -> _Compiled:
        compiled = statement.compile(dialect=self._dialect)  # type: ignore[attr-defined]
        names = tuple(compiled.positiontup or ())
        defaults = {name: compiled.binds[name].value for name in names if not compiled.binds[name].required}
        return _Compiled(str(compiled), names, defaults)


@contextmanager
def _asyncpg_errors() -> Iterator[None]:
    try:
        yield
    except asyncpg.IntegrityConstraintViolationError as exc:
        raise ConflictError(f"The request conflicts with stored data ({exc.constraint_name or exc}).") from exc
    except (
        OSError,
        TimeoutError,
        asyncpg.PostgresConnectionError,
        asyncpg.InterfaceError,
        asyncpg.CannotConnectNowError,
        asyncpg.TooManyConnectionsError,
    ) as exc:
        raise ServiceUnavailableError(_UNAVAILABLE) from exc


class _AsyncpgExecutor(Executor):
    def __init__(self, connection: PgConnection, compile_: StatementCompiler) -> None:
        self._connection = connection
        self._compile = compile_
        self._transaction: Any = None

    async def fetch_one(self, statement: Executable, params: Params | None = None) -> Row | None:
        sql, args = self._compile(statement, params)
        with _asyncpg_errors():
            row = await self._connection.fetchrow(sql, *args)
        return cast(Row | None, row)

    async def fetch_all(self, statement: Executable, params: Params | None = None) -> list[Row]:
        sql, args = self._compile(statement, params)
        with _asyncpg_errors():
            rows = await self._connection.fetch(sql, *args)
        return cast(list[Row], rows)

    async def write(self, statement: Executable, params: Params | None = None) -> Row | None:
        if self._transaction is None:
            self._transaction = self._connection.transaction()
            with _asyncpg_errors():
                await self._transaction.start()
        return await self.fetch_one(statement, params)

    async def finish(self, *, commit: bool) -> None:
        transaction, self._transaction = self._transaction, None
        if transaction is None:
            return
        with _asyncpg_errors():
            await (transaction.commit() if commit else transaction.rollback())


class AsyncpgDatabase(Database):
    """PostgreSQL through asyncpg's pool, statements compiled once by SQLAlchemy."""

    def __init__(
        self,
        pool: asyncpg.Pool[asyncpg.Record],
        settings: Settings,
        pinned: PgConnection | None = None,
    ) -> None:
        self._pool = pool
        self._settings = settings
        self._pinned = pinned
        self._compile = StatementCompiler(PGDialect_asyncpg())  # type: ignore[no-untyped-call]

    @classmethod
    async def connect(cls, settings: Settings) -> Self:
        """Create the pool; with a zero minimum it connects on first use."""
        url = sa.make_url(settings.database_url).set(drivername="postgresql")
        pool = asyncpg.create_pool(
            url.render_as_string(hide_password=False),
            min_size=settings.db_pool_min_size,
            max_size=settings.db_pool_max_size,
            command_timeout=settings.db_command_timeout,
        )
        with _asyncpg_errors():
            await pool
        return cls(pool, settings)

    @asynccontextmanager
    async def connection(self) -> AsyncIterator[PgConnection]:
        if self._pinned is not None:
            yield self._pinned
            return
        with _asyncpg_errors():
            connection = await self._pool.acquire(timeout=self._settings.db_pool_timeout)
        try:
            yield connection
        finally:
            await self._pool.release(connection)

    def executor(self, connection: PgConnection) -> Executor:
        return _AsyncpgExecutor(connection, self._compile)

    @asynccontextmanager
    async def pinned(self) -> AsyncIterator[AsyncpgDatabase]:
        async with self.connection() as connection:
            transaction = connection.transaction()
            await transaction.start()
            try:
                yield AsyncpgDatabase(self._pool, self._settings, pinned=connection)
            finally:
                await transaction.rollback()

    async def close(self) -> None:
        await self._pool.close()


@contextmanager
def _sqlalchemy_errors() -> Iterator[None]:
    try:
        yield
    except sa.exc.IntegrityError as exc:
        raise ConflictError(f"The request conflicts with stored data ({exc.orig}).") from exc
    except (OSError, TimeoutError, sa.exc.OperationalError, sa.exc.TimeoutError) as exc:
        raise ServiceUnavailableError(_UNAVAILABLE) from exc


class _SqlAlchemyExecutor(Executor):
    def __init__(self, connection: AsyncConnection) -> None:
        self._connection = connection
        self._owns_transaction = not connection.in_transaction()
        self._savepoint: Any = None

    async def fetch_one(self, statement: Executable, params: Params | None = None) -> Row | None:
        with _sqlalchemy_errors():
            result = await self._connection.execute(statement, dict(params or {}))
            return cast(Row | None, result.mappings().first())

    async def fetch_all(self, statement: Executable, params: Params | None = None) -> list[Row]:
        with _sqlalchemy_errors():
            result = await self._connection.execute(statement, dict(params or {}))
            return cast(list[Row], list(result.mappings().all()))

    async def write(self, statement: Executable, params: Params | None = None) -> Row | None:
        if not self._owns_transaction and self._savepoint is None:
            self._savepoint = await self._connection.begin_nested()
        with _sqlalchemy_errors():
            result = await self._connection.execute(statement, dict(params or {}))
            return cast(Row | None, result.mappings().first()) if result.returns_rows else None

    async def finish(self, *, commit: bool) -> None:
        savepoint, self._savepoint = self._savepoint, None
        with _sqlalchemy_errors():
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
    """Any SQLAlchemy async URL (the SQLite default) through an AsyncEngine."""

    def __init__(self, engine: AsyncEngine, pinned: AsyncConnection | None = None) -> None:
        self._engine = engine
        self._pinned = pinned

    @classmethod
    def from_settings(cls, settings: Settings) -> Self:
        """An engine for `settings.database_url`."""
        engine = create_async_engine(settings.database_url)
        if engine.dialect.name == "sqlite":
            _configure_sqlite(engine)
        return cls(engine)

    @asynccontextmanager
    async def connection(self) -> AsyncIterator[AsyncConnection]:
        if self._pinned is not None:
            yield self._pinned
            return
        with _sqlalchemy_errors():
            connection = await self._engine.connect()
        try:
            yield connection
        finally:
            await connection.close()

    def executor(self, connection: AsyncConnection) -> Executor:
        return _SqlAlchemyExecutor(connection)

    @asynccontextmanager
    async def pinned(self) -> AsyncIterator[SqlAlchemyDatabase]:
        async with self.connection() as connection:
            await connection.begin()
            try:
                yield SqlAlchemyDatabase(self._engine, pinned=connection)
            finally:
                await connection.rollback()

    async def close(self) -> None:
        await self._engine.dispose()


async def open_database(settings: Settings) -> Database:
    """The backend for `settings.database_url`."""
    if sa.make_url(settings.database_url).drivername == "postgresql+asyncpg":
        return await AsyncpgDatabase.connect(settings)
    return SqlAlchemyDatabase.from_settings(settings)
