"""The service's image, entrypoint and compose files: their linters, and what they promise to do."""

import fnmatch
import json
import os
import shutil
import socket
import subprocess
import time
from pathlib import Path

import pytest
import yaml

from tests.artifacts.manifests import KUSTOMIZATIONS, deploys_to_kubernetes, dockerfile_instructions, kustomize
from tests.artifacts.tools import VENV_BIN, run_tool
from tests.conftest import Rendered
from tests.net import free_port
from tests.presets import PRESETS

ALL_PRESETS = sorted(PRESETS)
APP_UID = "10001"


def _instruction(project: Path, name: str) -> list[str]:
    return [
        arguments for instruction, arguments in dockerfile_instructions(project / "Dockerfile") if instruction == name
    ]


def _runtime_stage(project: Path) -> list[tuple[str, str]]:
    instructions = dockerfile_instructions(project / "Dockerfile")
    start = max(index for index, (instruction, _) in enumerate(instructions) if instruction == "FROM")
    return instructions[start:]


@pytest.mark.parametrize("preset", ALL_PRESETS)
def test_dockerfile_passes_hadolint(rendered: Rendered, preset: str) -> None:
    project = rendered(preset)
    run_tool("hadolint", "--no-color", "Dockerfile", cwd=project)


@pytest.mark.parametrize("preset", ALL_PRESETS)
def test_shell_scripts_pass_shellcheck(rendered: Rendered, preset: str) -> None:
    project = rendered(preset)
    scripts = sorted(str(path.relative_to(project)) for path in project.rglob("*.sh"))
    assert "scripts/entrypoint.sh" in scripts
    run_tool("shellcheck", *scripts, cwd=project)


@pytest.mark.parametrize("preset", ALL_PRESETS)
def test_compose_files_match_the_compose_spec(rendered: Rendered, preset: str) -> None:
    project = rendered(preset)
    files = sorted(path.name for path in project.glob("docker-compose*.yml"))
    assert files == ["docker-compose.override.yml", "docker-compose.yml"]
    for name in files:
        run_tool("check-jsonschema", "--builtin-schema", "vendor.compose-spec", name, cwd=project)


@pytest.mark.parametrize("preset", ALL_PRESETS)
def test_trivy_finds_no_serious_misconfiguration(rendered: Rendered, preset: str, tmp_path: Path) -> None:
    """One scan of the project plus every rendered kustomization, so overlay patches are checked merged."""
    project = shutil.copytree(rendered(preset), tmp_path / "service")
    if (project / "deploy").exists():
        for kustomization in KUSTOMIZATIONS:
            rendered_manifests = kustomize(project / "deploy/k8s" / kustomization)
            (tmp_path / "service" / f"rendered-{kustomization.replace('/', '-')}.yaml").write_text(rendered_manifests)
    output = run_tool(
        "trivy", "config", "--skip-check-update", "--exit-code", "1", "--severity", "HIGH,CRITICAL", ".", cwd=project
    )
    assert "Dockerfile" in output


@pytest.mark.parametrize("preset", ALL_PRESETS)
def test_image_builds_from_the_lock_on_the_chosen_python(rendered: Rendered, preset: str) -> None:
    project = rendered(preset)
    python = yaml.safe_load((project / ".copier-answers.yml").read_text())["python_version"]
    bases = _instruction(project, "FROM")
    assert bases[0].startswith("ghcr.io/astral-sh/uv:0.") and bases[0].endswith(" AS uv")
    python_bases = {base.split()[0] for base in bases[1:]}
    assert len(python_bases) == 1, "build and runtime stages must share the base (the venv links its Python)"
    (python_base,) = python_bases
    assert python_base in {f"python:{python}-slim-bookworm", f"python:{python}-slim-trixie"}
    runs = " ".join(_instruction(project, "RUN"))
    assert "uv sync --locked --no-dev" in runs
    assert "--mount=type=cache,target=/root/.cache/uv" in runs
    assert "--mount=type=bind,source=uv.lock,target=uv.lock" in runs
    assert "UV_COMPILE_BYTECODE=1" in " ".join(_instruction(project, "ENV"))


@pytest.mark.parametrize("preset", ALL_PRESETS)
def test_runtime_stage_is_slim_and_unprivileged(rendered: Rendered, preset: str) -> None:
    project = rendered(preset)
    runtime = _runtime_stage(project)
    commands = " ".join(arguments for instruction, arguments in runtime if instruction == "RUN")
    assert not any(tool in commands for tool in ("apt-get", "pip ", "uv ", "gcc", "curl"))
    assert f"--uid {APP_UID}" in commands
    users = [arguments for instruction, arguments in runtime if instruction == "USER"]
    assert users == [f"{APP_UID}:{APP_UID}"]
    environment = " ".join(arguments for instruction, arguments in runtime if instruction == "ENV")
    assert "PYTHONUNBUFFERED=1" in environment
    assert "FORWARDED_ALLOW_IPS=127.0.0.1" in environment
    labels = " ".join(arguments for instruction, arguments in runtime if instruction == "LABEL")
    for key in ("title", "version", "source", "licenses"):
        assert f"org.opencontainers.image.{key}=" in labels


@pytest.mark.parametrize("preset", ALL_PRESETS)
def test_build_arguments_follow_every_layer_so_a_new_commit_keeps_the_cache(rendered: Rendered, preset: str) -> None:
    project = rendered(preset)
    runtime = [instruction for instruction, _ in _runtime_stage(project)]
    assert runtime.count("ARG") == len(_instruction(project, "ARG")), "build arguments belong to the runtime stage"
    last_layer = max(index for index, instruction in enumerate(runtime) if instruction in {"RUN", "COPY"})
    first_argument = min(index for index, instruction in enumerate(runtime) if instruction in {"ARG", "LABEL"})
    assert first_argument > last_layer, f"ARG or LABEL before a RUN or COPY of the runtime stage: {runtime}"


@pytest.mark.parametrize("preset", ALL_PRESETS)
def test_dockerfile_mentions_kubernetes_only_when_it_deploys_there(rendered: Rendered, preset: str) -> None:
    dockerfile = (rendered(preset) / "Dockerfile").read_text()
    assert ("Kubernetes" in dockerfile) == deploys_to_kubernetes(preset)


@pytest.mark.parametrize("preset", ALL_PRESETS)
def test_image_serves_with_uvicorn_behind_its_entrypoint(rendered: Rendered, preset: str) -> None:
    project = rendered(preset)
    (entrypoint,) = _instruction(project, "ENTRYPOINT")
    assert json.loads(entrypoint) == ["/app/scripts/entrypoint.sh"]
    (command,) = _instruction(project, "CMD")
    argv = json.loads(command)
    assert argv[:2] == ["uvicorn", "app.main:app"]
    assert "--proxy-headers" in argv and "--timeout-graceful-shutdown" in argv
    assert "--workers" not in argv, "uvicorn reads WEB_CONCURRENCY itself"
    assert "*" not in argv
    (healthcheck,) = _instruction(project, "HEALTHCHECK")
    assert "/health/live" in healthcheck and "urllib.request" in healthcheck and "curl" not in healthcheck


@pytest.mark.parametrize("preset", ALL_PRESETS)
def test_build_context_keeps_secrets_out_and_sources_in(rendered: Rendered, preset: str) -> None:
    project = rendered(preset)
    ignored = [line for line in (project / ".dockerignore").read_text().splitlines() if line and line[0] not in "#!"]
    for secret in (".env", ".git/", ".venv/", "**/*.db", "**/__pycache__/"):
        assert secret in ignored
    sources = [arguments.split()[-2] for arguments in _instruction(project, "COPY") if "--from=" not in arguments]
    assert sources
    for source in sources:
        assert (project / source).exists(), f"COPY {source}: not in the project"
        parts = Path(source.rstrip("/")).parts
        prefixes = ["/".join(parts[: index + 1]) for index in range(len(parts))]
        hits = [pattern for pattern in ignored for prefix in prefixes if fnmatch.fnmatch(prefix, pattern.rstrip("/"))]
        assert not hits, f"COPY {source} is excluded from the build context by {hits}"


@pytest.mark.parametrize("preset", ALL_PRESETS)
def test_compose_runs_the_service_on_postgres(rendered: Rendered, preset: str) -> None:
    project = rendered(preset)
    compose = yaml.safe_load((project / "docker-compose.yml").read_text())
    app, db = compose["services"]["app"], compose["services"]["db"]
    assert app["env_file"] == [{"path": ".env", "required": False}]
    assert app["environment"]["DATABASE_URL"].startswith("postgresql+asyncpg://")
    assert "@db:5432/" in app["environment"]["DATABASE_URL"]
    assert app["environment"]["RUN_MIGRATIONS"] == "true"
    assert app["depends_on"] == {"db": {"condition": "service_healthy"}}
    image, major = db["image"].split(":")[0], db["image"].split(":")[1].split("-")[0]
    assert image == "postgres" and major.isdigit()
    assert "pg_isready" in " ".join(db["healthcheck"]["test"])
    volume = db["volumes"][0].split(":")[0]
    assert volume in compose["volumes"]
    development = yaml.safe_load((project / "docker-compose.override.yml").read_text())["services"]["app"]
    assert "--reload" in development["command"]
    assert any(mount.startswith("./app:/app/app") for mount in development["volumes"])


@pytest.mark.parametrize("preset", ALL_PRESETS)
def test_readme_documents_both_ways_to_run(rendered: Rendered, preset: str) -> None:
    readme = (rendered(preset) / "README.md").read_text()
    assert "## Containers" in readme
    assert "docker compose up" in readme and "make run" in readme
    assert "uv.lock" in readme
    assert ("## Deploying to Kubernetes" in readme) == deploys_to_kubernetes(preset)


# The entrypoint, run for real: a stub `alembic` on PATH records what it was asked to do.


def _run_entrypoint(
    project: Path, tmp_path: Path, command: list[str], **environment: str
) -> tuple[subprocess.CompletedProcess[str], int]:
    stubs = tmp_path / "bin"
    stubs.mkdir(exist_ok=True)
    alembic = stubs / "alembic"
    alembic.write_text(f'#!/bin/sh\necho "alembic $*" >> "{tmp_path}/calls"\n')
    alembic.chmod(0o755)
    env = {"PATH": f"{stubs}{os.pathsep}{VENV_BIN}{os.pathsep}/usr/bin{os.pathsep}/bin", **environment}
    process = subprocess.Popen(
        [str(project / "scripts/entrypoint.sh"), *command],
        cwd=project,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    stdout, stderr = process.communicate(timeout=30)
    return subprocess.CompletedProcess(process.args, process.returncode, stdout, stderr), process.pid


PRINT_PID = ["python", "-c", "import os; print('served by', os.getpid())"]


def _alembic_calls(tmp_path: Path) -> list[str]:
    calls = tmp_path / "calls"
    return calls.read_text().splitlines() if calls.exists() else []


def test_entrypoint_is_executable(rendered: Rendered) -> None:
    assert os.access(rendered("default") / "scripts/entrypoint.sh", os.X_OK)


def test_entrypoint_execs_the_command_on_sqlite(rendered: Rendered, tmp_path: Path) -> None:
    result, pid = _run_entrypoint(
        rendered("default"), tmp_path, PRINT_PID, DATABASE_URL="sqlite+aiosqlite:///./service.db"
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout == f"served by {pid}\n", "the command must replace the shell (exec), not run as its child"
    assert _alembic_calls(tmp_path) == []


def test_entrypoint_migrates_before_the_command_when_asked(rendered: Rendered, tmp_path: Path) -> None:
    result, _ = _run_entrypoint(
        rendered("default"), tmp_path, ["sh", "-c", f"echo served >> {tmp_path}/calls"], RUN_MIGRATIONS="True"
    )
    assert result.returncode == 0, result.stderr
    assert _alembic_calls(tmp_path) == ["alembic upgrade head", "served"]


def test_entrypoint_rejects_an_unknown_migration_switch(rendered: Rendered, tmp_path: Path) -> None:
    result, _ = _run_entrypoint(rendered("default"), tmp_path, PRINT_PID, RUN_MIGRATIONS="sometimes")
    assert result.returncode == 2
    assert "RUN_MIGRATIONS must be true or false (got 'sometimes')" in result.stderr
    assert result.stdout == ""


def test_entrypoint_gives_up_on_a_closed_port_within_the_attempts(rendered: Rendered, tmp_path: Path) -> None:
    port = free_port()  # closed again: nothing answers there
    url = f"postgresql+asyncpg://app:s3cret@127.0.0.1:{port}/service"
    started = time.monotonic()
    result, _ = _run_entrypoint(
        rendered("default"),
        tmp_path,
        PRINT_PID,
        DATABASE_URL=url,
        RUN_MIGRATIONS="true",
        DB_WAIT_ATTEMPTS="3",
        DB_WAIT_DELAY="0.2",
    )
    elapsed = time.monotonic() - started
    assert result.returncode == 1
    assert f"gave up: 127.0.0.1:{port} did not accept a connection in 3 attempts" in result.stderr
    assert "s3cret" not in result.stderr
    assert 0.4 <= elapsed < 5, f"three attempts 0.2 s apart took {elapsed:.2f} s"
    assert result.stdout == "" and _alembic_calls(tmp_path) == []


def test_entrypoint_proceeds_once_the_database_listens(rendered: Rendered, tmp_path: Path) -> None:
    with socket.create_server(("127.0.0.1", 0)) as server:
        url = f"postgresql+asyncpg://app@127.0.0.1:{server.getsockname()[1]}/service"
        result, pid = _run_entrypoint(rendered("default"), tmp_path, PRINT_PID, DATABASE_URL=url, DB_WAIT_ATTEMPTS="2")
    assert result.returncode == 0, result.stderr
    assert result.stdout == f"served by {pid}\n"
