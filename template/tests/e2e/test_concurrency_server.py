"""Concurrent read-modify-write clients with If-Match against one row of a running server: no update is lost."""

import asyncio

import httpx
import pytest

from tests.helpers import RESOURCES, create

pytestmark = pytest.mark.e2e

CLIENTS = 20
WRITES_EACH = 2
ATTEMPTS_EACH = 200  # a bound, so a broken precondition fails the test instead of hanging it


async def test_concurrent_conditional_writes_form_one_chain_of_versions(http: httpx.AsyncClient) -> None:
    m = RESOURCES[0]
    row = await create(http, m.NAME, m.E2E_N + 50)
    url = f"{m.URL}/{row['id']}"
    body = {field: row[field] for field in m.FIELDS}
    first = (await http.get(url)).headers["etag"]
    writes: list[tuple[str, str]] = []  # (the version a write was based on, the version it made)

    async def client() -> None:
        done = 0
        for _ in range(ATTEMPTS_EACH):
            read = await http.get(url)  # read ...
            based_on = read.headers["etag"]
            written = await http.put(url, json=body, headers={"If-Match": based_on})  # ... modify, write
            if written.status_code == 412:
                continue  # another client wrote first: read again
            assert written.status_code == 200, written.text
            writes.append((based_on, written.headers["etag"]))
            done += 1
            if done == WRITES_EACH:
                return
        pytest.fail(f"{WRITES_EACH} writes did not succeed within {ATTEMPTS_EACH} attempts")

    try:
        await asyncio.gather(*(client() for _ in range(CLIENTS)))
        successor = dict(writes)
        assert len(successor) == len(writes) == CLIENTS * WRITES_EACH  # no two writes were based on one version
        version, chain = first, 0
        while version in successor:
            version, chain = successor[version], chain + 1
        assert chain == len(writes)  # every successful write is counted, in one line of versions
        assert (await http.get(url)).headers["etag"] == version
    finally:
        assert (await http.delete(url)).status_code == 204
