"""The contract gate: schemathesis against a generated service's own OpenAPI document, on PostgreSQL.

    python -m tests.contract PROJECT DATABASE_URL

Migrates the (fresh) database, serves the installed service with uvicorn on a loopback port as an
admin may call it (a token of its test issuer for oidc and local, a key made with its CLI for
api_key), and runs every check in every phase, stateful included, with a bounded number of
examples per operation. Exits with schemathesis's own code.
"""

import sys
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path

from tests.generation import answers_of
from tests.issuing import jwks_server, mint
from tests.net import free_port
from tests.steps import database_gate, migrated, run, service_cli
from tests.workflows.cli import serving

EXAMPLES = 25  # per operation and phase: enough to find what the runs here found, bounded for the matrix
SEED = 20261203  # the same cases on every run, so a failure reproduces
REQUEST_TIMEOUT = 10
# PostgreSQL text cannot hold NUL: the service answers 422 (the value "cannot be stored"), which no
# JSON Schema of a plain string can say, so the generator leaves NUL out.
GENERATION = ("--generation-allow-x00", "false")
# A conditional write may meet a stale If-Match (schemathesis sends whatever tag the header allows):
# the document answers it with 412, which the positive-data check must then accept as it does a 404.
CONFIG = """\
[[operations]]
include-method = ["PUT", "PATCH", "DELETE"]
checks.positive_data_acceptance.expected-statuses = ["2xx", "3xx", "401", "403", "404", "409", "412", "429", "5xx"]
"""
# The document describes the app, not the HTTP server's limits: httptools answers a request line of
# some 64 KiB with a plain 400 before the app sees it (a list filtered by 100 long strings), so the
# contract runs on h11 with room for any request the document allows. Ingresses have limits of their own.
SERVER_OPTIONS = ("--http", "h11", "--h11-max-incomplete-event-size", str(4 * 1024 * 1024))


@contextmanager
def admin_access(project: Path, env: dict[str, str]) -> Iterator[tuple[dict[str, str], list[str]]]:
    """The server's extra environment and the header options of an admin caller, for the service's auth."""
    auth = answers_of(project)["auth"]
    if auth == "none":
        yield {}, []
    elif auth == "api_key":
        key = service_cli(project, env, "create-key", "contract", "--role", "admin").strip()
        yield {}, ["-H", f"X-API-Key: {key}"]
    else:
        issued = mint(project)
        server = {"AUTH_ISSUER": issued["issuer"], "AUTH_AUDIENCE": issued["audience"]}
        header = ["-H", f"Authorization: Bearer {issued['token']}"]
        if auth == "local":
            yield {**server, "AUTH_SIGNING_KEY": issued["key"]}, header
        else:
            with jwks_server(issued["jwks"]) as jwks_url:
                yield {**server, "AUTH_JWKS_URL": jwks_url}, header


def schemathesis(base_url: str, headers: list[str], reports: Path) -> list[str]:
    """The schemathesis command: every check, every phase, bounded and seeded; the credentials come last."""
    reports.mkdir(parents=True, exist_ok=True)
    config = reports / "schemathesis.toml"
    config.write_text(CONFIG)
    return [
        str(Path(sys.executable).parent / "schemathesis"),
        "--config-file",
        str(config),
        "run",
        f"{base_url}/openapi.json",
        "--checks",
        "all",
        "--phases",
        "examples,coverage,fuzzing,stateful",
        "--max-examples",
        str(EXAMPLES),
        "--seed",
        str(SEED),
        "--request-timeout",
        str(REQUEST_TIMEOUT),
        *GENERATION,
        "--report",
        "junit",
        "--report-dir",
        str(reports),
        "--no-color",
        *headers,
    ]


def check_contract(project: Path, database_url: str) -> None:
    """Migrate, serve and run schemathesis; GateFailed when it finds a failure."""
    env, _ = migrated(project, database_url, "contract")
    with ExitStack() as stack:
        server_env, headers = stack.enter_context(admin_access(project, env))
        base_url = stack.enter_context(serving(project, free_port(), {**env, **server_env}, *SERVER_OPTIONS))
        command = schemathesis(base_url, headers, project.parent / "contract")
        shown = command[: len(command) - len(headers)] + ["-H", "<credentials>"] * (len(headers) // 2)
        run("schemathesis", command, project, env, shown=shown)


def main(argv: list[str] | None = None) -> int:
    """Run the contract gate for PROJECT on DATABASE_URL."""
    return database_gate(check_contract, __doc__, argv)


if __name__ == "__main__":
    sys.exit(main())
