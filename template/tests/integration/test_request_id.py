"""Every answer names its request: the caller's sane X-Request-ID, or a new one, also in problem bodies."""

import logging
import re

import httpx
import pytest
from fastapi import FastAPI

from app.core.config import Settings
from tests.helpers import RESOURCES, assert_problem

GENERATED = re.compile(r"[0-9a-f]{32}")


async def test_a_sane_request_id_is_echoed_and_quoted_in_the_problem(client: httpx.AsyncClient) -> None:
    response = await client.get(f"{RESOURCES[0].URL}/999999", headers={"X-Request-ID": "checkout-7f3a.1_b"})
    assert response.headers["x-request-id"] == "checkout-7f3a.1_b"
    assert assert_problem(response, 404)["request_id"] == "checkout-7f3a.1_b"


@pytest.mark.parametrize("given", [None, b"", b"x" * 65, b"two words", b"<script>", "idé".encode("latin-1")])
async def test_a_missing_or_unsafe_request_id_is_replaced(client: httpx.AsyncClient, given: bytes | None) -> None:
    headers = {} if given is None else {b"X-Request-ID": given}
    response = await client.get(RESOURCES[0].URL, headers=headers)
    assert response.status_code == 200
    assert GENERATED.fullmatch(response.headers["x-request-id"])


async def test_two_requests_get_two_ids(client: httpx.AsyncClient) -> None:
    first, second = await client.get("/health/live"), await client.get("/health/live")
    assert first.headers["x-request-id"] != second.headers["x-request-id"]


async def test_an_unexpected_error_names_its_request_in_the_answer_and_the_log(
    app: FastAPI, client: httpx.AsyncClient, caplog: pytest.LogCaptureFixture
) -> None:
    m = RESOURCES[0]

    async def broken() -> None:
        raise RuntimeError("boom")

    app.dependency_overrides[m.DEPENDENCY] = broken
    response = await client.get(f"{m.URL}/1", headers={"X-Request-ID": "req-500"})
    assert assert_problem(response, 500)["request_id"] == "req-500"
    assert response.headers["x-request-id"] == "req-500"
    errors = [record.getMessage() for record in caplog.records if record.levelno == logging.ERROR]
    assert any("(request req-500)" in message for message in errors)


async def test_a_body_refused_by_the_limit_names_its_request(client: httpx.AsyncClient, settings: Settings) -> None:
    body = b"x" * (settings.max_body_bytes + 1)
    response = await client.post(RESOURCES[0].URL, content=body, headers={"X-Request-ID": "big-1"})
    assert assert_problem(response, 413)["request_id"] == "big-1"
