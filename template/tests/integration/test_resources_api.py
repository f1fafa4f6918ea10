"""Every resource's contract over HTTP, driven by its samples module; the database is rolled back after each test."""

import json
import re
from datetime import datetime
from types import ModuleType
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from tests.helpers import RANGES, assert_problem, create, each, each_resource, listed_ids, parents, samples


def _normalized(m: ModuleType, body: dict[str, Any]) -> dict[str, Any]:
    """The resource's fields as the API would store them, whatever their JSON spelling."""
    normalized: dict[str, Any] = m.CREATE.model_validate({key: body[key] for key in m.FIELDS}).model_dump(mode="json")
    return normalized


def _typed(m: ModuleType, item: dict[str, Any], field: str) -> Any:
    """A field of a listed item as its Python value, so that it compares as the database does."""
    return getattr(m.READ.model_validate(item), field)


async def _body(client: httpx.AsyncClient, m: ModuleType, n: int) -> dict[str, Any]:
    """A valid create body whose referenced rows exist."""
    body: dict[str, Any] = m.payload(n, await parents(client, m.NAME, n))
    return body


def _locations(body: dict[str, Any]) -> list[list[str | int]]:
    return [error["loc"] for error in body["errors"]]


@pytest.mark.parametrize("m", each_resource())
async def test_create_returns_201_with_location(client: httpx.AsyncClient, m: ModuleType) -> None:
    body = await _body(client, m, 1)
    response = await client.post(m.URL, json=body)
    assert response.status_code == 201, response.text
    created = response.json()
    assert response.headers["location"].endswith(f"{m.URL}/{created['id']}")
    assert _normalized(m, created) == _normalized(m, body)
    for stamp in ("created_at", "updated_at"):
        moment = datetime.fromisoformat(created[stamp])
        assert moment.utcoffset() is not None
        assert moment.utcoffset().total_seconds() == 0  # type: ignore[union-attr]


@pytest.mark.parametrize("m", each_resource())
async def test_create_fills_defaults(client: httpx.AsyncClient, m: ModuleType) -> None:
    ids = await parents(client, m.NAME, 2)
    response = await client.post(m.URL, json=m.required_payload(2, ids))
    assert response.status_code == 201, response.text
    expected = _normalized(m, {**m.payload(2, ids), **m.DEFAULTS})
    stored = _normalized(m, response.json())
    assert {key: stored[key] for key in m.DEFAULTS} == {key: expected[key] for key in m.DEFAULTS}


@pytest.mark.parametrize("m", each_resource())
async def test_create_invalid_value_returns_422(client: httpx.AsyncClient, m: ModuleType) -> None:
    field, value = m.INVALID
    body = assert_problem(await client.post(m.URL, json={**await _body(client, m, 1), field: value}), 422)
    assert ["body", field] in _locations(body)
    assert all({"loc", "msg", "type"} == error.keys() for error in body["errors"])


@pytest.mark.parametrize(("m", "case"), each("BOUNDARIES"))
async def test_create_enforces_each_rule_at_its_boundary(
    client: httpx.AsyncClient, m: ModuleType, case: tuple[str, Any, bool]
) -> None:
    field, value, accepted = case
    response = await client.post(m.URL, json={**await _body(client, m, 60), field: value})
    if accepted:
        assert response.status_code == 201, response.text
        assert response.json()[field] == _normalized(m, {**await _body(client, m, 61), field: value})[field]
    else:
        assert ["body", field] in _locations(assert_problem(response, 422))


@pytest.mark.parametrize("m", [param for param in each_resource() if param.values[0].TOO_LONG])
async def test_create_too_long_returns_422(client: httpx.AsyncClient, m: ModuleType) -> None:
    field, length = m.TOO_LONG
    body = assert_problem(await client.post(m.URL, json={**await _body(client, m, 1), field: "x" * length}), 422)
    assert body["errors"][0]["type"] == "string_too_long"


@pytest.mark.parametrize("m", [param for param in each_resource() if param.values[0].TOO_LONG])
async def test_create_with_a_nul_character_is_stored_or_refused_never_a_500(
    client: httpx.AsyncClient, m: ModuleType
) -> None:
    field, length = m.TOO_LONG
    body = await _body(client, m, 1)
    text = str(body[field])
    nul = (text if len(text) < length - 1 else text[:-1]) + "\x00"  # last: SQLite counts a length up to a NUL
    response = await client.post(m.URL, json={**body, field: nul})
    if response.status_code != 201:  # PostgreSQL text cannot hold NUL; SQLite stores it
        assert "cannot be stored" in assert_problem(response, 422)["detail"]


def _lax_lookalikes(body: dict[str, Any]) -> dict[str, Any]:
    """Per field, a value lax validation converts but the document refuses: bool for int, 1 for bool, 0 for a date."""
    lookalikes: dict[str, Any] = {}
    for field, value in body.items():
        if isinstance(value, bool):
            lookalikes[field] = 1
        elif isinstance(value, int):
            lookalikes[field] = True
        elif isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}(T.*)?", value):
            lookalikes[field] = 0
    return lookalikes


@pytest.mark.parametrize("m", each_resource())
async def test_create_refuses_what_only_lax_validation_would_accept(client: httpx.AsyncClient, m: ModuleType) -> None:
    body = await _body(client, m, 1)
    for field, lookalike in _lax_lookalikes(body).items():
        response = await client.post(m.URL, json={**body, field: lookalike})
        assert ["body", field] in _locations(assert_problem(response, 422)), (field, lookalike)


@pytest.mark.parametrize("m", each_resource())
async def test_create_unknown_field_returns_422(client: httpx.AsyncClient, m: ModuleType) -> None:
    body = assert_problem(await client.post(m.URL, json={**await _body(client, m, 1), "unexpected": 1}), 422)
    assert body["errors"][0]["loc"] == ["body", "unexpected"]


@pytest.mark.parametrize("m", [param for param in each_resource() if param.values[0].MISSING])
async def test_create_missing_field_returns_422(client: httpx.AsyncClient, m: ModuleType) -> None:
    incomplete = {key: value for key, value in (await _body(client, m, 1)).items() if key != m.MISSING}
    body = assert_problem(await client.post(m.URL, json=incomplete), 422)
    assert body["errors"][0]["loc"] == ["body", m.MISSING]


@pytest.mark.parametrize("m", each_resource())
async def test_create_malformed_json_returns_422(client: httpx.AsyncClient, m: ModuleType) -> None:
    response = await client.post(m.URL, content=b"{not json", headers={"content-type": "application/json"})
    assert_problem(response, 422)


@pytest.mark.parametrize(("m", "field"), each("UNIQUE"))
async def test_create_duplicate_returns_409(client: httpx.AsyncClient, m: ModuleType, field: str) -> None:
    first = await create(client, m.NAME, 1)
    clash = {**await _body(client, m, 2), field: first[field]}
    assert_problem(await client.post(m.URL, json=clash), 409)
    assert (await client.get(f"{m.URL}/{first['id']}")).status_code == 200


@pytest.mark.parametrize(("m", "column"), each("REFS"))
async def test_create_or_update_with_an_unknown_reference_returns_409(
    client: httpx.AsyncClient, m: ModuleType, column: str
) -> None:
    dangling = {**await _body(client, m, 1), column: 2**52}
    body = assert_problem(await client.post(m.URL, json=dangling), 409)
    assert body["errors"][0]["loc"] == ["body", column]
    patched = await client.patch(f"{m.URL}/{(await create(client, m.NAME, 2))['id']}", json={column: 2**52})
    assert assert_problem(patched, 409)["errors"][0]["loc"] == ["body", column]


@pytest.mark.parametrize(("m", "column"), each("REFS"))
async def test_deleting_a_referenced_row_follows_on_delete(
    client: httpx.AsyncClient, m: ModuleType, column: str
) -> None:
    """restrict: 409 naming the referencing rows; cascade: they go too; set null: their reference clears."""
    target = samples(m.REFS[column])
    parent = await create(client, target.NAME, 50)
    child = await create(client, m.NAME, 51, **{column: parent["id"]})
    deleted = await client.delete(f"{target.URL}/{parent['id']}")
    if m.ON_DELETE[column] == "RESTRICT":
        assert m.LABEL in assert_problem(deleted, 409)["detail"]
        assert (await client.get(f"{m.URL}/{child['id']}")).json() == child
        return
    assert deleted.status_code == 204, deleted.text
    if m.ON_DELETE[column] == "CASCADE":
        assert_problem(await client.get(f"{m.URL}/{child['id']}"), 404)
    else:
        assert (await client.get(f"{m.URL}/{child['id']}")).json()[column] is None


@pytest.mark.parametrize("m", each_resource())
async def test_get_returns_it(client: httpx.AsyncClient, m: ModuleType) -> None:
    created = await create(client, m.NAME, 3)
    response = await client.get(f"{m.URL}/{created['id']}")
    assert response.status_code == 200
    assert response.json() == created


@pytest.mark.parametrize("m", each_resource())
async def test_get_missing_returns_404(client: httpx.AsyncClient, m: ModuleType) -> None:
    body = assert_problem(await client.get(f"{m.URL}/999999"), 404)
    assert body["instance"] == f"{m.URL}/999999"
    assert "999999" in body["detail"]


@pytest.mark.parametrize("m", each_resource())
async def test_get_bad_id_returns_422(client: httpx.AsyncClient, m: ModuleType) -> None:
    assert_problem(await client.get(f"{m.URL}/abc"), 422)
    assert_problem(await client.get(f"{m.URL}/{2**63}"), 422)


@pytest.mark.parametrize("m", each_resource())
async def test_list_pages_and_counts(client: httpx.AsyncClient, m: ModuleType) -> None:
    before = (await client.get(m.URL)).json()["total"]
    created = [await create(client, m.NAME, n) for n in (11, 12, 13)]
    response = await client.get(m.URL, params={"limit": 2, "offset": before, "sort": "id"})
    assert response.status_code == 200
    page = response.json()
    assert (page["total"], page["limit"], page["offset"]) == (before + 3, 2, before)
    assert [item["id"] for item in page["items"]] == [item["id"] for item in created[:2]]


@pytest.mark.parametrize("m", each_resource())
async def test_list_skips_counting_when_asked(client: httpx.AsyncClient, m: ModuleType) -> None:
    await create(client, m.NAME, 14)
    counted = (await client.get(m.URL, params={"sort": "-id", "limit": 3})).json()
    response = await client.get(m.URL, params={"sort": "-id", "limit": 3, "include_total": "false"})
    assert response.status_code == 200
    assert response.json() == {**counted, "total": None}
    assert counted["total"] >= 1
    body = assert_problem(await client.get(m.URL, params={"include_total": "maybe"}), 422)
    assert _locations(body) == [["query", "include_total"]]


@pytest.mark.parametrize("m", each_resource())
async def test_list_sorts_by_several_keys(client: httpx.AsyncClient, m: ModuleType) -> None:
    rows = [await create(client, m.NAME, n) for n in (21, 22, 23, 24)]
    expected = sorted(rows, key=lambda row: row["id"])
    for key in reversed(m.SORT):
        field = key.removeprefix("-")
        expected.sort(key=lambda row: (_typed(m, row, field) is None, _typed(m, row, field)), reverse=key[0] == "-")
    got = await listed_ids(client, m.URL, {"sort": ",".join(m.SORT)})
    assert [row_id for row_id in got if row_id in {row["id"] for row in rows}] == [row["id"] for row in expected]
    assert await listed_ids(client, m.URL, {"sort": "-id"}) == sorted(got, reverse=True)


@pytest.mark.parametrize(("m", "field"), each("EQUALITY"))
async def test_list_filters_by_equality(client: httpx.AsyncClient, m: ModuleType, field: str) -> None:
    first, second = await create(client, m.NAME, 1), await create(client, m.NAME, 2)
    ids = await listed_ids(client, m.URL, {field: first[field]})
    assert first["id"] in ids
    assert second["id"] not in ids


@pytest.mark.parametrize(("m", "field"), each("EQUALITY"))
async def test_list_filter_values_beyond_their_column_are_refused(
    client: httpx.AsyncClient, m: ModuleType, field: str
) -> None:
    """400 digits overflow every number column and most strings: a 422 naming the filter, never a 500."""
    for name in (field, f"{field}__gte", f"{field}__in"):
        response = await client.get(m.URL, params={name: "9" * 400})
        if response.status_code != 200:  # a string field long enough, or a kind of filter the field lacks
            errors = assert_problem(response, 422)["errors"]
            assert errors[0]["loc"][:2] == ["query", name], errors


@pytest.mark.parametrize("kind", sorted(RANGES))
@pytest.mark.parametrize(("m", "field"), each("RANGES"))
async def test_list_filters_by_range(client: httpx.AsyncClient, m: ModuleType, field: str, kind: str) -> None:
    holds = RANGES[kind]
    rows = [await create(client, m.NAME, n) for n in (1, 2, 3)]
    pivot = rows[1]
    response = await client.get(m.URL, params={f"{field}__{kind}": pivot[field], "limit": 100})
    assert response.status_code == 200, response.text
    got = {item["id"]: _typed(m, item, field) for item in response.json()["items"]}
    value = _typed(m, pivot, field)
    assert all(holds(each, value) for each in got.values())
    assert {row["id"] for row in rows if holds(_typed(m, row, field), value)} <= got.keys()
    assert (pivot["id"] in got) == kind.endswith("e")


@pytest.mark.parametrize(("m", "field"), each("LISTS"))
async def test_list_filters_by_a_list_of_values(client: httpx.AsyncClient, m: ModuleType, field: str) -> None:
    rows = [await create(client, m.NAME, n) for n in (1, 2, 3)]
    wanted = {str(rows[0][field]), str(rows[1][field])}
    ids = await listed_ids(client, m.URL, {f"{field}__in": ",".join(sorted(wanted))})
    assert {rows[0]["id"], rows[1]["id"]} <= set(ids)
    assert (rows[2]["id"] in ids) == (str(rows[2][field]) in wanted)
    too_many = ",".join(str(rows[0][field]) for _ in range(101))
    body = assert_problem(await client.get(m.URL, params={f"{field}__in": too_many}), 422)
    assert body["errors"][0]["loc"] == ["query", f"{field}__in"]


@pytest.mark.parametrize(("m", "field"), each("SUBSTRINGS"))
async def test_list_filters_by_substring(client: httpx.AsyncClient, m: ModuleType, field: str) -> None:
    first, _second = await create(client, m.NAME, 1), await create(client, m.NAME, 2)
    part = str(first[field])[1:].upper()
    items = (await client.get(m.URL, params={f"{field}__contains": part, "limit": 100})).json()["items"]
    assert first["id"] in [item["id"] for item in items]
    assert all(part.lower() in str(item[field]).lower() for item in items)
    assert await listed_ids(client, m.URL, {f"{field}__contains": "%"}) == []  # a wildcard is taken literally


@pytest.mark.parametrize(("m", "field"), each("NULLS"))
async def test_list_filters_by_null(client: httpx.AsyncClient, m: ModuleType, field: str) -> None:
    empty = await create(client, m.NAME, 1, **{field: None})
    filled = await create(client, m.NAME, 2)
    if filled[field] is None:  # a reference to its own resource: point it at the first row
        filled = await create(client, m.NAME, 3, **{field: empty["id"]})
    nulls = await listed_ids(client, m.URL, {f"{field}__isnull": "true"})
    values = await listed_ids(client, m.URL, {f"{field}__isnull": "false"})
    assert empty["id"] in nulls and filled["id"] not in nulls
    assert filled["id"] in values and empty["id"] not in values


BAD_QUERIES = [
    {"limit": 0},
    {"limit": 101},
    {"offset": -1},
    {"sort": "nope"},
    {"sort": "-"},
    {"sort": "id,-id"},
    {"sort": "id,created_at,updated_at,-id"},
    {"unexpected": "1"},
]


@pytest.mark.parametrize("params", BAD_QUERIES, ids=[str(params) for params in BAD_QUERIES])
@pytest.mark.parametrize("m", each_resource())
async def test_list_bad_query_returns_422(client: httpx.AsyncClient, m: ModuleType, params: dict[str, Any]) -> None:
    body = assert_problem(await client.get(m.URL, params=params), 422)
    assert body["errors"][0]["loc"] == ["query", next(iter(params))]


@pytest.mark.parametrize("m", each_resource())
async def test_list_has_no_trailing_slash_redirect(client: httpx.AsyncClient, m: ModuleType) -> None:
    response = await client.get(m.URL)
    assert response.status_code == 200
    assert response.json()["limit"] == 20


@pytest.mark.parametrize("m", each_resource())
async def test_replace_overwrites_every_field(client: httpx.AsyncClient, m: ModuleType) -> None:
    created = await create(client, m.NAME, 31)
    body = await _body(client, m, 32)
    response = await client.put(f"{m.URL}/{created['id']}", json=body)
    assert response.status_code == 200, response.text
    replaced = response.json()
    assert _normalized(m, replaced) == _normalized(m, body)
    assert replaced["created_at"] == created["created_at"]
    assert replaced["updated_at"] >= created["updated_at"]


@pytest.mark.parametrize("m", each_resource())
async def test_replace_missing_returns_404(client: httpx.AsyncClient, m: ModuleType) -> None:
    assert_problem(await client.put(f"{m.URL}/999999", json=await _body(client, m, 1)), 404)


@pytest.mark.parametrize("m", each_resource())
async def test_update_changes_only_the_fields_sent(client: httpx.AsyncClient, m: ModuleType) -> None:
    created = await create(client, m.NAME, 41)
    field = m.FIELDS[0]
    change = (await _body(client, m, 42))[field]
    response = await client.patch(f"{m.URL}/{created['id']}", json={field: change})
    assert response.status_code == 200, response.text
    assert _normalized(m, response.json()) == _normalized(m, {**created, field: change})


@pytest.mark.parametrize("m", [param for param in each_resource() if param.values[0].NOT_NULL])
async def test_update_rejects_null_for_a_required_field(client: httpx.AsyncClient, m: ModuleType) -> None:
    created = await create(client, m.NAME, 43)
    body = assert_problem(await client.patch(f"{m.URL}/{created['id']}", json={m.NOT_NULL: None}), 422)
    assert body["errors"][0]["loc"] == ["body", m.NOT_NULL]


@pytest.mark.parametrize("m", each_resource())
async def test_update_missing_returns_404(client: httpx.AsyncClient, m: ModuleType) -> None:
    field = m.FIELDS[0]
    assert_problem(await client.patch(f"{m.URL}/999999", json={field: (await _body(client, m, 1))[field]}), 404)


@pytest.mark.parametrize("m", each_resource())
async def test_delete_returns_204_then_404(client: httpx.AsyncClient, m: ModuleType) -> None:
    created = await create(client, m.NAME, 51)
    response = await client.delete(f"{m.URL}/{created['id']}")
    assert response.status_code == 204
    assert response.content == b""
    assert_problem(await client.get(f"{m.URL}/{created['id']}"), 404)
    assert_problem(await client.delete(f"{m.URL}/{created['id']}"), 404)


# How the OpenAPI document states a rule; date and datetime bounds have no keyword, so their description does.
RULE_KEYWORDS = (
    *("minimum", "exclusiveMinimum", "maximum", "exclusiveMaximum"),
    *("minLength", "pattern", "enum", "Must be", '"format": "email"'),
)


@pytest.mark.parametrize("m", each_resource())
async def test_openapi_documents_every_filter_and_rule(client: httpx.AsyncClient, m: ModuleType) -> None:
    spec = (await client.get("/openapi.json")).json()
    parameters = {parameter["name"]: parameter for parameter in spec["paths"][m.URL]["get"]["parameters"]}
    assert parameters.keys() == m.QUERY.model_fields.keys()
    assert "pattern" in parameters["sort"]["schema"]
    properties = spec["components"]["schemas"][m.CREATE.__name__]["properties"]
    for field in {field for field, _, _ in m.BOUNDARIES}:
        assert any(keyword in json.dumps(properties[field]) for keyword in RULE_KEYWORDS), properties[field]


@pytest.mark.parametrize("m", each_resource())
async def test_openapi_patch_body_admits_null_only_where_a_field_is_nullable(
    client: httpx.AsyncClient, m: ModuleType
) -> None:
    spec = (await client.get("/openapi.json")).json()
    properties = spec["components"]["schemas"][m.UPDATE.__name__]["properties"]
    for field, schema in properties.items():
        admits_null = '"type": "null"' in json.dumps(schema)
        assert admits_null == (field in m.NULLS), (field, schema)
        assert admits_null or "default" not in schema, (field, schema)  # left out is not the same as null


@pytest.mark.parametrize("m", each_resource())
async def test_unexpected_error_returns_500_without_trace(
    app: FastAPI, client: httpx.AsyncClient, caplog: pytest.LogCaptureFixture, m: ModuleType
) -> None:
    async def broken() -> None:
        raise RuntimeError("secret internals")

    app.dependency_overrides[m.DEPENDENCY] = broken
    body = assert_problem(await client.get(f"{m.URL}/1"), 500)
    assert "secret internals" not in str(body)
    (record,) = [record for record in caplog.records if record.name == "app.core.errors"]
    assert record.exc_info is not None
    assert "secret internals" in str(record.exc_info[1])
