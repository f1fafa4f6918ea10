"""Throwaway PostgreSQL databases on the server named by TEST_DATABASE_URL."""

import asyncio
import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from urllib.parse import urlsplit, urlunsplit

import asyncpg

SERVER_URL_VARIABLE = "TEST_DATABASE_URL"


def server_url() -> str | None:
    """The PostgreSQL server URL from the environment, or None when it is not set."""
    return os.environ.get(SERVER_URL_VARIABLE) or None


def with_database(url: str, scheme: str, database: str | None = None) -> str:
    """`url` with its scheme replaced and, when given, its database name."""
    parts = urlsplit(url)
    path = f"/{database}" if database is not None else parts.path
    return urlunsplit((scheme, parts.netloc, path, parts.query, parts.fragment))


def _admin_dsn(url: str) -> str:
    return with_database(url, "postgresql")


async def _execute(url: str, sql: str) -> None:
    connection = await asyncpg.connect(_admin_dsn(url))
    try:
        await connection.execute(sql)
    finally:
        await connection.close()


@contextmanager
def fresh_database(url: str, label: str) -> Iterator[str]:
    """Create an empty database on the server of `url`; yield its async URL; drop it afterwards."""
    name = f"fastapi_ms_{label}_{uuid.uuid4().hex[:8]}".replace("-", "_").replace(".", "_")
    asyncio.run(_execute(url, f'CREATE DATABASE "{name}"'))
    try:
        yield with_database(url, "postgresql+asyncpg", name)
    finally:
        asyncio.run(_execute(url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
