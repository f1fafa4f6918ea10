"""The deployed-service gate: a generated service's end-to-end suite against it, served as a deployment serves it.

    python -m tests.deployed PROJECT DATABASE_URL

Migrates the (fresh) PostgreSQL database, gives an admin credentials the way the pipelines' smoke test
does (the service's CLI for local and api_key; for oidc the suite's own issuer, its JWKS on a port the
service is told), serves the service with uvicorn in production settings, and runs its `tests/e2e` with
E2E_BASE_URL pointing there. Then every resource table must be empty although its identity was used:
the suite wrote to each one and deleted what it created.
"""

import asyncio
import secrets
import sys
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path

import asyncpg

from tests.generation import answers_of
from tests.issuing import mint
from tests.net import free_port
from tests.postgres import with_database
from tests.steps import GateFailed, database_gate, migrated, project_env, run, service_cli
from tests.workflows.cli import serving

ADMIN_EMAIL = "e2e-admin@example.com"
# Tables of the service's own accounts and keys, which the suite reads but does not own.
AUTH_TABLES = frozenset({"alembic_version", "users", "refresh_tokens", "api_keys"})
TABLES = "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename"


@contextmanager
def deployment(project: Path, env: dict[str, str]) -> Iterator[tuple[dict[str, str], dict[str, str]]]:
    """The production settings of the server and the E2E_* credentials of the suite, for the service's auth."""
    auth = answers_of(project)["auth"]
    if auth == "none":
        yield {"ALLOW_UNAUTHENTICATED": "true"}, {}
    elif auth == "api_key":
        key = service_cli(project, env, "create-key", "e2e-admin", "--role", "admin").strip()
        yield {}, {"E2E_API_KEY": key}
    elif auth == "local":
        password = secrets.token_urlsafe(24)
        creating = ("create-user", ADMIN_EMAIL, "--role", "admin", "--password-stdin")
        service_cli(project, env, *creating, stdin=f"{password}\n")
        issued = mint(project)  # only its key and issuer: the service signs its own tokens
        server = {"AUTH_SIGNING_KEY": issued["key"], "AUTH_ISSUER": issued["issuer"]}
        yield server, {"E2E_USERNAME": ADMIN_EMAIL, "E2E_PASSWORD": password}
    else:
        issued, port = mint(project), free_port()
        server = {
            "AUTH_ISSUER": issued["issuer"],
            "AUTH_AUDIENCE": issued["audience"],
            "AUTH_JWKS_URL": f"http://127.0.0.1:{port}/jwks.json",
        }
        yield server, {"E2E_ISSUER_PORT": str(port)}


async def _resource_tables(database_url: str) -> dict[str, tuple[int, bool]]:
    """Each resource table's row count, and whether its identity sequence was ever used."""
    connection = await asyncpg.connect(with_database(database_url, "postgresql"))
    try:
        names = [row["tablename"] for row in await connection.fetch(TABLES) if row["tablename"] not in AUTH_TABLES]
        found = {}
        for name in names:
            count = await connection.fetchval(f'SELECT count(*) FROM "{name}"')  # noqa: S608 - a name from pg_tables
            used = await connection.fetchval(
                "SELECT last_value IS NOT NULL FROM pg_sequences"
                " WHERE schemaname || '.' || sequencename = pg_get_serial_sequence($1, 'id')",
                f'public."{name}"',
            )
            found[name] = (count, bool(used))
        return found
    finally:
        await connection.close()


def check_deployed(project: Path, database_url: str) -> None:
    """Migrate, create credentials, serve in production settings, run the e2e suite remotely; GateFailed on failure."""
    env, uv = migrated(project, database_url, "deployed")
    with ExitStack() as stack:
        server_env, suite_env = stack.enter_context(deployment(project, env))
        server = {**env, **server_env, "ENVIRONMENT": "production"}
        base_url = stack.enter_context(serving(project, free_port(), server))
        suite = project_env(E2E_BASE_URL=base_url, **suite_env)
        pytest = [*uv, "pytest", "tests/e2e", "-q", "-p", "no:cacheprovider"]
        run("e2e against the served service", pytest, project, suite)
    tables = asyncio.run(_resource_tables(database_url))
    left = {name: count for name, (count, _) in tables.items() if count}
    unused = sorted(name for name, (_, used) in tables.items() if not used)
    if not tables or left or unused:
        raise GateFailed(f"the e2e suite left rows behind {left} or never wrote to {unused} (tables: {sorted(tables)})")


def main(argv: list[str] | None = None) -> int:
    """Run the deployed-service gate for PROJECT on DATABASE_URL."""
    return database_gate(check_deployed, __doc__, argv)


if __name__ == "__main__":
    sys.exit(main())
