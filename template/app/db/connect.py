"""Open the backend that serves `settings.database_url`."""

import sqlalchemy as sa

from app.core.config import Settings
from app.db.engine import SqlAlchemyDatabase
from app.db.executor import Database
from app.db.postgres import AsyncpgDatabase


async def open_database(settings: Settings) -> Database:
    """asyncpg's own pool for `postgresql+asyncpg://`, an AsyncEngine for any other URL."""
    if sa.make_url(settings.database_url).drivername == "postgresql+asyncpg":
        return await AsyncpgDatabase.connect(settings)
    return SqlAlchemyDatabase.from_settings(settings)
