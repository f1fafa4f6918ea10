"""Security headers on every answer, CORS only for the origins allowed, and no API docs in production."""

import httpx
import pytest
from fastapi import FastAPI

from app.main import create_app
from tests.helpers import RESOURCES, in_process

POLICY = "default-src 'none'; frame-ancestors 'none'"


async def test_api_answers_are_not_sniffed_framed_or_stored(client: httpx.AsyncClient) -> None:
    for response in (await client.get(RESOURCES[0].URL), await client.get(f"{RESOURCES[0].URL}/999999")):
        assert response.headers["x-content-type-options"] == "nosniff"
        assert response.headers["content-security-policy"] == POLICY
        assert response.headers["cache-control"] == "no-store"


async def test_an_unexpected_error_is_answered_with_them_too(app: FastAPI, client: httpx.AsyncClient) -> None:
    async def broken() -> None:
        raise RuntimeError("boom")

    app.dependency_overrides[RESOURCES[0].DEPENDENCY] = broken
    response = await client.get(RESOURCES[0].URL)
    assert response.status_code == 500
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["content-security-policy"] == POLICY
    assert response.headers["cache-control"] == "no-store"


async def test_the_docs_page_keeps_the_scripts_it_needs(client: httpx.AsyncClient) -> None:
    docs = await client.get("/docs")
    assert docs.status_code == 200
    assert docs.headers["x-content-type-options"] == "nosniff"
    assert "content-security-policy" not in docs.headers
    assert "cache-control" not in (await client.get("/health/live")).headers  # not an /api answer


@pytest.mark.parametrize(("api_docs", "served"), [("false", False), ("true", True)])
async def test_production_serves_no_api_docs_unless_told(
    configured: pytest.MonkeyPatch, api_docs: str, served: bool
) -> None:
    configured.setenv("ENVIRONMENT", "production")
    configured.setenv("API_DOCS", api_docs)
    async with in_process(create_app()) as anonymous:
        for path in ("/docs", "/redoc", "/openapi.json"):
            assert ((await anonymous.get(path)).status_code == 200) == served, path


async def test_cors_answers_only_the_allowed_origins(configured: pytest.MonkeyPatch) -> None:
    configured.setenv("CORS_ORIGINS", '["https://shop.example.com"]')
    preflight = {"Access-Control-Request-Method": "POST", "Access-Control-Request-Headers": "authorization"}
    async with in_process(create_app()) as browser:
        allowed = await browser.options(RESOURCES[0].URL, headers={"Origin": "https://shop.example.com", **preflight})
        assert allowed.status_code == 200
        assert allowed.headers["access-control-allow-origin"] == "https://shop.example.com"
        refused = await browser.options(RESOURCES[0].URL, headers={"Origin": "https://evil.example", **preflight})
        assert "access-control-allow-origin" not in refused.headers
        simple = await browser.get("/health/live", headers={"Origin": "https://evil.example"})
        assert "access-control-allow-origin" not in simple.headers


async def test_no_origin_is_allowed_by_default(client: httpx.AsyncClient) -> None:
    response = await client.get("/health/live", headers={"Origin": "https://shop.example.com"})
    assert "access-control-allow-origin" not in response.headers
