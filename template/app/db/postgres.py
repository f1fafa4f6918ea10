"""PostgreSQL backend: statements compiled once by SQLAlchemy, run on asyncpg's own pool."""

from __future__ import annotations

import asyncio
from contextlib import asynccontextmanager
from typing import TYPE_CHECKING, Any, NamedTuple, Self, cast

import asyncpg
import sqlalchemy as sa
from sqlalchemy.dialects.postgresql.asyncpg import PGDialect_asyncpg
from sqlalchemy.sql.base import Executable

from app.core.config import Settings
from app.core.errors import ConflictError, ReferenceConflict, ServiceUnavailableError, UnstorableValueError
from app.db.executor import Database, Executor, Params, PoolUsage, Row

if TYPE_CHECKING:
    from collections.abc import AsyncIterator

    from asyncpg.pool import PoolConnectionProxy

    PgConnection = asyncpg.Connection[asyncpg.Record] | PoolConnectionProxy[asyncpg.Record]

_UNAVAILABLE = "The database is unavailable; retry later."
_CONNECTION_ERRORS = (
    OSError,
    TimeoutError,
    asyncpg.PostgresConnectionError,
    asyncpg.InterfaceError,
    asyncpg.CannotConnectNowError,
    asyncpg.TooManyConnectionsError,
)
_CACHE_LIMIT = 1024


class _Compiled(NamedTuple):
    sql: str
    names: tuple[str, ...]
    defaults: dict[str, Any]


class StatementCompiler:
    """Compiles each statement once for the asyncpg dialect.

    Entries are keyed by the statement object: build statements once (module constants or an
    `lru_cache`), not per call. The cache is cleared if it ever outgrows its limit.
    """

    def __init__(self) -> None:
        self._dialect = PGDialect_asyncpg()  # type: ignore[no-untyped-call]
        self._cache: dict[Executable, _Compiled] = {}

    def __call__(self, statement: Executable, params: Params | None) -> tuple[str, list[Any]]:
        """The SQL text and positional arguments for `statement` with `params`."""
        compiled = self._cache.get(statement)
        if compiled is None:
            compiled = self._compile(statement)
        values = {**compiled.defaults, **params} if params else compiled.defaults
        try:
            return compiled.sql, [values[name] for name in compiled.names]
        except KeyError as missing:
            raise ValueError(f"statement parameter {missing} was not given") from None

    def _compile(self, statement: Executable) -> _Compiled:
        compiled = statement.compile(dialect=self._dialect)  # type: ignore[attr-defined]
        names = tuple(compiled.positiontup or ())
        defaults = {name: compiled.binds[name].value for name in names if not compiled.binds[name].required}
        if len(self._cache) >= _CACHE_LIMIT:
            self._cache.clear()
        self._cache[statement] = entry = _Compiled(str(compiled), names, defaults)
        return entry


def _translated(exc: Exception) -> Exception:
    """The domain error for a driver error, or the error itself."""
    if isinstance(exc, asyncpg.ForeignKeyViolationError):
        return ReferenceConflict(f"The request conflicts with a reference between rows ({exc.constraint_name}).")
    if isinstance(exc, asyncpg.IntegrityConstraintViolationError):
        return ConflictError(f"The request conflicts with stored data ({exc.constraint_name or exc}).")
    if isinstance(exc, _CONNECTION_ERRORS):
        return ServiceUnavailableError(_UNAVAILABLE)
    if isinstance(exc, asyncpg.DataError):  # e.g. a NUL character, which PostgreSQL text cannot hold
        return UnstorableValueError(f"A value of the request cannot be stored: {exc}.")
    return exc


class _AsyncpgExecutor(Executor):
    def __init__(self, connection: PgConnection, compile_: StatementCompiler, *, atomic: bool) -> None:
        super().__init__(atomic=atomic)
        self._connection = connection
        self._compile = compile_
        self._transaction: Any = None

    async def fetch_one(self, statement: Executable, params: Params | None = None) -> Row | None:
        sql, args = self._compile(statement, params)
        try:
            row = await self._connection.fetchrow(sql, *args)
        except Exception as exc:
            raise _translated(exc) from exc
        return cast(Row | None, row)

    async def fetch_all(self, statement: Executable, params: Params | None = None) -> list[Row]:
        sql, args = self._compile(statement, params)
        try:
            rows = await self._connection.fetch(sql, *args)
        except Exception as exc:
            raise _translated(exc) from exc
        return cast(list[Row], rows)

    async def write(self, statement: Executable, params: Params | None = None) -> Row | None:
        self._count_write()
        # Inside an outer transaction (tests) every write gets a savepoint, so a failed one can be undone.
        if self._transaction is None and (self._atomic or self._connection.is_in_transaction()):
            self._transaction = self._connection.transaction()
            try:
                await self._transaction.start()
            except Exception as exc:
                raise _translated(exc) from exc
        return await self.fetch_one(statement, params)

    async def finish(self, *, commit: bool) -> None:
        transaction, self._transaction = self._transaction, None
        if transaction is None:
            return
        try:
            await (transaction.commit() if commit else transaction.rollback())
        except Exception as exc:
            raise _translated(exc) from exc


async def _keep_session(connection: PgConnection) -> None:
    """Pool reset hook that sends nothing: asyncpg has already rolled back any open transaction."""
    # The service changes no other session state (SET, LISTEN, advisory locks), so the default
    # reset query, one more round trip per request, is skipped.


class AsyncpgDatabase(Database):
    """PostgreSQL through asyncpg's pool."""

    def __init__(
        self,
        pool: asyncpg.Pool[asyncpg.Record],
        settings: Settings,
        pinned: PgConnection | None = None,
    ) -> None:
        self._pool = pool
        self._settings = settings
        self._pinned = pinned
        # One slot per pooled connection: waiting requests are served first come, first served,
        # and a request that finds a free slot pays for no timeout machinery.
        self._slots = asyncio.Semaphore(settings.db_pool_max_size)
        self._in_use = self._waiting = 0
        self._compile = StatementCompiler()

    @classmethod
    async def connect(cls, settings: Settings) -> Self:
        """Create the pool; with a zero minimum it connects on first use."""
        url = sa.make_url(settings.database_url).set(drivername="postgresql")
        pool = asyncpg.create_pool(
            url.render_as_string(hide_password=False),
            min_size=settings.db_pool_min_size,
            max_size=settings.db_pool_max_size,
            command_timeout=settings.db_command_timeout,
            reset=_keep_session,
        )
        try:
            await pool
        except Exception as exc:
            raise _translated(exc) from exc
        return cls(pool, settings)

    async def acquire(self) -> PgConnection:
        if self._pinned is not None:
            return self._pinned
        await self._take_slot()
        try:
            connection = await self._pool.acquire()
        except Exception as exc:
            self._slots.release()
            raise _translated(exc) from exc
        self._in_use += 1
        return connection

    async def release(self, connection: PgConnection) -> None:
        if self._pinned is not None:
            return
        self._in_use -= 1
        try:
            await self._pool.release(cast("PoolConnectionProxy[asyncpg.Record]", connection))
        finally:
            self._slots.release()

    async def _take_slot(self) -> None:
        if not self._slots.locked():
            await self._slots.acquire()  # a slot is free: this does not suspend
            return
        timeout = self._settings.db_pool_timeout
        self._waiting += 1
        try:
            async with asyncio.timeout(timeout):
                await self._slots.acquire()
        except TimeoutError as exc:
            raise ServiceUnavailableError(f"No database connection became free within {timeout} s.") from exc
        finally:
            self._waiting -= 1

    def executor(self, connection: PgConnection, *, atomic: bool) -> Executor:
        return _AsyncpgExecutor(connection, self._compile, atomic=atomic)

    @asynccontextmanager
    async def pinned(self) -> AsyncIterator[Database]:
        connection = await self.acquire()
        transaction = connection.transaction()
        await transaction.start()
        try:
            yield AsyncpgDatabase(self._pool, self._settings, pinned=connection)
        finally:
            await transaction.rollback()
            await self.release(connection)

    async def close(self) -> None:
        await self._pool.close()

    def pool_usage(self) -> PoolUsage:
        return PoolUsage(self._pool.get_size(), self._in_use, self._waiting, self._settings.db_pool_max_size)
