"""Probes answered by a running server."""

import httpx
import pytest

pytestmark = pytest.mark.e2e


def test_health_over_http(base_url: str) -> None:
    assert httpx.get(f"{base_url}/health/live", timeout=10.0).json() == {"status": "ok"}
    ready = httpx.get(f"{base_url}/health/ready", timeout=10.0)
    assert ready.status_code == 200
    assert ready.json()["status"] == "ready"
