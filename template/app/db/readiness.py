"""Readiness: the database answers and its schema is at the service's migration head, or ahead of it."""

import asyncio
from dataclasses import dataclass
from pathlib import Path

import sqlalchemy as sa
from alembic.config import Config
from alembic.script import ScriptDirectory

from app.core.errors import ServiceUnavailableError
from app.db.executor import Database

_NOT_MIGRATED = "The database has no migrations applied; run `alembic upgrade head`."
_APPLIED = sa.select(sa.column("version_num", sa.String())).select_from(sa.table("alembic_version"))


@dataclass(frozen=True)
class Migrations:
    """The migration scripts shipped with the service: their heads and every revision they hold."""

    heads: frozenset[str]
    known: frozenset[str]

    def serves(self, applied: frozenset[str]) -> bool:
        """At the heads, or ahead: a revision this code does not know comes from a newer release that
        migrated first during a rolling deploy, and its migrations keep the old code working."""
        return applied == self.heads or bool(applied - self.known)


def shipped_migrations(alembic_config: Path) -> Migrations:
    """Read the service's migration scripts."""
    script = ScriptDirectory.from_config(Config(alembic_config))
    known = frozenset(revision.revision for revision in script.walk_revisions())
    return Migrations(heads=frozenset(script.get_heads()), known=known)


async def _applied_revisions(database: Database) -> frozenset[str]:
    async with database.unit_of_work() as executor:
        try:
            rows = await executor.fetch_all(_APPLIED)
        except ServiceUnavailableError:
            raise
        except Exception as exc:  # the table is missing: no migration ever ran
            raise ServiceUnavailableError(_NOT_MIGRATED) from exc
    return frozenset(str(row["version_num"]) for row in rows)


async def check_ready(database: Database, migrations: Migrations, seconds: float) -> frozenset[str]:
    """The applied revisions; ServiceUnavailableError when they are behind the heads or no answer in `seconds`."""
    try:
        async with asyncio.timeout(seconds):
            applied = await _applied_revisions(database)
    except TimeoutError as exc:
        raise ServiceUnavailableError(f"The database did not answer within {seconds} s.") from exc
    if not migrations.serves(applied):
        raise ServiceUnavailableError(
            f"The database is at revision {', '.join(sorted(applied)) or 'none'}, "
            f"expected {', '.join(sorted(migrations.heads))}; run `alembic upgrade head`."
        )
    return applied
