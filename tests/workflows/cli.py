"""Copier and git as a user runs them, from the command line, for the workflow tests."""

import json
import os
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from tests.releases import GIT_IDENTITY
from tests.steps import project_env

CONFLICT_START = "<<<<<<< before updating"


def user_env(**extra: str) -> dict[str, str]:
    """A user's environment: this venv's tools on PATH, a git identity, no global git configuration."""
    inherited = ("VIRTUAL_ENV", "UV_PROJECT_ENVIRONMENT", "UV_PYTHON", "TEST_DATABASE_URL", "DATABASE_URL")
    env = {key: value for key, value in os.environ.items() if key not in inherited}
    path = os.pathsep.join((str(Path(sys.executable).parent), env.get("PATH", os.defpath)))
    return {
        **env,
        "PATH": path,
        "GIT_CONFIG_GLOBAL": os.devnull,
        "GIT_CONFIG_NOSYSTEM": "1",
        "UV_PYTHON_DOWNLOADS": "never",
        **GIT_IDENTITY,
        **extra,
    }


def copier(*args: str, cwd: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """Run `copier ARGS` in `cwd` with Python's own copier; the caller checks the result."""
    return subprocess.run(
        [sys.executable, "-m", "copier", *args],
        cwd=cwd,
        env=env or user_env(),
        capture_output=True,
        text=True,
        check=False,
    )


def git(*args: str, cwd: Path, env: dict[str, str] | None = None) -> str:
    """Run git in a project as its user and return the output; fail on a non-zero exit."""
    result = subprocess.run(["git", *args], cwd=cwd, env=env or user_env(), capture_output=True, text=True, check=False)
    assert result.returncode == 0, f"git {' '.join(args)} exited {result.returncode}:\n{result.stdout}{result.stderr}"
    return result.stdout


def commit_all(project: Path, message: str) -> None:
    """Stage and commit every change, as a user would after editing (hooks skipped for speed)."""
    git("add", "--all", cwd=project)
    git("commit", "--quiet", "--no-verify", "--message", message, cwd=project)


def conflicted_files(project: Path) -> list[str]:
    """Files that carry inline conflict markers after an update, sorted."""
    return sorted(
        str(path.relative_to(project))
        for path in project.rglob("*")
        if ".git" not in path.relative_to(project).parts
        and path.is_file()
        and CONFLICT_START in path.read_text(encoding="utf-8", errors="replace")
    )


def call(
    method: str, url: str, *, body: Any = None, form: dict[str, str] | None = None, token: str = ""
) -> tuple[int, dict[str, str], Any]:
    """One HTTP request to a local service: its status, lower-cased headers and JSON body (None when empty)."""
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    data = None
    if form is not None:
        data, headers["Content-Type"] = urllib.parse.urlencode(form).encode(), "application/x-www-form-urlencoded"
    elif body is not None:
        data, headers["Content-Type"] = json.dumps(body).encode(), "application/json"
    request = urllib.request.Request(url, data=data, headers=headers, method=method)  # noqa: S310 - a local URL
    try:
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310 - a local URL
            status, answer, raw = response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        status, answer, raw = error.code, dict(error.headers), error.read()
    return status, {name.lower(): value for name, value in answer.items()}, json.loads(raw) if raw else None


def run_in(project: Path, *command: str) -> str:
    """Run a command of the generated service with its own environment; fail with its output."""
    result = subprocess.run(command, cwd=project, env=project_env(), capture_output=True, text=True, check=False)
    assert result.returncode == 0, f"{' '.join(command)} exited {result.returncode}:\n{result.stdout}{result.stderr}"
    return result.stdout


@contextmanager
def serving(project: Path, port: int, env: dict[str, str], *options: str) -> Iterator[str]:
    """The base URL of uvicorn serving the service from its own .venv on `port`, with `env` and uvicorn `options`."""
    command = [str(project / ".venv/bin/python"), "-m", "uvicorn", "app.main:app", "--port", str(port), *options]
    log = project.parent / f"{project.name}-uvicorn-{port}.log"  # outside the project: its git tree stays clean
    url = f"http://127.0.0.1:{port}"
    with log.open("wb") as output:
        server = subprocess.Popen(command, cwd=project, env=env, stdout=output, stderr=output)
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
