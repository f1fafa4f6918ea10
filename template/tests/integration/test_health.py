"""Liveness and readiness probes."""

import httpx
from fastapi import FastAPI


async def test_live_answers_ok(client: httpx.AsyncClient) -> None:
    response = await client.get("/health/live")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


async def test_ready_reports_the_migration_head(app: FastAPI, client: httpx.AsyncClient) -> None:
    response = await client.get("/health/ready")
    assert response.status_code == 200, response.text
    assert response.json() == {"status": "ready", "revisions": sorted(app.state.migration_heads)}


async def test_ready_answers_503_when_not_at_head(app: FastAPI, client: httpx.AsyncClient) -> None:
    app.state.migration_heads = frozenset({"a_newer_revision"})
    response = await client.get("/health/ready")
    assert response.status_code == 503
    assert response.headers["content-type"] == "application/problem+json"
    assert "a_newer_revision" in response.json()["detail"]
