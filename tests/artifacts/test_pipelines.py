"""CI/CD pipelines of every ci_provider x deployment answer: their own linters and the behaviour they promise."""

import base64
import os
import re
import shutil
import subprocess
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from pytest_copie.plugin import Copie

from tests.artifacts.tools import VENV_BIN, run_tool
from tests.copying import copy, project
from tests.presets import answers

# (preset, overrides) per combination; "odd" proves quoting, "limits" the longest slug; together they
# cover every auth answer (default and odd: local, example: api_key, domain: oidc, limits: none).
COMBINATIONS: dict[str, tuple[str, dict[str, str]]] = {
    "github-kubernetes": ("default", {}),
    "github-kubernetes-odd": ("odd", {}),
    "github-none": ("default", {"deployment": "none"}),
    "gitlab-kubernetes": ("example", {}),
    "gitlab-kubernetes-oidc-aws": ("domain", {}),
    "gitlab-none": ("example", {"deployment": "none"}),
    "none-kubernetes": ("default", {"ci_provider": "none"}),
    "none-none": ("limits", {}),
}
GITHUB = sorted(name for name in COMBINATIONS if name.startswith("github-"))
GITLAB = sorted(name for name in COMBINATIONS if name.startswith("gitlab-"))
WITH_CI = GITHUB + GITLAB

# Every action the workflows may use, at the one ref they must use.
ACTION_REFS = {
    "actions/checkout": "v5",
    "actions/download-artifact": "v8",
    "actions/setup-python": "v6",
    "actions/upload-artifact": "v7",
    "astral-sh/setup-uv": "v8.3.2",
    "aquasecurity/trivy-action": "v0.36.0",
    "docker/build-push-action": "v7",
    "docker/login-action": "v4",
    "docker/metadata-action": "v6",
    "docker/setup-buildx-action": "v4",
}
DEPLOY_JOBS = {"deploy-staging", "e2e-staging", "deploy-production"}
RELEASE_TAG_RULE = {"if": r"$CI_COMMIT_TAG =~ /^v\d+\.\d+\.\d+$/"}
# The E2E_* secrets the e2e-staging job passes to the suite, per auth answer.
E2E_SECRETS = {
    "local": {"E2E_USERNAME", "E2E_PASSWORD"},
    "api_key": {"E2E_API_KEY"},
    "oidc": {"E2E_TOKEN"},
    "none": set(),
}
GITLAB_KEYWORDS = {"workflow", "stages", "variables", "default", "include"}


class Service:
    """One rendered combination: its folder and its answers."""

    def __init__(self, root: Path, answers: dict[str, Any]) -> None:
        self.root = root
        self.answers = answers

    @property
    def slug(self) -> str:
        return str(self.answers["project_slug"])

    @property
    def auth(self) -> str:
        return str(self.answers["auth"])

    @property
    def deploys(self) -> bool:
        return str(self.answers["deployment"]) == "kubernetes"

    @property
    def terraform(self) -> bool:
        return self.answers.get("infrastructure") == "aws"

    def yaml(self, relative: str) -> Any:
        return yaml.safe_load((self.root / relative).read_text())

    def workflow_files(self) -> list[Path]:
        return sorted((self.root / ".github/workflows").glob("*.yml"))

    def action_files(self) -> list[Path]:
        return sorted((self.root / ".github/actions").glob("*/action.yml"))

    def workflow(self) -> dict[Any, Any]:
        """ci.yml, parsed: PyYAML reads its bare key `on` as the boolean True."""
        return dict(self.yaml(".github/workflows/ci.yml"))

    def gitlab_jobs(self) -> dict[str, dict[str, Any]]:
        """Every job of .gitlab-ci.yml with its `extends` merged in, hidden templates left out."""
        document = self.yaml(".gitlab-ci.yml")
        return {
            name: _resolved(document, name)
            for name in document
            if name not in GITLAB_KEYWORDS and not name.startswith(".")
        }


def _resolved(document: dict[str, Any], name: str) -> dict[str, Any]:
    """A GitLab job with its `extends` chain merged the way GitLab does (hashes deep, the rest replaced)."""
    job = document[name]
    parents = job.get("extends", [])
    merged: dict[str, Any] = {}
    for parent in [parents] if isinstance(parents, str) else parents:
        merged = _merge(merged, _resolved(document, parent))
    return _merge(merged, {key: value for key, value in job.items() if key != "extends"})


def _merge(base: dict[str, Any], override: dict[str, Any]) -> dict[str, Any]:
    merged = dict(base)
    for key, value in override.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = _merge(merged[key], value)
        else:
            merged[key] = value
    return merged


@pytest.fixture(scope="session", name="service")
def fixture_service(copie_session: Copie, template_dir: Path) -> Callable[[str], Service]:
    """A combination rendered once per test session, to read but never to change."""
    cache: dict[str, Service] = {}

    def _service(combination: str) -> Service:
        if combination not in cache:
            preset, overrides = COMBINATIONS[combination]
            result = copy(copie_session, template_dir, answers(preset, **overrides))
            cache[combination] = Service(project(result), result.answers)
        return cache[combination]

    return _service


def _steps(service: Service) -> Iterator[tuple[str, dict[str, Any]]]:
    """Every step of the workflow jobs and the local composite actions, with where it lives."""
    for job_name, job in service.workflow()["jobs"].items():
        for step in job.get("steps", []):
            yield f"job {job_name}", step
    for action in service.action_files():
        for step in yaml.safe_load(action.read_text())["runs"]["steps"]:
            yield f"action {action.parent.name}", step


def _uses(service: Service, action: str) -> list[dict[str, Any]]:
    return [step for _, step in _steps(service) if str(step.get("uses", "")).startswith(f"{action}@")]


def _run_scripts(service: Service) -> dict[str, tuple[str, str]]:
    """Every shell script of the pipelines, by a readable name: (shell, script)."""
    if (service.root / ".gitlab-ci.yml").exists():
        scripts = {}
        for name, job in service.gitlab_jobs().items():
            for part in ("before_script + script", "after_script"):
                lines = [line for key in part.split(" + ") for line in job.get(key, [])]
                if lines:
                    scripts[f"{name} {part}"] = ("sh", "\n".join(lines))
        return scripts
    return {
        f"{where} step {number} {step.get('name', '')}": ("bash", step["run"])
        for number, (where, step) in enumerate(_steps(service))
        if "run" in step
    }


# Stand-ins for kubectl, kustomize and docker: each logs "<folder>|<tool> <arguments>" to $CALLS;
# kubectl answers `get job/...` with $JOB_CONDITIONS and `logs` with a line of a failed migration.
MIGRATION_LOG = "alembic: relation already exists"
STUB = f"""#!/bin/sh
printf '%s|%s\\n' "$(basename "$(pwd)")" "$(basename "$0") $*" >> "$CALLS"
case "$*" in
  *" get job/"*) printf '%s' "$JOB_CONDITIONS" ;;
  *" logs job/"*) echo "{MIGRATION_LOG}" ;;
esac
"""


def _stubbed_path(tmp_path: Path, job_conditions: str = "SuccessCriteriaMet Complete") -> dict[str, str]:
    """PATH with kubectl, kustomize and docker replaced by stand-ins that log their arguments to $CALLS."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    for tool in ("kubectl", "kustomize", "docker"):
        (bin_dir / tool).write_text(STUB)
        (bin_dir / tool).chmod(0o755)
    return {
        "PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}",
        "CALLS": str(tmp_path / "calls"),
        "JOB_CONDITIONS": job_conditions,
    }


def _calls(tmp_path: Path) -> list[str]:
    calls = tmp_path / "calls"
    return calls.read_text().splitlines() if calls.exists() else []


# Files per answer


@pytest.mark.parametrize("combination", sorted(COMBINATIONS))
def test_pipeline_files_follow_the_answers(service: Callable[[str], Service], combination: str) -> None:
    project = service(combination)
    provider = project.answers["ci_provider"]
    assert (project.root / ".github").exists() == (provider == "github")
    assert (project.root / ".gitlab-ci.yml").exists() == (provider == "gitlab")
    assert (project.root / "deploy").exists() == project.deploys
    assert (project.root / "scripts/deploy.sh").exists() == project.deploys
    readme = (project.root / "README.md").read_text()
    assert ("\n## CI/CD\n" in readme) == (provider != "none")
    assert ("`deploy-production`" in readme) == (provider != "none" and project.deploys)
    assert ("`.trivyignore`" in readme) == (provider != "none"), "why the gate ignores unfixed findings"
    assert ("scripts/deploy.sh staging" in readme) == project.deploys
    if provider == "github":
        assert [path.name for path in project.workflow_files()] == ["ci.yml"]
        assert (project.root / ".github/dependabot.yml").is_file()
        assert (project.root / ".github/actions/deploy/action.yml").exists() == project.deploys


@pytest.mark.parametrize("combination", WITH_CI)
def test_free_text_answers_stay_out_of_the_pipelines(service: Callable[[str], Service], combination: str) -> None:
    # A runner would evaluate an answer like "${{ secrets.TOKEN }}" that reached a pipeline file.
    project = service(combination)
    files = [*project.root.joinpath(".github").rglob("*.yml"), project.root / ".gitlab-ci.yml"]
    text = "\n".join(path.read_text() for path in files if path.exists())
    for question in ("project_name", "project_description", "author_name", "author_email"):
        assert project.answers[question] not in text


# Linters


@pytest.mark.parametrize("combination", GITHUB)
def test_workflows_pass_actionlint(service: Callable[[str], Service], combination: str) -> None:
    project = service(combination)
    files = [str(path.relative_to(project.root)) for path in project.workflow_files()]
    assert (VENV_BIN / "shellcheck").is_file(), "actionlint checks run: blocks with shellcheck only when it is on PATH"
    run_tool("actionlint", "-no-color", *files, cwd=project.root)


@pytest.mark.parametrize("combination", GITHUB)
def test_github_files_match_their_schemas(service: Callable[[str], Service], combination: str) -> None:
    project = service(combination)
    for schema, files in (
        ("vendor.github-workflows", project.workflow_files()),
        ("vendor.github-actions", project.action_files()),
        ("vendor.dependabot", [project.root / ".github/dependabot.yml"]),
    ):
        run_tool("check-jsonschema", "--builtin-schema", schema, *map(str, files), cwd=project.root)


@pytest.mark.parametrize("combination", GITLAB)
def test_gitlab_ci_matches_its_schema(service: Callable[[str], Service], combination: str) -> None:
    project = service(combination)
    run_tool("check-jsonschema", "--builtin-schema", "vendor.gitlab-ci", ".gitlab-ci.yml", cwd=project.root)


@pytest.mark.parametrize("combination", WITH_CI)
def test_run_scripts_pass_shellcheck(service: Callable[[str], Service], combination: str, tmp_path: Path) -> None:
    scripts = _run_scripts(service(combination))
    assert scripts
    files = []
    for number, (name, (shell, script)) in enumerate(sorted(scripts.items())):
        path = tmp_path / f"{number:02d}.{shell}"
        path.write_text(f"#!/bin/{shell}\n# {name}\n{script}\n")
        files.append(path.name)
    run_tool("shellcheck", "--severity=style", *files, cwd=tmp_path)


# GitHub Actions behaviour


@pytest.mark.parametrize("combination", GITHUB)
def test_workflow_permissions_are_read_only_but_for_publishing(
    service: Callable[[str], Service], combination: str
) -> None:
    workflow = service(combination).workflow()
    assert workflow["permissions"] == {"contents": "read"}
    elevated = {name: job["permissions"] for name, job in workflow["jobs"].items() if "permissions" in job}
    plan = {"terraform-plan": {"contents": "read", "id-token": "write"}} if service(combination).terraform else {}
    assert elevated == {"publish": {"contents": "read", "packages": "write"}} | plan


@pytest.mark.parametrize("combination", GITHUB)
def test_every_workflow_job_has_a_timeout(service: Callable[[str], Service], combination: str) -> None:
    jobs = service(combination).workflow()["jobs"]
    assert {name: job.get("timeout-minutes") for name, job in jobs.items() if not job.get("timeout-minutes")} == {}
    assert all(0 < job["timeout-minutes"] <= 30 for job in jobs.values())


@pytest.mark.parametrize("combination", GITHUB)
def test_workflow_triggers_and_concurrency(service: Callable[[str], Service], combination: str) -> None:
    workflow = service(combination).workflow()
    assert workflow[True] == {"push": {"branches": ["main"], "tags": ["v*.*.*"]}, "pull_request": None}
    assert workflow["concurrency"]["cancel-in-progress"] == "${{ github.event_name == 'pull_request' }}"
    assert "github.run_id" in workflow["concurrency"]["group"]


@pytest.mark.parametrize("combination", GITHUB)
def test_actions_are_pinned_to_the_required_versions(service: Callable[[str], Service], combination: str) -> None:
    project = service(combination)
    used = {step["uses"] for _, step in _steps(project) if "uses" in step and not step["uses"].startswith("./")}
    assert used == {f"{action}@{ref}" for action, ref in ACTION_REFS.items()}


@pytest.mark.parametrize("combination", GITHUB)
def test_python_and_uv_follow_the_answers(service: Callable[[str], Service], combination: str) -> None:
    project = service(combination)
    [setup_python] = _uses(project, "actions/setup-python")
    assert setup_python["with"]["python-version"] == project.answers["python_version"]
    assert (project.root / ".python-version").read_text().strip() == project.answers["python_version"]
    scripts = "\n".join(script for _, script in _run_scripts(project).values())
    assert "[ ! -f uv.lock ]" in scripts
    assert "uv sync --locked" in scripts
    assert project.workflow()["env"]["UV_LOCKED"] == "1"
    assert project.workflow()["env"]["IMAGE_NAME"] == project.slug


@pytest.mark.parametrize("combination", GITHUB)
def test_lint_job_runs_ruff_and_mypy(service: Callable[[str], Service], combination: str) -> None:
    commands = [step.get("run") for step in service(combination).workflow()["jobs"]["lint"]["steps"]]
    assert commands[-3:] == [
        "uv run ruff check --output-format=github .",
        "uv run ruff format --check .",
        "uv run mypy .",
    ]


@pytest.mark.parametrize("combination", GITHUB)
def test_test_job_migrates_checks_drift_and_tests_on_postgres(
    service: Callable[[str], Service], combination: str
) -> None:
    project = service(combination)
    job = project.workflow()["jobs"]["test"]
    postgres = job["services"]["postgres"]
    assert re.fullmatch(r"postgres:\d+(-alpine)?", postgres["image"])
    assert "--health-cmd" in postgres["options"]
    database = postgres["env"]["POSTGRES_DB"]
    assert job["env"]["DATABASE_URL"] == f"postgresql+asyncpg://postgres:postgres@127.0.0.1:5432/{database}"
    steps = {step.get("name"): step for step in job["steps"]}
    runs = [step.get("run") for step in job["steps"] if "run" in step]
    assert runs == ["uv run alembic upgrade head", "uv run alembic check", "uv run pytest", "uv run pytest"]
    assert steps["Test on PostgreSQL"]["env"] == {"TEST_DATABASE_URL": "${{ env.DATABASE_URL }}"}


def _step_using(steps: list[dict[str, Any]], action: str) -> dict[str, Any]:
    [step] = [step for step in steps if str(step.get("uses", "")).startswith(f"{action}@")]
    return step


@pytest.mark.parametrize("combination", GITHUB)
def test_image_is_built_once_with_its_release_tags_scanned_and_described_by_an_sbom(
    service: Callable[[str], Service], combination: str
) -> None:
    project = service(combination)
    job = project.workflow()["jobs"]["image"]
    steps = job["steps"]
    build = _step_using(steps, "docker/build-push-action")["with"]
    assert build["cache-from"] == "type=gha"
    assert build["cache-to"] == "type=gha,mode=max"
    assert build["load"] is True and "push" not in build
    assert build["tags"] == "${{ steps.meta.outputs.tags }}"
    assert dict(line.split("=", 1) for line in build["build-args"].splitlines()) == {
        "VERSION": "${{ steps.meta.outputs.version }}",
        "SOURCE_URL": "${{ github.server_url }}/${{ github.repository }}",
        "REVISION": "${{ github.sha }}",
    }
    assert _step_using(steps, "docker/metadata-action")["with"]["tags"].split() == [
        "type=sha,format=long",
        "type=semver,pattern={{version}}",
        "type=semver,pattern={{major}}.{{minor}}",
    ]
    [repository] = [step for step in steps if step.get("id") == "repository"]
    assert "${GITHUB_REPOSITORY_OWNER,,}/${IMAGE_NAME}" in repository["run"]
    assert 'image=$repository:sha-$GITHUB_SHA"' in repository["run"], "the sha tag docker/metadata-action gives"
    assert job["outputs"]["image"] == "${{ steps.repository.outputs.image }}"
    trivy = [step["with"] for step in steps if str(step.get("uses", "")).startswith("aquasecurity/trivy-action")]
    assert {options["image-ref"] for options in trivy} == {job["outputs"]["image"]}
    [gate] = [options for options in trivy if options.get("exit-code") == "1"]
    assert gate["severity"] == "HIGH,CRITICAL"
    assert gate["ignore-unfixed"] is True
    [sbom] = [options for options in trivy if options["format"] == "cyclonedx"]
    uploads = {step["with"]["name"]: step for step in steps if str(step.get("uses", "")).startswith("actions/upload")}
    assert uploads["sbom"]["with"]["path"] == sbom["output"]
    assert uploads["sbom"]["with"]["if-no-files-found"] == "error"
    names = [step.get("name") for step in steps]
    assert names.index("Fail on fixable HIGH or CRITICAL vulnerabilities") < names.index("Save the scanned image")
    assert uploads["image"]["if"] == "github.event_name == 'push'"
    assert uploads["image"]["with"]["path"] == "${{ runner.temp }}/image.tar"


@pytest.mark.parametrize("combination", GITHUB)
def test_image_job_smoke_tests_the_image_before_it_leaves_the_job(
    service: Callable[[str], Service], combination: str
) -> None:
    job = service(combination).workflow()["jobs"]["image"]
    names = [step.get("name") for step in job["steps"]]
    [smoke] = [step for step in job["steps"] if str(step.get("name", "")).startswith("Smoke test")]
    assert smoke["run"] == 'scripts/smoke.sh "$IMAGE"'
    assert smoke["env"] == {"IMAGE": job["outputs"]["image"]}, "the very image that was built and is published"
    assert names.index("Build") < names.index(smoke["name"]) < names.index("Save the scanned image")
    assert "if" not in smoke, "pull requests run it too"


@pytest.mark.parametrize("combination", GITHUB)
def test_only_main_and_release_tags_publish_the_scanned_image(
    service: Callable[[str], Service], combination: str
) -> None:
    project = service(combination)
    jobs = project.workflow()["jobs"]
    publish = jobs["publish"]
    assert publish["if"] == "github.event_name == 'push'"
    assert set(publish["needs"]) == {"lint", "test", "image"}
    builds = [
        name for name, job in jobs.items() for step in job["steps"] if "build-push-action" in step.get("uses", "")
    ]
    assert builds == ["image"], "publish pushes the image job's scanned build, never a build of its own"
    assert _step_using(publish["steps"], "docker/login-action")["with"]["registry"] == "ghcr.io"
    assert _step_using(publish["steps"], "actions/download-artifact")["with"]["name"] == "image"
    assert publish["outputs"]["image"] == "${{ needs.image.outputs.image }}"


@pytest.mark.parametrize("combination", GITHUB)
def test_publish_pushes_every_tag_of_the_saved_image(
    service: Callable[[str], Service], combination: str, tmp_path: Path
) -> None:
    jobs = service(combination).workflow()["jobs"]
    [save] = [step for step in jobs["image"]["steps"] if step.get("name") == "Save the scanned image"]
    [push] = [step for step in jobs["publish"]["steps"] if step.get("name") == "Push"]
    assert save["if"] == "github.event_name == 'push'"
    repository = "ghcr.io/owner/service"
    tags = [f"{repository}:sha-0123abc", f"{repository}:1.2.3", f"{repository}:1.2"]
    env = {
        **_stubbed_path(tmp_path),
        "RUNNER_TEMP": str(tmp_path),
        "IMAGE_TAGS": "\n".join(tags),
        "REPOSITORY": repository,
    }
    for step in (save, push):
        subprocess.run(["bash", "-euo", "pipefail", "-c", step["run"]], cwd=tmp_path, env=env, check=True)
    assert _calls(tmp_path) == [
        f"{tmp_path.name}|docker save --output {tmp_path}/image.tar {' '.join(tags)}",
        f"{tmp_path.name}|docker load --input {tmp_path}/image.tar",
        f"{tmp_path.name}|docker push --all-tags {repository}",
    ]


GITHUB_STAGING = (
    "github.event_name == 'push' && (github.ref == 'refs/heads/main' || startsWith(github.ref, 'refs/tags/v'))"
)


@pytest.mark.parametrize("combination", GITHUB)
def test_deploy_jobs_follow_the_deployment_answer(service: Callable[[str], Service], combination: str) -> None:
    project = service(combination)
    jobs = project.workflow()["jobs"]
    assert DEPLOY_JOBS & set(jobs) == (DEPLOY_JOBS if project.deploys else set())
    if not project.deploys:
        return
    staging, production = jobs["deploy-staging"], jobs["deploy-production"]
    assert staging["environment"] == "staging"
    assert staging["if"] == GITHUB_STAGING, "main and every release tag go through staging"
    assert staging["needs"] == "publish"
    assert production["environment"] == "production"
    assert production["if"] == "github.event_name == 'push' && startsWith(github.ref, 'refs/tags/v')"
    assert production["needs"] == ["publish", "e2e-staging"]
    for environment, job in (("staging", staging), ("production", production)):
        assert job["concurrency"] == {"group": f"deploy-{environment}", "cancel-in-progress": False}
        [deploy] = [step for step in job["steps"] if step.get("uses") == "./.github/actions/deploy"]
        assert deploy["with"] == {
            "environment": environment,
            "image": "${{ needs.publish.outputs.image }}",
            "kubeconfig": "${{ secrets.KUBE_CONFIG }}",
        }


@pytest.mark.parametrize("combination", [name for name in GITHUB if COMBINATIONS[name][1].get("deployment") != "none"])
def test_e2e_staging_runs_the_suite_against_staging_between_the_deploys(
    service: Callable[[str], Service], combination: str, tmp_path: Path
) -> None:
    project = service(combination)
    job = project.workflow()["jobs"]["e2e-staging"]
    assert job["needs"] == "deploy-staging"
    assert job["if"] == GITHUB_STAGING
    assert job["environment"] == "staging", "the staging environment's variables and secrets"
    assert "concurrency" not in job, "a newer deploy must not cancel the check a release waits for"
    [run] = [step for step in job["steps"] if "run" in step]
    assert run["run"].rstrip().endswith("uv run pytest tests/e2e")
    assert run["env"] == {
        "E2E_BASE_URL": "${{ vars.E2E_BASE_URL }}",
        **{name: f"${{{{ secrets.{name} }}}}" for name in E2E_SECRETS[project.auth]},
    }
    result = subprocess.run(
        ["bash", "-c", run["run"]],
        env={"E2E_BASE_URL": "", "PATH": os.defpath},
        text=True,
        capture_output=True,
        cwd=tmp_path,
        check=False,
    )
    assert result.returncode == 1
    assert "E2E_BASE_URL is not set" in result.stderr, "without a URL the suite would test a server of its own"


@pytest.mark.parametrize("combination", GITHUB)
def test_no_secret_reaches_a_pull_request_job(service: Callable[[str], Service], combination: str) -> None:
    project = service(combination)
    jobs = project.workflow()["jobs"]
    with_secrets = {name for name, job in jobs.items() if "secrets." in yaml.safe_dump(job)}
    deploys = DEPLOY_JOBS - (set() if E2E_SECRETS[project.auth] else {"e2e-staging"})
    assert with_secrets == ({"publish"} | (deploys if project.deploys else set()))
    for name in with_secrets:
        assert jobs[name]["if"].startswith("github.event_name == 'push'")


@pytest.mark.parametrize("combination", GITHUB)
def test_expressions_reach_scripts_only_through_env(service: Callable[[str], Service], combination: str) -> None:
    project = service(combination)
    assert [name for name, (_, script) in _run_scripts(project).items() if "${{" in script] == []
    for _, step in _steps(project):
        if str(step.get("uses", "")).startswith("actions/checkout"):
            assert step["with"] == {"persist-credentials": False}


@pytest.mark.parametrize("combination", GITHUB)
def test_dependabot_updates_uv_actions_and_docker_weekly_in_groups(
    service: Callable[[str], Service], combination: str
) -> None:
    updates = service(combination).yaml(".github/dependabot.yml")["updates"]
    assert {update["package-ecosystem"] for update in updates} == {"uv", "github-actions", "docker"}
    for update in updates:
        assert update["schedule"]["interval"] == "weekly"
        assert update["groups"]
    [actions] = [update for update in updates if update["package-ecosystem"] == "github-actions"]
    assert "/.github/actions/*" in actions["directories"]


# GitLab CI behaviour


@pytest.mark.parametrize("combination", GITLAB)
def test_gitlab_runs_one_pipeline_per_change(service: Callable[[str], Service], combination: str) -> None:
    workflow = service(combination).yaml(".gitlab-ci.yml")["workflow"]
    assert workflow["rules"][0] == {"if": '$CI_PIPELINE_SOURCE == "merge_request_event"'}
    assert {"if": "$CI_COMMIT_BRANCH && $CI_OPEN_MERGE_REQUESTS", "when": "never"} in workflow["rules"]
    assert workflow["auto_cancel"] == {"on_new_commit": "interruptible"}


@pytest.mark.parametrize("combination", GITLAB)
def test_gitlab_jobs_have_timeouts_and_only_releases_are_uninterruptible(
    service: Callable[[str], Service], combination: str
) -> None:
    project = service(combination)
    default = project.yaml(".gitlab-ci.yml")["default"]
    jobs = project.gitlab_jobs()
    assert default["interruptible"] is True
    assert default["timeout"]
    assert all(job.get("timeout", default["timeout"]).endswith("minutes") for job in jobs.values())
    uninterruptible = {name for name, job in jobs.items() if job.get("interruptible", True) is False}
    assert uninterruptible == {"publish"} | (DEPLOY_JOBS if project.deploys else set())


@pytest.mark.parametrize("combination", GITLAB)
def test_gitlab_lint_and_test_jobs(service: Callable[[str], Service], combination: str) -> None:
    project = service(combination)
    jobs = project.gitlab_jobs()
    python = project.answers["python_version"]
    for name in ("lint", "test"):
        assert jobs[name]["image"].endswith(f"-python{python}-trixie-slim")
        assert jobs[name]["before_script"][-1] == "uv sync --locked"
        assert jobs[name]["cache"]["key"] == {"files": ["uv.lock"]}
    assert jobs["lint"]["script"] == ["uv run ruff check .", "uv run ruff format --check .", "uv run mypy ."]
    [postgres] = jobs["test"]["services"]
    assert postgres["alias"] == "postgres"
    assert re.fullmatch(r"postgres:\d+(-alpine)?", postgres["name"])
    database = postgres["variables"]["POSTGRES_DB"]
    assert (
        jobs["test"]["variables"]["DATABASE_URL"] == f"postgresql+asyncpg://postgres:postgres@postgres:5432/{database}"
    )
    assert jobs["test"]["script"] == [
        "uv run alembic upgrade head",
        "uv run alembic check",
        'TEST_DATABASE_URL="$DATABASE_URL" uv run pytest',
        "uv run pytest",
    ]


@pytest.mark.parametrize("combination", GITLAB)
def test_gitlab_builds_scans_and_publishes_one_image(service: Callable[[str], Service], combination: str) -> None:
    project = service(combination)
    document = project.yaml(".gitlab-ci.yml")
    jobs = project.gitlab_jobs()
    assert document["variables"]["CANDIDATE_IMAGE"] == "$CI_REGISTRY_IMAGE/candidates:$CI_COMMIT_SHA"
    assert document["variables"]["RELEASE_IMAGE"] == "$CI_REGISTRY_IMAGE:$CI_COMMIT_SHA"
    assert '--tag "$CANDIDATE_IMAGE" --push .' in jobs["build"]["script"][-1]
    assert "rules" not in jobs["build"]
    assert "rules" not in jobs["scan"]
    scan = jobs["scan"]["script"]
    assert scan[0] == 'trivy image --format cyclonedx --output sbom.cdx.json "$CANDIDATE_IMAGE"'
    assert scan[1] == 'trivy image --exit-code 1 --severity HIGH,CRITICAL --ignore-unfixed "$CANDIDATE_IMAGE"'
    assert jobs["scan"]["artifacts"]["reports"] == {"cyclonedx": ["sbom.cdx.json"]}
    assert jobs["scan"]["artifacts"]["when"] == "always"
    assert jobs["publish"]["rules"] == [
        {"if": "$CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH"},
        {"if": r"$CI_COMMIT_TAG =~ /^v\d+\.\d+\.\d+$/"},
    ]
    assert 'docker buildx imagetools create "$@" "$CANDIDATE_IMAGE"' in jobs["publish"]["script"][-1]


@pytest.mark.parametrize("combination", GITLAB)
def test_gitlab_smoke_tests_the_candidate_before_publish(service: Callable[[str], Service], combination: str) -> None:
    project = service(combination)
    document = project.yaml(".gitlab-ci.yml")
    jobs = project.gitlab_jobs()
    smoke, stages = jobs["smoke"], document["stages"]
    assert smoke["script"] == ['scripts/smoke.sh "$CANDIDATE_IMAGE"']
    assert smoke["services"] == jobs["build"]["services"], "Docker-in-Docker, as the build"
    assert "rules" not in smoke, "every pipeline runs it"
    assert stages.index(jobs["build"]["stage"]) < stages.index(smoke["stage"]) < stages.index(jobs["publish"]["stage"])
    assert "needs" not in jobs["publish"], "publish waits for every job of the earlier stages"
    runner = re.search(r'runner="\$\{SMOKE_RUNNER_IMAGE:-(.+)\}"', (project.root / "scripts/smoke.sh").read_text())
    assert runner is not None
    assert runner[1] == document[".uv"]["image"], "the suite runs in the image the test job uses"


@pytest.mark.parametrize("combination", GITLAB)
def test_gitlab_deploy_jobs_follow_the_deployment_answer(service: Callable[[str], Service], combination: str) -> None:
    project = service(combination)
    document = project.yaml(".gitlab-ci.yml")
    jobs = project.gitlab_jobs()
    assert ("deploy" in document["stages"]) == project.deploys
    assert DEPLOY_JOBS & set(jobs) == (DEPLOY_JOBS if project.deploys else set())
    if not project.deploys:
        return
    staging, e2e, production = jobs["deploy-staging"], jobs["e2e-staging"], jobs["deploy-production"]
    staging_rules = [{"if": "$CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH"}, RELEASE_TAG_RULE]
    assert staging["environment"] == {"name": "staging", "deployment_tier": "staging"}
    assert staging["rules"] == staging_rules, "the default branch and every release tag go through staging"
    assert "needs" not in staging, "it waits for every earlier stage, publish included"
    assert e2e["needs"] == ["deploy-staging"]
    assert e2e["rules"] == staging_rules
    assert e2e["environment"] == {"name": "staging", "action": "verify"}, "staging's variables, no deployment"
    assert e2e["script"][-1] == "uv run pytest tests/e2e"
    assert "E2E_BASE_URL is not set" in e2e["script"][0]
    assert production["environment"] == {"name": "production", "deployment_tier": "production"}
    assert production["rules"] == [{**RELEASE_TAG_RULE, "when": "manual"}]
    assert production["needs"] == ["e2e-staging"], "started by hand, and only once staging passed the suite"
    assert "allow_failure" not in production
    assert {staging["resource_group"], production["resource_group"]} == {"staging", "production"}


# The deploy: scripts/deploy.sh, run by both pipelines, against the stand-ins

CONDITIONS_QUERY = 'jsonpath={.status.conditions[?(@.status=="True")].type}'


def _contract(slug: str, environment: str, image: str) -> list[str]:
    namespace = f"{slug}-{environment}"
    return [
        f"{environment}|kustomize edit set image {slug}={image}",
        f"service|kubectl -n {namespace} delete job {slug}-migrate --ignore-not-found",
        f"service|kubectl apply -k deploy/k8s/overlays/{environment}",
        f"service|kubectl -n {namespace} get job/{slug}-migrate -o {CONDITIONS_QUERY}",
        f"service|kubectl -n {namespace} rollout status deployment/{slug} --timeout=300s",
    ]


def _workspace(tmp_path: Path, project: Service) -> Path:
    """A service folder with the overlays and a copy of scripts/deploy.sh (the rendered one stays untouched)."""
    workspace = tmp_path / "service"
    for environment in ("staging", "production"):
        (workspace / "deploy/k8s/overlays" / environment).mkdir(parents=True)
    (workspace / "scripts").mkdir()
    shutil.copy2(project.root / "scripts/deploy.sh", workspace / "scripts")
    return workspace


def _deploy_action_steps(project: Service) -> dict[str, dict[str, Any]]:
    action = project.yaml(".github/actions/deploy/action.yml")
    return {step["name"]: step for step in action["runs"]["steps"]}


def _run_deploy_script(tmp_path: Path, *arguments: str, job_conditions: str) -> subprocess.CompletedProcess[str]:
    """Run the workspace's scripts/deploy.sh from outside the service, as a person might."""
    return subprocess.run(
        [str(tmp_path / "service/scripts/deploy.sh"), *arguments],
        cwd=tmp_path,
        env=_stubbed_path(tmp_path, job_conditions),
        capture_output=True,
        text=True,
        check=False,
        timeout=30,
    )


@pytest.mark.parametrize("environment", ["staging", "production"])
def test_github_deploy_action_runs_the_deploy_script(
    service: Callable[[str], Service], environment: str, tmp_path: Path
) -> None:
    project = service("github-kubernetes")
    step = _deploy_action_steps(project)["Apply the overlay, migrate, roll out"]
    image = f"ghcr.io/owner/{project.slug}:sha-0123abc"
    env = {**_stubbed_path(tmp_path), "ENVIRONMENT": environment, "IMAGE": image}
    workspace = _workspace(tmp_path, project)
    subprocess.run(["bash", "-euo", "pipefail", "-c", step["run"]], cwd=workspace, env=env, check=True)
    assert _calls(tmp_path) == _contract(project.slug, environment, image)


@pytest.mark.parametrize("environment", ["staging", "production"])
def test_gitlab_deploy_jobs_run_the_deploy_script(
    service: Callable[[str], Service], environment: str, tmp_path: Path
) -> None:
    project = service("gitlab-kubernetes")
    image = f"registry.example.com/group/{project.slug}:0123abc"
    env = {**_stubbed_path(tmp_path), "RELEASE_IMAGE": image, "CI_ENVIRONMENT_NAME": environment}
    [script] = project.gitlab_jobs()[f"deploy-{environment}"]["script"]
    subprocess.run(["sh", "-eu", "-c", script], cwd=_workspace(tmp_path, project), env=env, check=True)
    assert _calls(tmp_path) == _contract(project.slug, environment, image)


def test_deploy_script_stops_at_once_with_the_logs_of_a_failed_migration(
    service: Callable[[str], Service], tmp_path: Path
) -> None:
    project = service("github-kubernetes")
    _workspace(tmp_path, project)
    image = f"ghcr.io/owner/{project.slug}:sha-0123abc"
    started = time.monotonic()
    result = _run_deploy_script(tmp_path, "staging", image, job_conditions="FailureTarget Failed")
    elapsed = time.monotonic() - started
    namespace = f"{project.slug}-staging"
    assert result.returncode == 1, result.stderr
    assert elapsed < 4, f"a failed Job must end the deploy at once, not after the timeout ({elapsed:.1f} s)"
    assert MIGRATION_LOG in result.stderr
    assert f"deploy: the migration job/{project.slug}-migrate failed in {namespace}" in result.stderr
    calls = _calls(tmp_path)
    assert calls[:-1] == _contract(project.slug, "staging", image)[:-1]
    assert calls[-1] == f"service|kubectl -n {namespace} logs job/{project.slug}-migrate --all-containers --tail=200"


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (("qa", "registry.example.com/service:1"), "the environment must be staging or production (got 'qa')"),
        (("staging",), "usage: scripts/deploy.sh staging|production IMAGE (got 1 arguments)"),
        (("staging", ""), "usage: scripts/deploy.sh staging|production IMAGE (got 2 arguments)"),
    ],
    ids=["environment", "no-image", "empty-image"],
)
def test_deploy_script_refuses_bad_arguments_before_touching_the_cluster(
    service: Callable[[str], Service], arguments: tuple[str, ...], message: str, tmp_path: Path
) -> None:
    _workspace(tmp_path, service("github-kubernetes"))
    result = _run_deploy_script(tmp_path, *arguments, job_conditions="Complete")
    assert result.returncode == 2
    assert message in result.stderr
    assert _calls(tmp_path) == []


def test_both_providers_install_the_same_pinned_and_checked_kubectl_and_kustomize(
    service: Callable[[str], Service],
) -> None:
    github, gitlab = service("github-kubernetes"), service("gitlab-kubernetes")
    install = _deploy_action_steps(github)["Install kubectl and kustomize"]
    pins = {name: gitlab.yaml(".gitlab-ci.yml")[".deploy"]["variables"][name] for name in install["env"]}
    assert install["env"] == pins
    assert set(pins) == {"KUBECTL_VERSION", "KUSTOMIZE_VERSION"}
    assert all(re.fullmatch(r"v\d+\.\d+\.\d+", version) for version in pins.values())
    assert install["run"].count("sha256sum --check --strict") == 2
    pipeline_files = {
        "github": [*github.workflow_files(), *github.action_files()],
        "gitlab": [gitlab.root / ".gitlab-ci.yml"],
    }
    for provider, files in pipeline_files.items():
        text = "".join(path.read_text() for path in files)
        assert text.count("https://dl.k8s.io/release/") == 1, f"{provider}: kubectl is installed in one place"
        assert text.count("kustomize/releases/download/") == 1, f"{provider}: kustomize is installed in one place"


@pytest.mark.parametrize("encode", [False, True], ids=["raw", "base64"])
def test_github_kubeconfig_secret_may_be_raw_or_base64(
    service: Callable[[str], Service], encode: bool, tmp_path: Path
) -> None:
    step = _deploy_action_steps(service("github-kubernetes"))["Configure cluster access"]
    kubeconfig = "apiVersion: v1\nkind: Config\nclusters: []\n"
    secret = base64.b64encode(kubeconfig.encode()).decode() if encode else kubeconfig
    github_env = tmp_path / "github_env"
    env = {
        **_stubbed_path(tmp_path),
        "KUBE_CONFIG": secret,
        "RUNNER_TEMP": str(tmp_path),
        "GITHUB_ENV": str(github_env),
    }
    subprocess.run(["bash", "-euo", "pipefail", "-c", step["run"]], cwd=tmp_path, env=env, check=True)
    assert (tmp_path / "kubeconfig").read_text().rstrip("\n") == kubeconfig.rstrip("\n")
    assert (tmp_path / "kubeconfig").stat().st_mode & 0o077 == 0
    assert github_env.read_text() == f"KUBECONFIG={tmp_path / 'kubeconfig'}\n"


# Terraform (infrastructure: aws): checked on every run, planned from the default branch

WITH_TERRAFORM = [name for name in WITH_CI if COMBINATIONS[name][0] in {"odd", "domain"}]


@pytest.mark.parametrize("combination", WITH_CI)
def test_terraform_jobs_follow_the_infrastructure_answer(service: Callable[[str], Service], combination: str) -> None:
    project = service(combination)
    jobs = set(project.gitlab_jobs() if project.answers["ci_provider"] == "gitlab" else project.workflow()["jobs"])
    assert ({"terraform", "terraform-plan"} & jobs == {"terraform", "terraform-plan"}) == project.terraform
    assert (project.root / "scripts/terraform.sh").exists() == project.terraform
    assert ("scripts/terraform.sh check" in (project.root / "README.md").read_text()) == project.terraform
    assert project.terraform == (combination in WITH_TERRAFORM)


def test_github_checks_every_run_and_plans_main_with_each_environment_role(service: Callable[[str], Service]) -> None:
    project = service("github-kubernetes-odd")
    jobs = project.workflow()["jobs"]
    check, plan = jobs["terraform"], jobs["terraform-plan"]
    assert "if" not in check
    assert [step.get("run") for step in check["steps"]][-1] == "scripts/terraform.sh check"
    assert plan["if"] == "github.event_name == 'push' && github.ref == 'refs/heads/main'"
    assert plan["needs"] == "terraform"
    roles = {entry["environment"]: entry["role"] for entry in plan["strategy"]["matrix"]["include"]}
    assert roles == {env: f"${{{{ vars.AWS_PLAN_ROLE_ARN_{env.upper()} }}}}" for env in ("staging", "production")}
    [step] = [step for step in plan["steps"] if "run" in step]
    assert step["env"]["AWS_ROLE_ARN"] == "${{ matrix.role }}"
    assert "audience=sts.amazonaws.com" in step["run"]
    assert step["run"].rstrip().endswith('scripts/terraform.sh plan "$ENVIRONMENT"')


def test_gitlab_checks_every_pipeline_and_plans_the_default_branch_per_environment(
    service: Callable[[str], Service],
) -> None:
    project = service("gitlab-kubernetes-oidc-aws")
    jobs = project.gitlab_jobs()
    check, plan = jobs["terraform"], jobs["terraform-plan"]
    assert "rules" not in check and check["script"] == ["scripts/terraform.sh check"]
    assert plan["rules"] == [{"if": "$CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH"}]
    assert plan["parallel"]["matrix"] == [{"ENVIRONMENT": ["staging", "production"]}]
    assert plan["environment"] == {"name": "$ENVIRONMENT", "action": "prepare"}, "its variables, no deployment"
    assert plan["id_tokens"] == {"AWS_ID_TOKEN": {"aud": "sts.amazonaws.com"}}
    assert 'export AWS_ROLE_ARN="${AWS_PLAN_ROLE_ARN:-}"' in plan["script"][0]


def test_both_providers_run_the_same_terraform_version(service: Callable[[str], Service]) -> None:
    github, gitlab = service("github-kubernetes-odd"), service("gitlab-kubernetes-oidc-aws")
    [install] = github.yaml(".github/actions/setup-terraform/action.yml")["runs"]["steps"]
    version = install["env"]["TERRAFORM_VERSION"]
    assert re.fullmatch(r"\d+\.\d+\.\d+", version)
    assert install["run"].count("sha256sum --check --strict") == 1
    assert gitlab.yaml(".gitlab-ci.yml")[".terraform"]["image"]["name"] == f"hashicorp/terraform:{version}"
    required = (github.root / "deploy/terraform/modules/service/versions.tf").read_text()
    major_minor = ".".join(version.split(".")[:2])
    assert f'required_version = "~> {major_minor}"' in required


def _run_terraform_script(
    tmp_path: Path, project: Service, *arguments: str, role: str = "", settings: bool = False
) -> tuple[subprocess.CompletedProcess[str], list[str]]:
    """Run a copy of scripts/terraform.sh on a copy of deploy/terraform (with its settings filled in, or not)."""
    workspace = tmp_path / "service"
    shutil.copytree(project.root / "deploy/terraform", workspace / "deploy/terraform")
    if settings:
        for example in (workspace / "deploy/terraform").rglob("*.example"):
            shutil.copy(example, example.with_suffix(""))
    (workspace / "scripts").mkdir()
    shutil.copy2(project.root / "scripts/terraform.sh", workspace / "scripts")
    env = _stubbed_path(tmp_path)
    stand_in = Path(env["PATH"].split(os.pathsep)[0]) / "terraform"
    shutil.copy2(stand_in.with_name("kubectl"), stand_in)
    result = subprocess.run(
        [str(workspace / "scripts/terraform.sh"), *arguments],
        cwd=tmp_path,
        env={**env, "AWS_ROLE_ARN": role},
        capture_output=True,
        text=True,
        check=False,
        timeout=30,
    )
    return result, _calls(tmp_path)


def test_terraform_script_checks_formatting_then_validates_each_root(
    service: Callable[[str], Service], tmp_path: Path
) -> None:
    result, calls = _run_terraform_script(tmp_path, service("github-kubernetes-odd"), "check")
    assert result.returncode == 0, result.stderr
    assert calls == [
        "terraform|terraform fmt -check -recursive -diff",
        "terraform|terraform -chdir=environments/production/ init -backend=false -input=false",
        "terraform|terraform -chdir=environments/production/ validate",
        "terraform|terraform -chdir=environments/staging/ init -backend=false -input=false",
        "terraform|terraform -chdir=environments/staging/ validate",
    ]


ROLE = "arn:aws:iam::111122223333:role/plan"
PLAN_CASES = [
    # (arguments, role, settings filled in, exit code, terraform calls, message)
    (("plan", "staging"), "", True, 0, [], "no plan for staging: its plan role is not configured"),
    (("plan", "staging"), ROLE, False, 1, [], "environments/staging/backend.hcl is missing: copy backend.hcl.example"),
    (("plan", "qa"), ROLE, True, 2, [], "the environment must be staging or production (got 'qa')"),
    (("plan",), ROLE, True, 2, [], "usage: scripts/terraform.sh check | plan staging|production (got 1 arguments)"),
    (
        ("plan", "production"),
        ROLE,
        True,
        0,
        [
            "terraform|terraform -chdir=environments/production init -input=false -backend-config=backend.hcl",
            "terraform|terraform -chdir=environments/production plan -input=false -lock-timeout=5m",
        ],
        "",
    ),
]


@pytest.mark.parametrize(
    ("arguments", "role", "settings", "code", "expected", "message"),
    PLAN_CASES,
    ids=["no-role", "no-backend", "environment", "usage", "plan"],
)
def test_terraform_script_plans_only_with_a_role_and_the_committed_settings(
    service: Callable[[str], Service],
    tmp_path: Path,
    arguments: tuple[str, ...],
    role: str,
    settings: bool,
    code: int,
    expected: list[str],
    message: str,
) -> None:
    project = service("gitlab-kubernetes-oidc-aws")
    result, calls = _run_terraform_script(tmp_path, project, *arguments, role=role, settings=settings)
    assert (result.returncode, calls) == (code, expected), result.stderr
    assert message in result.stdout + result.stderr


# The smoke test: scripts/smoke.sh, run by both pipelines, against a stand-in for docker

SMOKE_LOG = "the service's own log line"
# Logs "docker <arguments>" to $CALLS (the environment of `create` too); `ps` lists the container as
# running unless $RUNNING is false, the ready probe exits $READY_EXIT, the suite $SUITE_EXIT; the CLI prints a key.
DOCKER_STUB = f"""#!/bin/sh
printf 'docker %s\\n' "$*" >> "$CALLS"
case "$*" in
  create\\ *) env | grep '^E2E_' | sort >> "$CALLS" ;;
  ps\\ *) [ "$RUNNING" = false ] || echo 0123456789ab ;;
  *" python -c import urllib"*) exit "$READY_EXIT" ;;
  *" --entrypoint python "*) printf 'PEM' ;;
  *" create-key "*) echo key_0123456789ab_secret ;;
  start\\ --attach\\ *) exit "$SUITE_EXIT" ;;
  logs\\ *) echo "{SMOKE_LOG}" ;;
esac
"""
# One combination per auth answer.
SMOKE_COMBINATIONS = {
    "local": "github-kubernetes",
    "api_key": "gitlab-kubernetes",
    "oidc": "gitlab-kubernetes-oidc-aws",
    "none": "none-none",
}


def _smoke(
    project: Service,
    tmp_path: Path,
    *arguments: str,
    ready: int = 0,
    suite: int = 0,
    timeout: str = "3",
    running: bool = True,
) -> tuple[subprocess.CompletedProcess[str], list[str]]:
    """Run a copy of the service's scripts/smoke.sh against the docker stand-in: the result and the calls."""
    workspace = tmp_path / "service"
    (workspace / "scripts").mkdir(parents=True)
    shutil.copy2(project.root / "scripts/smoke.sh", workspace / "scripts")
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    (bin_dir / "docker").write_text(DOCKER_STUB)
    (bin_dir / "docker").chmod(0o755)
    env = {
        "PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}",
        "CALLS": str(tmp_path / "calls"),
        "READY_EXIT": str(ready),
        "SUITE_EXIT": str(suite),
        "SMOKE_TIMEOUT": timeout,
        "RUNNING": str(running).lower(),
    }
    result = subprocess.run(
        [str(workspace / "scripts/smoke.sh"), *arguments],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    return result, _calls(tmp_path)


def _named(calls: list[str], suffix: str) -> str:
    """The name given with `--name` to the container ending in `suffix`, or the network `network create` made."""
    if not suffix:
        [network] = [call.split()[-1] for call in calls if call.startswith("docker network create ")]
        return network
    words = [call.split() for call in calls]
    [name] = {line[i + 1] for line in words for i, word in enumerate(line[:-1]) if word == "--name"} & {
        word for line in words for word in line if word.endswith(suffix)
    }
    return name


@pytest.mark.parametrize("auth", sorted(SMOKE_COMBINATIONS))
def test_smoke_runs_the_image_as_deployed_then_the_e2e_suite_against_it(
    service: Callable[[str], Service], auth: str, tmp_path: Path
) -> None:
    project = service(SMOKE_COMBINATIONS[auth])
    assert project.auth == auth
    result, calls = _smoke(project, tmp_path, "registry.example.com/service:candidate")
    assert result.returncode == 0, result.stderr
    app, db, suite = _named(calls, "-app"), _named(calls, "-db"), _named(calls, "-e2e")
    [run_app] = [call for call in calls if call.startswith(f"docker run --detach --name {app} ")]
    assert run_app.endswith(" registry.example.com/service:candidate")
    for setting in (
        "ENVIRONMENT=production",
        "RUN_MIGRATIONS=true",
        f"DATABASE_URL=postgresql+asyncpg://postgres:postgres@{db}:5432/smoke",
    ):
        assert f"--env {setting}" in run_app
    ready = calls.index(next(call for call in calls if " python -c import urllib" in call))
    assert calls.index(run_app) < ready
    [create] = [index for index, call in enumerate(calls) if call.startswith(f"docker create --name {suite} ")]
    assert f"--env E2E_BASE_URL=http://{app}:8000" in calls[create]
    assert "uv run pytest tests/e2e" in calls[create]
    suite_env = {line.split("=", 1)[0]: line.split("=", 1)[1] for line in calls if line.startswith("E2E_")}
    clis = [call for call in calls if call.startswith("docker exec") and " app.cli " in call]
    if auth == "local":
        [cli] = clis
        assert f"docker exec --interactive {app} python -m app.cli create-user " in cli
        assert cli.endswith("--role admin --password-stdin")
        assert "--env AUTH_SIGNING_KEY " in run_app, "production needs a signing key"
        assert {"E2E_USERNAME", "E2E_PASSWORD"} <= set(suite_env)
        assert len(suite_env["E2E_PASSWORD"]) == 32
    elif auth == "api_key":
        [cli] = clis
        assert cli == f"docker exec {app} python -m app.cli create-key e2e-admin --role admin"
        assert suite_env["E2E_API_KEY"] == "key_0123456789ab_secret"
    else:
        assert clis == []
    if auth == "oidc":
        issuer = (project.root / "tests/issuer.py").read_text()
        issued_by = re.search(r"--env AUTH_ISSUER=(\S+)", run_app)
        assert issued_by is not None
        assert f'ISSUER = "{issued_by[1]}"' in issuer, "the issuer of the suite's tokens"

        assert f"--env AUTH_AUDIENCE={project.slug}" in run_app
        assert f"--env AUTH_JWKS_URL=http://{suite}:8900/jwks.json" in run_app
        assert "--env E2E_ISSUER_PORT=8900" in calls[create]
    if auth == "none":
        assert "--env ALLOW_UNAUTHENTICATED=true" in run_app
    assert ready < (calls.index(clis[0]) if clis else create)
    assert calls[create + 1 + len(suite_env) :] == [
        f"docker cp . {suite}:/src",
        f"docker start --attach {suite}",
        f"docker rm --force --volumes {suite} {app} {db}",
        f"docker network rm {_named(calls, '')}",
    ]
    assert SMOKE_LOG not in result.stderr


def test_smoke_fails_with_the_service_log_when_the_suite_fails(
    service: Callable[[str], Service], tmp_path: Path
) -> None:
    result, calls = _smoke(service("github-kubernetes"), tmp_path, "service:candidate", suite=1)
    assert result.returncode == 1
    assert SMOKE_LOG in result.stderr
    app = _named(calls, "-app")
    assert calls[-3:] == [
        f"docker logs {app}",
        f"docker rm --force --volumes {_named(calls, '-e2e')} {app} {_named(calls, '-db')}",
        f"docker network rm {_named(calls, '')}",
    ]


@pytest.mark.parametrize(
    ("running", "message"),
    [
        (True, "smoke: /health/ready did not answer 200 within 2 s"),
        (False, "smoke: the service stopped before /health/ready answered"),
    ],
    ids=["never-ready", "stopped"],
)
def test_smoke_gives_up_on_a_service_that_is_not_ready_in_time(
    service: Callable[[str], Service], running: bool, message: str, tmp_path: Path
) -> None:
    started = time.monotonic()
    project = service("gitlab-kubernetes")
    result, calls = _smoke(project, tmp_path, "service:candidate", ready=1, timeout="2", running=running)
    assert time.monotonic() - started < 10
    assert result.returncode == 1
    assert message in result.stderr
    assert SMOKE_LOG in result.stderr
    assert not [call for call in calls if " app.cli " in call or call.startswith("docker create")]
    assert calls[-1].startswith("docker network rm smoke-")


@pytest.mark.parametrize(
    ("arguments", "timeout", "message"),
    [
        ((), "3", "usage: scripts/smoke.sh IMAGE (got 0 arguments)"),
        (("",), "3", "usage: scripts/smoke.sh IMAGE (got 1 arguments)"),
        (("service:candidate",), "soon", "SMOKE_TIMEOUT must be a whole number of seconds (got 'soon')"),
    ],
    ids=["no-image", "empty-image", "timeout"],
)
def test_smoke_refuses_bad_arguments_before_starting_anything(
    service: Callable[[str], Service],
    arguments: tuple[str, ...],
    timeout: str,
    message: str,
    tmp_path: Path,
) -> None:
    result, calls = _smoke(service("github-kubernetes"), tmp_path, *arguments, timeout=timeout)
    assert result.returncode == 2
    assert message in result.stderr
    assert calls == []
