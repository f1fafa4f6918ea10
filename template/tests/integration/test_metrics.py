"""Prometheus metrics: every request counted under its route template and status class, the pool, bounded labels."""

import httpx
import pytest
from prometheus_client.parser import text_string_to_metric_families

from app.main import create_app
from tests.helpers import RESOURCES, in_process

Samples = dict[tuple[str, frozenset[tuple[str, str]]], float]


async def _scrape(client: httpx.AsyncClient) -> Samples:
    response = await client.get("/metrics")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/plain; version=")
    return {
        (sample.name, frozenset(sample.labels.items())): sample.value
        for family in text_string_to_metric_families(response.text)
        for sample in family.samples
    }


def _series(samples: Samples, name: str, **labels: str) -> dict[frozenset[tuple[str, str]], float]:
    """The samples of `name` whose labels include `labels`."""
    wanted = set(labels.items())
    return {found: value for (sample, found), value in samples.items() if sample == name and wanted <= found}


async def test_a_thousand_ids_make_one_series_of_the_route_template(client: httpx.AsyncClient) -> None:
    m = RESOURCES[0]
    for row_id in range(1_000_000, 1_001_000):
        assert (await client.get(f"{m.URL}/{row_id}")).status_code == 404
    samples = await _scrape(client)
    route = m.URL + "/{" + m.NAME + "_id}"
    (labels,) = _series(samples, "http_requests_total", route=route)
    assert dict(labels) == {"method": "GET", "route": route, "status": "4xx"}
    assert samples[("http_requests_total", labels)] == 1000
    assert samples[("http_request_duration_seconds_count", labels)] == 1000
    assert not [found for (_, found) in samples if ("route", f"{m.URL}/1000000") in found]


async def test_the_probes_and_the_scrapes_are_not_counted(client: httpx.AsyncClient) -> None:
    await client.get("/health/live")
    await client.get("/health/ready")
    await _scrape(client)
    routes = {dict(labels).get("route") for labels in _series(await _scrape(client), "http_requests_total")}
    assert not routes & {"/health/live", "/health/ready", "/metrics"}


async def test_unknown_paths_and_methods_share_bounded_labels(client: httpx.AsyncClient) -> None:
    for n in range(5):
        await client.get(f"/no/such/path/{n}")
        await client.request(f"BREW{n}", RESOURCES[0].URL)
    samples = await _scrape(client)
    assert sum(_series(samples, "http_requests_total", route="unmatched").values()) == 5
    assert sum(_series(samples, "http_requests_total", method="other").values()) == 5


async def test_requests_in_flight_and_the_pool_are_reported(client: httpx.AsyncClient) -> None:
    samples = await _scrape(client)
    assert samples[("http_requests_in_flight", frozenset())] == 0
    for gauge in ("db_pool_connections", "db_pool_connections_in_use", "db_pool_waiting", "db_pool_max_connections"):
        assert samples[(gauge, frozenset())] >= 0
    assert samples[("db_pool_max_connections", frozenset())] >= 1


async def test_metrics_can_be_turned_off(configured: pytest.MonkeyPatch) -> None:
    configured.setenv("METRICS", "false")
    async with in_process(create_app()) as client:
        assert (await client.get("/metrics")).status_code == 404
