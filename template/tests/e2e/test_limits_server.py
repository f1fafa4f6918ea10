"""A running server refuses a body above the limit and closes the connection, whether or not it is chunked."""

from collections.abc import Iterator

import httpx
import pytest

from app.core.config import Settings
from tests.helpers import RESOURCES

# local_server: the limit is this checkout's setting; in front of a deployed service, a proxy may answer for itself.
pytestmark = [pytest.mark.e2e, pytest.mark.local_server]


def test_bodies_above_the_limit_get_a_413_over_http(base_url: str, settings: Settings) -> None:
    url = f"{base_url}{RESOURCES[0].URL}"

    def chunks() -> Iterator[bytes]:
        for _ in range(settings.max_body_bytes // 65_536 + 4):
            yield b"x" * 65_536

    for content in (b"x" * (settings.max_body_bytes + 1), chunks()):
        response = httpx.post(url, content=content, headers={"Content-Type": "application/json"}, timeout=10.0)
        assert response.status_code == 413, response.text
        assert response.headers["content-type"] == "application/problem+json"
        assert response.headers["connection"] == "close"
