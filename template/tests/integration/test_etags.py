"""ETags: every answer carrying a row names its version; If-None-Match answers 304, a stale If-Match 412."""

from types import ModuleType
from typing import Any

import httpx
import pytest

from tests.helpers import RESOURCES, assert_problem, create, each_resource, parents


def _body(m: ModuleType, row: dict[str, Any]) -> dict[str, Any]:
    """The full representation of `row` as PUT takes it: writing it back changes only the version."""
    return {field: row[field] for field in m.FIELDS}


@pytest.mark.parametrize("m", each_resource())
async def test_each_write_answers_a_new_etag_and_get_answers_the_current_one(
    client: httpx.AsyncClient, m: ModuleType
) -> None:
    created = await client.post(m.URL, json=m.payload(1, await parents(client, m.NAME, 1)))
    assert created.status_code == 201, created.text
    url = created.headers["location"]
    tags = [created.headers["etag"]]
    assert (await client.get(url)).headers["etag"] == tags[-1]
    replaced = await client.put(url, json=_body(m, created.json()), headers={"If-Match": tags[-1]})
    assert replaced.status_code == 200, replaced.text
    tags.append(replaced.headers["etag"])
    patched = await client.patch(url, json={m.FIELDS[0]: created.json()[m.FIELDS[0]]}, headers={"If-Match": tags[-1]})
    assert patched.status_code == 200, patched.text
    tags.append(patched.headers["etag"])
    assert len(set(tags)) == 3
    assert all(tag.startswith('"') and tag.endswith('"') for tag in tags)  # strong tags, so If-Match may use them
    assert (await client.get(url)).headers["etag"] == tags[-1]


@pytest.mark.parametrize("m", each_resource())
async def test_a_stale_if_match_is_refused_and_changes_nothing(client: httpx.AsyncClient, m: ModuleType) -> None:
    row = await create(client, m.NAME, 2)
    url = f"{m.URL}/{row['id']}"
    stale = (await client.get(url)).headers["etag"]
    current = (await client.put(url, json=_body(m, row), headers={"If-Match": stale})).headers["etag"]
    for method, body in (("PUT", _body(m, row)), ("PATCH", {m.FIELDS[0]: row[m.FIELDS[0]]}), ("PATCH", {})):
        refused = await client.request(method, url, json=body, headers={"If-Match": stale})
        assert "has changed since the ETag you sent" in assert_problem(refused, 412)["detail"]
    assert_problem(await client.delete(url, headers={"If-Match": stale}), 412)
    assert (await client.get(url)).headers["etag"] == current  # nothing was written
    assert (await client.delete(url, headers={"If-Match": f'"0", {current}'})).status_code == 204  # any tag listed


async def test_if_none_match_answers_304_while_the_row_is_unchanged(client: httpx.AsyncClient) -> None:
    m = RESOURCES[0]
    row = await create(client, m.NAME, 3)
    url = f"{m.URL}/{row['id']}"
    tag = (await client.get(url)).headers["etag"]
    for held in (tag, f"W/{tag}", f'"0", {tag}', "*"):
        unchanged = await client.get(url, headers={"If-None-Match": held})
        assert (unchanged.status_code, unchanged.content, unchanged.headers["etag"]) == (304, b"", tag)
    await client.put(url, json=_body(m, row))
    changed = await client.get(url, headers={"If-None-Match": tag})
    assert changed.status_code == 200
    assert changed.headers["etag"] != tag
    assert changed.json()["id"] == row["id"]


@pytest.mark.parametrize("held", ["*", '"not-ours"', 'W/"0"', "garbage"])
async def test_if_match_star_writes_any_version_and_a_foreign_tag_matches_none(
    client: httpx.AsyncClient, held: str
) -> None:
    m = RESOURCES[0]
    row = await create(client, m.NAME, 4)
    answer = await client.put(f"{m.URL}/{row['id']}", json=_body(m, row), headers={"If-Match": held})
    if held == "*":
        assert answer.status_code == 200, answer.text
    else:
        assert_problem(answer, 412)  # a weak tag never matches a write: If-Match compares strongly


async def test_a_conditional_write_to_a_missing_row_is_a_404(client: httpx.AsyncClient) -> None:
    m = RESOURCES[0]
    row = await create(client, m.NAME, 5)
    missing = f"{m.URL}/{row['id'] + 1000}"
    assert_problem(await client.put(missing, json=_body(m, row), headers={"If-Match": '"1"'}), 404)
    assert_problem(await client.delete(missing, headers={"If-Match": '"1"'}), 404)


async def test_writes_without_if_match_get_428_when_it_is_required(
    client: httpx.AsyncClient, configured: pytest.MonkeyPatch
) -> None:
    configured.setenv("REQUIRE_IF_MATCH", "true")
    m = RESOURCES[0]
    row = await create(client, m.NAME, 6)  # creating needs no version
    url = f"{m.URL}/{row['id']}"
    for method in ("PUT", "PATCH", "DELETE"):
        body = _body(m, row) if method != "DELETE" else None
        refused = await client.request(method, url, json=body)
        assert "needs an If-Match header" in assert_problem(refused, 428)["detail"]
    tag = (await client.get(url)).headers["etag"]
    assert (await client.patch(url, json={}, headers={"If-Match": tag})).status_code == 200
    assert (await client.delete(url, headers={"If-Match": tag})).status_code == 204
