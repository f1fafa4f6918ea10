"""A real uvicorn process serving the app on a free loopback port."""

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator

import httpx
import pytest

from app.core.config import PROJECT_ROOT, Settings


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def _wait_until_ready(base_url: str, server: subprocess.Popen[bytes], timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"uvicorn exited with code {server.returncode} before it was ready")
        try:
            if httpx.get(f"{base_url}/health/ready", timeout=1.0).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.1)
    raise TimeoutError(f"{base_url}/health/ready did not answer 200 within {timeout} s")


@pytest.fixture(scope="module", name="base_url")
def fixture_base_url(settings: Settings, migrated: None) -> Iterator[str]:
    """The URL of a uvicorn process running the app on the migrated test database."""
    port = _free_port()
    env = {**os.environ, "DATABASE_URL": settings.database_url}
    command = [sys.executable, "-m", "uvicorn", "app.main:app", "--host", "127.0.0.1", "--port", str(port)]
    server = subprocess.Popen(command, cwd=PROJECT_ROOT, env=env)  # noqa: S603 - fixed argv
    base_url = f"http://127.0.0.1:{port}"
    try:
        _wait_until_ready(base_url, server)
        yield base_url
    finally:
        server.terminate()
        server.wait(timeout=10)
