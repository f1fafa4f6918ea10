"""A statement that runs past DB_COMMAND_TIMEOUT is cancelled and answered with a 503 problem, not a hung request."""

import time
from collections.abc import AsyncIterator

import asyncpg
import httpx
import pytest
import sqlalchemy as sa

from app.core.config import Settings
from tests.helpers import RESOURCES, assert_problem

TIMEOUT = 0.5


@pytest.fixture(name="database_settings")
def fixture_database_settings(settings: Settings) -> Settings:
    """The test database, with statements cut off after half a second."""
    if sa.make_url(settings.database_url).get_backend_name() != "postgresql":
        pytest.skip("DB_COMMAND_TIMEOUT bounds PostgreSQL statements; SQLite runs in process")
    return settings.model_copy(update={"db_command_timeout": TIMEOUT})


@pytest.fixture(name="locked_table")
async def fixture_locked_table(settings: Settings, migrated: None) -> AsyncIterator[str]:
    """Another session holding an exclusive lock on the first resource's table, so every statement on it waits."""
    table = RESOURCES[0].REPOSITORY.table.name
    url = sa.make_url(settings.database_url).set(drivername="postgresql").render_as_string(hide_password=False)
    blocker = await asyncpg.connect(url)
    try:
        async with blocker.transaction():
            await blocker.execute(f'LOCK TABLE "{table}" IN ACCESS EXCLUSIVE MODE')
            yield table
    finally:
        await blocker.close()


async def test_a_statement_past_the_timeout_answers_503(client: httpx.AsyncClient, locked_table: str) -> None:
    started = time.perf_counter()
    response = await client.get(f"{RESOURCES[0].URL}/1")
    elapsed = time.perf_counter() - started
    assert "retry later" in assert_problem(response, 503)["detail"]
    assert TIMEOUT <= elapsed < TIMEOUT + 5
