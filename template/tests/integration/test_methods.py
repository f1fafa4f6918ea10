"""A method a path does not serve: 405 problem with an `Allow` header naming every method it does serve."""

import httpx
import pytest

from tests.helpers import RESOURCES, assert_problem

COLLECTION, ITEM = "GET, POST", "DELETE, GET, PATCH, PUT"


@pytest.mark.parametrize(
    ("method", "path", "allowed"),
    [
        ("PATCH", RESOURCES[0].URL, COLLECTION),
        ("DELETE", RESOURCES[0].URL, COLLECTION),
        ("POST", f"{RESOURCES[0].URL}/1", ITEM),
        ("DELETE", "/health/live", "GET"),
    ],
)
async def test_a_405_names_every_allowed_method(
    client: httpx.AsyncClient, method: str, path: str, allowed: str
) -> None:
    response = await client.request(method, path)
    assert_problem(response, 405)
    assert response.headers["allow"] == allowed
