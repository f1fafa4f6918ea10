"""A `local` service issues tokens that an `oidc` service pointed at it accepts, both serving on loopback."""

import subprocess
import sys
from pathlib import Path

from uv import find_uv_bin

from tests.generation import generate
from tests.net import free_port
from tests.presets import answers
from tests.steps import project_env
from tests.workflows.cli import call, run_in, serving

PASSWORD = "a passphrase of our own"  # noqa: S105 - the test account's


def install(project: Path) -> None:
    """Install the service and migrate its SQLite database."""
    uv = find_uv_bin()
    run_in(project, uv, "sync", "--python", sys.executable)
    run_in(project, uv, "run", "--frozen", "alembic", "upgrade", "head")


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
        serving(accounts, port, project_env(AUTH_ISSUER=issuer, AUTH_AUDIENCE="orders")),
        serving(orders, free_port(), project_env(AUTH_ISSUER=issuer, AUTH_AUDIENCE="orders")) as orders_url,
        serving(orders, free_port(), project_env(AUTH_ISSUER=issuer, AUTH_AUDIENCE="billing")) as billing_url,
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
