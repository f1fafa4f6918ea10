"""Migrations build the schema: they round-trip, and they match the models exactly."""

import asyncio

import sqlalchemy as sa
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from sqlalchemy.ext.asyncio import create_async_engine

from app.core.config import Settings
from app.models import Base


def _diff(connection: sa.Connection) -> list[object]:
    context = MigrationContext.configure(connection, opts={"compare_type": True})
    return list(compare_metadata(context, Base.metadata))


async def _tables(url: str) -> set[str]:
    engine = create_async_engine(url)
    try:
        async with engine.connect() as connection:
            return set(await connection.run_sync(lambda sync: sa.inspect(sync).get_table_names()))
    finally:
        await engine.dispose()


async def test_models_and_migrations_do_not_drift(settings: Settings, migrated: None) -> None:
    engine = create_async_engine(settings.database_url)
    try:
        async with engine.connect() as connection:
            assert await connection.run_sync(_diff) == []
    finally:
        await engine.dispose()


def test_migrations_round_trip(alembic_config: Config, settings: Settings, migrated: None) -> None:
    tables = set(Base.metadata.tables)
    command.downgrade(alembic_config, "base")
    assert not tables & asyncio.run(_tables(settings.database_url))
    command.upgrade(alembic_config, "head")
    assert tables <= asyncio.run(_tables(settings.database_url))
