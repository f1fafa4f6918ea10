"""Generated-project gates: render a preset, install it with uv, then run its own checks.

    python -m tests.gates PRESET PYTHON_VERSION [--keep DIR]

Runs, inside the generated service: `uv sync`, `ruff check`, `ruff format --check`, `mypy`, and its
pytest suite on a fresh PostgreSQL database of its own when TEST_DATABASE_URL names a server. On the
first Python here it also runs every pre-commit hook on every file (as the service's first commit
would), `alembic upgrade head` / `downgrade base` and the suite on SQLite, then the contract
(tests/contract.py) and the e2e suite against the served service (tests/deployed.py).
"""

import argparse
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

from uv import find_uv_bin

from tests.contract import check_contract
from tests.deployed import check_deployed
from tests.generation import generate
from tests.postgres import SERVER_URL_VARIABLE, fresh_database, server_url
from tests.presets import PRESETS, answers
from tests.pythons import available, interpreter
from tests.steps import GateFailed, project_env, run


def check(project: Path, preset: str, python_version: str) -> None:
    """Run the gates in `project`: every one on the first Python here; on the others, those a Python version can change.

    The hooks, the migrations on SQLite, the SQLite suite, the contract and the deployed e2e read the same
    files on every Python, so the other Pythons run the linters, mypy and the suite on PostgreSQL.
    """
    first = python_version == available()[0]
    env = project_env()
    uv_bin = find_uv_bin()
    uv = [uv_bin, "run", "--frozen", "--no-sync"]
    run("install", [uv_bin, "sync", "--python", interpreter(python_version)], project, env)
    run("ruff check", [*uv, "ruff", "check", "."], project, env)
    run("ruff format", [*uv, "ruff", "format", "--check", "."], project, env)
    run("mypy", [*uv, "mypy", "."], project, env)
    if first:
        run("git init", ["git", "init", "--quiet", "."], project, env)
        run("git add", ["git", "add", "--all"], project, env)
        pre_commit = [sys.executable, "-m", "pre_commit", "run", "--all-files", "--show-diff-on-failure"]
        run("pre-commit", pre_commit, project, env)
        run("alembic upgrade", [*uv, "alembic", "upgrade", "head"], project, env)
        run("alembic downgrade", [*uv, "alembic", "downgrade", "base"], project, env)
        run("pytest on SQLite", [*uv, "pytest", "-q", "-p", "no:cacheprovider"], project, env)
    url = server_url()
    if url is None:
        if os.environ.get("CI"):
            raise GateFailed(f"{SERVER_URL_VARIABLE} is not set: CI must test on PostgreSQL")
        print(f"!!! PostgreSQL tests skipped: set {SERVER_URL_VARIABLE} to a server URL to run them", flush=True)
        return
    with fresh_database(url, f"{preset}_{python_version}") as database_url:
        pg_env = project_env(TEST_DATABASE_URL=database_url)
        run("pytest on PostgreSQL", [*uv, "pytest", "-q", "-p", "no:cacheprovider"], project, pg_env)
    if first:
        with fresh_database(url, f"{preset}_contract") as database_url:
            check_contract(project, database_url)
        with fresh_database(url, f"{preset}_deployed") as database_url:
            check_deployed(project, database_url)


def main(argv: list[str] | None = None) -> int:
    """Generate PRESET for PYTHON_VERSION and run its gates."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("preset", choices=sorted(PRESETS))
    parser.add_argument("python_version")
    parser.add_argument("--keep", type=Path, help="generate into this folder and keep it")
    args = parser.parse_args(argv)
    workdir = args.keep or Path(tempfile.mkdtemp(prefix=f"fastapi-ms-{args.preset}-"))
    project = workdir / "service"
    started = time.perf_counter()
    try:
        generate(project, answers(args.preset, python_version=args.python_version))
        print(f"--- generated {args.preset} in {time.perf_counter() - started:.1f} s: {project}", flush=True)
        check(project, args.preset, args.python_version)
    except GateFailed as failure:
        print(f"FAILED: {args.preset} on Python {args.python_version}: {failure}", file=sys.stderr)
        return 1
    finally:
        if args.keep is None:
            shutil.rmtree(workdir, ignore_errors=True)
    print(
        f"--- {args.preset} on Python {args.python_version}: all gates passed in {time.perf_counter() - started:.1f} s"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
