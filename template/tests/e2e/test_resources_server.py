"""Every resource's API driven over real HTTP against a running server."""

from collections.abc import AsyncIterator
from types import ModuleType

import httpx
import pytest

from tests.helpers import create, each_resource, parents

pytestmark = pytest.mark.e2e


@pytest.fixture(name="http")
async def fixture_http(base_url: str) -> AsyncIterator[httpx.AsyncClient]:
    """A client of the running server."""
    async with httpx.AsyncClient(base_url=base_url, timeout=10.0) as client:
        yield client


@pytest.mark.parametrize("m", each_resource())
async def test_lifecycle_over_http(http: httpx.AsyncClient, m: ModuleType) -> None:
    n = m.E2E_N
    created = await create(http, m.NAME, n + 1)
    location = f"{m.URL}/{created['id']}"
    try:
        assert (await http.get(location)).json() == created
        field = m.FIELDS[0]
        patched = await http.patch(location, json={field: m.payload(n + 2, await parents(http, m.NAME, n + 2))[field]})
        assert patched.status_code == 200, patched.text
        replaced = await http.put(location, json=m.payload(n + 3, await parents(http, m.NAME, n + 3)))
        assert replaced.status_code == 200, replaced.text
        listed = await http.get(m.URL, params={"sort": "-id", "limit": 100})
        assert created["id"] in [item["id"] for item in listed.json()["items"]]
    finally:
        assert (await http.delete(location)).status_code == 204
    missing = await http.get(location)
    assert missing.status_code == 404
    assert missing.headers["content-type"] == "application/problem+json"


@pytest.mark.parametrize("m", each_resource())
async def test_validation_error_over_http(http: httpx.AsyncClient, m: ModuleType) -> None:
    response = await http.post(m.URL, json={"unexpected": True})
    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["errors"]
