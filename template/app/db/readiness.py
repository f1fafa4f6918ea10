"""Readiness: the database answers and its schema is at the migration head."""

import asyncio
from pathlib import Path

import sqlalchemy as sa
from alembic.config import Config
from alembic.script import ScriptDirectory

from app.core.errors import ServiceUnavailableError
from app.db.executor import Database

_NOT_MIGRATED = "The database has no migrations applied; run `alembic upgrade head`."
_APPLIED = sa.select(sa.column("version_num", sa.String())).select_from(sa.table("alembic_version"))


def migration_heads(alembic_config: Path) -> frozenset[str]:
    """The head revisions of the migration scripts shipped with the service."""
    return frozenset(ScriptDirectory.from_config(Config(alembic_config)).get_heads())


async def _applied_revisions(database: Database) -> frozenset[str]:
    async with database.unit_of_work() as executor:
        try:
            rows = await executor.fetch_all(_APPLIED)
        except ServiceUnavailableError:
            raise
        except Exception as exc:  # the table is missing: no migration ever ran
            raise ServiceUnavailableError(_NOT_MIGRATED) from exc
    return frozenset(str(row["version_num"]) for row in rows)


async def check_ready(database: Database, heads: frozenset[str], seconds: float) -> frozenset[str]:
    """The applied revisions; ServiceUnavailableError unless they are the heads, within `seconds`."""
    try:
        async with asyncio.timeout(seconds):
            applied = await _applied_revisions(database)
    except TimeoutError as exc:
        raise ServiceUnavailableError(f"The database did not answer within {seconds} s.") from exc
    if applied != heads:
        raise ServiceUnavailableError(
            f"The database is at revision {', '.join(sorted(applied)) or 'none'}, "
            f"expected {', '.join(sorted(heads))}; run `alembic upgrade head`."
        )
    return applied
