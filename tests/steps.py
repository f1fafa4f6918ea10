"""One step of a gate: a command run in a generated service, and the environment it runs in."""

import argparse
import os
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

from uv import find_uv_bin

from tests.postgres import SERVER_URL_VARIABLE


class GateFailed(Exception):
    """A check of the generated service failed; the message names it."""


def run(step: str, command: list[str], cwd: Path, env: dict[str, str], *, shown: list[str] | None = None) -> None:
    """Run one check in the generated project, printing `shown` (credentials left out) for it; GateFailed on failure."""
    started = time.perf_counter()
    print(f"--> {step}: {' '.join(shown or command)}", flush=True)
    result = subprocess.run(command, cwd=cwd, env=env, check=False)
    print(f"<-- {step}: exit {result.returncode} in {time.perf_counter() - started:.1f} s", flush=True)
    if result.returncode != 0:
        raise GateFailed(f"{step} failed (exit {result.returncode}) in {cwd}")


def project_env(**extra: str) -> dict[str, str]:
    """The environment for commands in a generated project: its own .venv, no Python downloads."""
    inherited = ("VIRTUAL_ENV", "CONDA_PREFIX", "UV_PROJECT_ENVIRONMENT", "UV_PYTHON")  # set by nox for its own venv
    env = {key: value for key, value in os.environ.items() if key not in inherited}
    env.pop(SERVER_URL_VARIABLE, None)
    env.pop("DATABASE_URL", None)
    return {**env, "UV_PYTHON_DOWNLOADS": "never", **extra}


def service_cli(project: Path, env: dict[str, str], *arguments: str, stdin: str = "") -> str:
    """Run the service's command line (`python -m app.cli`), as an operator does; its standard output."""
    done = subprocess.run(
        [str(project / ".venv/bin/python"), "-m", "app.cli", *arguments],
        cwd=project,
        env=env,
        input=stdin,
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        raise GateFailed(f"python -m app.cli {arguments[0]} failed:\n{done.stderr}")
    return done.stdout


def database_gate(check: Callable[[Path, str], None], description: str | None, argv: list[str] | None) -> int:
    """The command line of a gate that checks PROJECT on DATABASE_URL: 0, or 1 with the failure on stderr."""
    parser = argparse.ArgumentParser(description=description, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("project", type=Path)
    parser.add_argument("database_url")
    args = parser.parse_args(argv)
    try:
        check(args.project, args.database_url)
    except GateFailed as failure:
        print(f"FAILED: {failure}", file=sys.stderr)
        return 1
    return 0


def migrated(project: Path, database_url: str, gate: str) -> tuple[dict[str, str], list[str]]:
    """Migrate `database_url` for a gate that serves the service: its environment, and `uv run` in the project."""
    env = project_env(DATABASE_URL=database_url, OTEL_SDK_DISABLED="true")  # no collector listens here
    uv = [find_uv_bin(), "run", "--frozen", "--no-sync"]
    run(f"alembic upgrade ({gate})", [*uv, "alembic", "upgrade", "head"], project, env)
    return env, uv
