"""Liveness and readiness probes."""

import httpx
from fastapi import FastAPI

from app.db.readiness import Migrations


async def test_live_answers_ok(client: httpx.AsyncClient) -> None:
    response = await client.get("/health/live")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


async def test_ready_reports_the_migration_head(app: FastAPI, client: httpx.AsyncClient) -> None:
    response = await client.get("/health/ready")
    assert response.status_code == 200, response.text
    assert response.json() == {"status": "ready", "revisions": sorted(app.state.migrations.heads)}


async def test_ready_answers_503_while_the_database_is_behind(app: FastAPI, client: httpx.AsyncClient) -> None:
    shipped: Migrations = app.state.migrations
    app.state.migrations = Migrations(heads=frozenset({"0099"}), known=shipped.known | {"0099"})
    response = await client.get("/health/ready")
    assert response.status_code == 503
    assert response.headers["content-type"] == "application/problem+json"
    assert "expected 0099" in response.json()["detail"]


async def test_old_code_stays_ready_after_a_newer_release_migrated(app: FastAPI, client: httpx.AsyncClient) -> None:
    """Rolling deploy: the database carries a revision this code does not know; it keeps serving."""
    app.state.migrations = Migrations(heads=frozenset({"0000"}), known=frozenset({"0000"}))
    response = await client.get("/health/ready")
    assert response.status_code == 200, response.text
