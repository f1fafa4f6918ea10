"""A `local` service issues tokens that an `oidc` service pointed at it accepts, both serving on loopback."""

import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from uv import find_uv_bin

from tests.gates import project_env
from tests.generation import generate
from tests.presets import answers
from tests.workflows.cli import call, free_port
from tests.workflows.test_update import run_in

PASSWORD = "a passphrase of our own"  # noqa: S105 - the test account's


def install(project: Path) -> None:
    """Install the service and migrate its SQLite database."""
    uv = find_uv_bin()
    run_in(project, uv, "sync", "--python", sys.executable)
    run_in(project, uv, "run", "--frozen", "alembic", "upgrade", "head")


@contextmanager
def serving(project: Path, port: int, **settings: str) -> Iterator[str]:
    """The base URL of uvicorn serving the service on `port` with `settings` in its environment."""
    command = [str(project / ".venv/bin/python"), "-m", "uvicorn", "app.main:app", "--port", str(port)]
    log = project / f"uvicorn-{port}.log"
    url = f"http://127.0.0.1:{port}"
    with log.open("wb") as output:
        server = subprocess.Popen(command, cwd=project, env=project_env(**settings), stdout=output, stderr=output)
        try:
            deadline = time.monotonic() + 30
            while not _answers(f"{url}/health/live"):
                assert server.poll() is None, log.read_text()
                assert time.monotonic() < deadline, f"{url} did not answer within 30 s"
                time.sleep(0.1)
            yield url
        finally:
            server.terminate()
            server.wait(timeout=10)


def _answers(url: str) -> bool:
    try:
        return call("GET", url)[0] == 200
    except OSError:
        return False


def test_an_oidc_service_accepts_the_tokens_of_a_local_service_for_its_audience(tmp_path: Path) -> None:
    accounts = generate(tmp_path / "accounts", answers("default", project_name="Accounts", auth="local"))
    orders = generate(tmp_path / "orders", answers("default", project_name="Orders", auth="oidc"))
    for project in (accounts, orders):
        install(project)
    command = ["-m", "app.cli", "create-user", "ada@example.com", "--role", "viewer", "--password-stdin"]
    created = subprocess.run(
        [str(accounts / ".venv/bin/python"), *command],
        cwd=accounts, env=project_env(), input=PASSWORD + "\n", capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert created.returncode == 0, created.stderr
    port = free_port()
    issuer = f"http://127.0.0.1:{port}"  # where the accounts service serves: the iss of its tokens
    with (
        serving(accounts, port, AUTH_ISSUER=issuer, AUTH_AUDIENCE="orders"),
        serving(orders, free_port(), AUTH_ISSUER=issuer, AUTH_AUDIENCE="orders") as orders_url,
        serving(orders, free_port(), AUTH_ISSUER=issuer, AUTH_AUDIENCE="billing") as billing_url,
    ):
        form = {"username": "ada@example.com", "password": PASSWORD}
        status, _, tokens = call("POST", f"{issuer}/api/v1/auth/token", form=form)
        assert status == 200, tokens
        token = tokens["access_token"]
        assert call("GET", f"{orders_url}/api/v1/products", token=token)[0] == 200
        assert call("POST", f"{orders_url}/api/v1/products", body={}, token=token)[0] == 403  # a viewer there too
        status, headers, _ = call("GET", f"{billing_url}/api/v1/products", token=token)
        assert status == 401  # issued for another audience
        assert 'error="invalid_token"' in headers["www-authenticate"]
    assert (accounts / ".signing-key.pem").is_file()  # no AUTH_SIGNING_KEY: a development key was generated
