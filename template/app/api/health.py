"""Liveness and readiness probes."""

from typing import Literal

from fastapi import APIRouter, Request
from pydantic import BaseModel

from app.api.deps import DatabaseDep
from app.core.config import get_settings
from app.core.errors import problem_responses
from app.db.readiness import Migrations, check_ready

router = APIRouter(prefix="/health", tags=["health"])


class Liveness(BaseModel):
    """The process is running."""

    status: Literal["ok"] = "ok"


class Readiness(BaseModel):
    """The service can serve requests: its database answers at the migration head (or ahead of it)."""

    status: Literal["ready"] = "ready"
    revisions: list[str]


@router.get("/live")
async def live() -> Liveness:
    """Answers while the process runs; touches nothing else."""
    return Liveness()


@router.get("/ready", responses=problem_responses(503))
async def ready(request: Request, database: DatabaseDep) -> Readiness:
    """200 when the database answers and is migrated to the head revision or beyond, else 503."""
    migrations: Migrations = request.app.state.migrations
    applied = await check_ready(database, migrations, get_settings().ready_timeout)
    return Readiness(revisions=sorted(applied))
