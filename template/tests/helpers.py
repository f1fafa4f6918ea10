"""What the API tests share: rows created with their referenced rows, problem checks, listing by query."""

import operator
import pkgutil
from collections.abc import Callable
from importlib import import_module
from types import ModuleType
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

import tests.samples

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


# Every resource's samples module, in the order the resources were added.
RESOURCES = tuple(
    sorted((samples(info.name) for info in pkgutil.iter_modules(tests.samples.__path__)), key=lambda m: m.E2E_N)
)


def in_process(app: FastAPI, headers: dict[str, str] | None = None) -> httpx.AsyncClient:
    """An HTTP client calling `app` in process, sending `headers` with every request."""
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    return httpx.AsyncClient(transport=transport, base_url="http://test", headers=headers)


def each_resource() -> list[Any]:
    """One pytest parameter per resource, named after it."""
    return [pytest.param(module, id=module.NAME) for module in RESOURCES]


def each(declaration: str) -> list[Any]:
    """One pytest parameter per (resource, item) of a declaration of the samples modules (`EQUALITY`, ...)."""
    return [
        pytest.param(module, item, id=f"{module.NAME}-{item}")
        for module in RESOURCES
        for item in getattr(module, declaration)
    ]


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
