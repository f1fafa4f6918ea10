"""Request bodies above MAX_BODY_BYTES are refused with 413 before the route reads them."""

from collections.abc import AsyncIterator

import httpx

from app.core.config import Settings
from tests.helpers import RESOURCES, assert_problem


async def test_a_declared_body_above_the_limit_is_refused(client: httpx.AsyncClient, settings: Settings) -> None:
    m = RESOURCES[0]
    before = (await client.get(m.URL)).json()["total"]
    body = b'{"padding": "' + b"x" * settings.max_body_bytes + b'"}'
    response = await client.post(m.URL, content=body, headers={"Content-Type": "application/json"})
    assert f"larger than {settings.max_body_bytes} bytes" in assert_problem(response, 413)["detail"]
    assert (await client.get(m.URL)).json()["total"] == before


async def test_a_chunked_body_is_cut_off_at_the_limit(client: httpx.AsyncClient, settings: Settings) -> None:
    sent = 0

    async def chunks() -> AsyncIterator[bytes]:
        nonlocal sent
        for _ in range(settings.max_body_bytes // 65_536 + 50):
            sent += 65_536
            yield b"x" * 65_536

    response = await client.post(RESOURCES[0].URL, content=chunks(), headers={"Content-Type": "application/json"})
    assert "content-length" not in response.request.headers
    assert_problem(response, 413)
    assert sent <= settings.max_body_bytes + 65_536  # reading stopped at the first chunk past the limit


async def test_a_body_within_the_limit_reaches_the_route(client: httpx.AsyncClient) -> None:
    body = b'{"not_a_field": 1}'
    response = await client.post(RESOURCES[0].URL, content=body, headers={"Content-Type": "application/json"})
    errors = assert_problem(response, 422)["errors"]
    assert ["body", "not_a_field"] in [error["loc"] for error in errors]  # the route read the body
