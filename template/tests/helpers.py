"""What the API tests share: rows created with their referenced rows, problem checks, listing by query."""

import operator
from collections.abc import Callable
from importlib import import_module
from types import ModuleType
from typing import Any

import httpx

PROBLEM = "application/problem+json"
# What each range filter keeps: `price__gte=v` keeps the rows whose price >= v.
RANGES: dict[str, Callable[[Any, Any], bool]] = {
    "gt": operator.gt,
    "gte": operator.ge,
    "lt": operator.lt,
    "lte": operator.le,
}


def samples(name: str) -> ModuleType:
    """The samples module of the resource `name` (tests/samples/<name>.py)."""
    return import_module(f"tests.samples.{name}")


async def parents(client: httpx.AsyncClient, name: str, n: int) -> dict[str, int]:
    """Create one row for each resource `name` references (not itself) and return their ids by column."""
    refs = samples(name).REFS.items()
    return {column: (await create(client, target, n))["id"] for column, target in refs if target != name}


async def create(client: httpx.AsyncClient, name: str, n: int, **values: Any) -> dict[str, Any]:
    """Create a row of `name` from its sample `n` (and the rows it references), with `values` on top."""
    module = samples(name)
    response = await client.post(module.URL, json={**module.payload(n, await parents(client, name, n)), **values})
    assert response.status_code == 201, response.text
    created: dict[str, Any] = response.json()
    return created


def assert_problem(response: httpx.Response, status: int) -> dict[str, Any]:
    """The problem+json body of `response`, which must have `status` and no trace."""
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == PROBLEM
    body: dict[str, Any] = response.json()
    assert body["status"] == status
    assert {"type", "title", "detail", "instance"} <= body.keys()
    assert "Traceback" not in response.text
    return body


async def listed_ids(client: httpx.AsyncClient, url: str, params: dict[str, Any]) -> list[int]:
    """The ids a list request returns, in order (at most 100)."""
    response = await client.get(url, params={"limit": 100, **params})
    assert response.status_code == 200, response.text
    return [item["id"] for item in response.json()["items"]]
