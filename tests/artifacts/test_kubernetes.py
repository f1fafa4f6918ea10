"""The Kubernetes manifests: valid for the API versions we support, secure, and the deploy contract kept."""

import json
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.artifacts.manifests import (
    KUBERNETES_PRESETS,
    KUSTOMIZATIONS,
    OLDEST_KUBERNETES,
    Manifest,
    dockerfile_instructions,
    find,
    kustomize,
    manifests,
    newest_bundled_kubernetes,
)
from tests.artifacts.tools import run_tool
from tests.conftest import Render, Rendered
from tests.generation import answers_of
from tests.presets import PRESETS

OTHER_PRESETS = sorted(set(PRESETS) - set(KUBERNETES_PRESETS))
OVERLAYS = ("staging", "production")
APP_PORT = 8000
SCRATCH_MOUNT = "/tmp"  # noqa: S108 - a path inside the container, not a file this test writes


def _slug(project: Path) -> str:
    return str(answers_of(project)["project_slug"])


def _pod_specs(objects: list[Manifest], slug: str) -> dict[str, dict[str, Any]]:
    return {
        "deployment": find(objects, "Deployment", slug)["spec"]["template"]["spec"],
        "job": find(objects, "Job", f"{slug}-migrate")["spec"]["template"]["spec"],
    }


def _image_user(project: Path) -> int:
    (user,) = [
        arguments for instruction, arguments in dockerfile_instructions(project / "Dockerfile") if instruction == "USER"
    ]
    return int(user.split(":")[0])


def _graceful_shutdown_seconds(project: Path) -> int:
    (command,) = [
        arguments for instruction, arguments in dockerfile_instructions(project / "Dockerfile") if instruction == "CMD"
    ]
    argv = json.loads(command)
    return int(argv[argv.index("--timeout-graceful-shutdown") + 1])


def test_validator_bundles_a_newer_kubernetes_than_the_oldest_supported() -> None:
    assert tuple(map(int, newest_bundled_kubernetes().split("."))) > tuple(map(int, OLDEST_KUBERNETES.split(".")))


@pytest.mark.parametrize("kustomization", KUSTOMIZATIONS)
@pytest.mark.parametrize("preset", KUBERNETES_PRESETS)
def test_kustomization_renders_valid_strict_manifests(rendered: Rendered, preset: str, kustomization: str) -> None:
    project = rendered(preset)
    output = kustomize(project / "deploy/k8s" / kustomization)
    for version in (OLDEST_KUBERNETES, newest_bundled_kubernetes()):
        run_tool("kubernetes-validate", "-k", version, "--strict", "--quiet", "-", cwd=project, stdin=output)


@pytest.mark.parametrize("preset", OTHER_PRESETS)
def test_no_deploy_files_without_kubernetes(rendered: Rendered, preset: str) -> None:
    project = rendered(preset)
    assert not (project / "deploy").exists()
    assert "kubectl" not in (project / "README.md").read_text()


@pytest.mark.parametrize("overlay", OVERLAYS)
@pytest.mark.parametrize("preset", KUBERNETES_PRESETS)
def test_pods_run_locked_down_as_the_image_user(rendered: Rendered, preset: str, overlay: str) -> None:
    project = rendered(preset)
    uid = _image_user(project)
    for workload, pod in _pod_specs(manifests(project, f"overlays/{overlay}"), _slug(project)).items():
        assert pod["automountServiceAccountToken"] is False, workload
        assert pod["securityContext"] == {
            "runAsNonRoot": True,
            "runAsUser": uid,
            "runAsGroup": uid,
            "fsGroup": uid,
            "seccompProfile": {"type": "RuntimeDefault"},
        }, workload
        (container,) = pod["containers"]
        assert container["securityContext"] == {
            "allowPrivilegeEscalation": False,
            "readOnlyRootFilesystem": True,
            "runAsNonRoot": True,
            "runAsUser": uid,
            "runAsGroup": uid,
            "capabilities": {"drop": ["ALL"]},
            "seccompProfile": {"type": "RuntimeDefault"},
        }, workload
        tmp_volumes = [mount["name"] for mount in container["volumeMounts"] if mount["mountPath"] == SCRATCH_MOUNT]
        assert [volume["name"] for volume in pod["volumes"] if "emptyDir" in volume] == tmp_volumes, workload
        assert set(container["resources"]) == {"requests", "limits"}, workload


@pytest.mark.parametrize("overlay", OVERLAYS)
@pytest.mark.parametrize("preset", KUBERNETES_PRESETS)
def test_deployment_probes_and_graceful_shutdown(rendered: Rendered, preset: str, overlay: str) -> None:
    project = rendered(preset)
    slug = _slug(project)
    deployment = find(manifests(project, f"overlays/{overlay}"), "Deployment", slug)
    pod = deployment["spec"]["template"]["spec"]
    (container,) = pod["containers"]
    assert container["ports"] == [{"name": "http", "containerPort": APP_PORT, "protocol": "TCP"}]
    paths = {
        probe: container[probe]["httpGet"]["path"] for probe in ("startupProbe", "livenessProbe", "readinessProbe")
    }
    assert paths == {"startupProbe": "/health/live", "livenessProbe": "/health/live", "readinessProbe": "/health/ready"}
    drain = container["lifecycle"]["preStop"]["sleep"]["seconds"]
    assert pod["terminationGracePeriodSeconds"] > drain + _graceful_shutdown_seconds(project)
    assert {constraint["topologyKey"] for constraint in pod["topologySpreadConstraints"]} == {
        "topology.kubernetes.io/zone",
        "kubernetes.io/hostname",
    }
    assert "replicas" not in deployment["spec"], "the HorizontalPodAutoscaler owns the replica count"
    assert deployment["spec"]["strategy"]["rollingUpdate"]["maxUnavailable"] == 0


@pytest.mark.parametrize("overlay", OVERLAYS)
@pytest.mark.parametrize("preset", KUBERNETES_PRESETS)
def test_the_deploy_contract_with_the_pipeline(rendered: Rendered, preset: str, overlay: str) -> None:
    """Names the pipeline relies on: namespace, Deployment, Job, Secret and the image to set."""
    project = rendered(preset)
    slug = _slug(project)
    objects = manifests(project, f"overlays/{overlay}")
    assert {obj["metadata"].get("namespace") for obj in objects} == {f"{slug}-{overlay}"}
    assert not [obj for obj in objects if obj["kind"] in {"Secret", "Namespace"}], "created once by hand, never here"
    kustomization = yaml.safe_load((project / "deploy/k8s/overlays" / overlay / "kustomization.yaml").read_text())
    (image,) = kustomization["images"]
    assert image["name"] == slug
    expected_image = f"{image['newName']}:{image['newTag']}"
    job = find(objects, "Job", f"{slug}-migrate")
    assert job["spec"]["template"]["spec"]["restartPolicy"] == "Never"
    assert job["spec"]["ttlSecondsAfterFinished"] > 0, "kubectl wait must still find the finished Job"
    for workload, pod in _pod_specs(objects, slug).items():
        (container,) = pod["containers"]
        assert container["image"] == expected_image, workload
        database_url = next(item for item in container["env"] if item["name"] == "DATABASE_URL")
        assert database_url["valueFrom"] == {"secretKeyRef": {"name": f"{slug}-database", "key": "DATABASE_URL"}}
        (config,) = container["envFrom"]
        assert find(objects, "ConfigMap", config["configMapRef"]["name"])["data"]["LOG_LEVEL"]
    assert _pod_specs(objects, slug)["job"]["containers"][0]["args"] == ["alembic", "upgrade", "head"]


@pytest.mark.parametrize("overlay", OVERLAYS)
@pytest.mark.parametrize("preset", KUBERNETES_PRESETS)
def test_pods_pull_with_the_registry_secret_of_their_service_account(
    rendered: Rendered, preset: str, overlay: str
) -> None:
    project = rendered(preset)
    slug = _slug(project)
    objects = manifests(project, f"overlays/{overlay}")
    assert find(objects, "ServiceAccount", slug)["imagePullSecrets"] == [{"name": f"{slug}-registry"}]
    for workload, pod in _pod_specs(objects, slug).items():
        assert pod["serviceAccountName"] == slug, workload
    readme = (project / "README.md").read_text()
    assert f"create secret docker-registry {slug}-registry" in readme


@pytest.mark.parametrize("preset", KUBERNETES_PRESETS)
def test_base_uses_the_bare_image_name(rendered: Rendered, preset: str) -> None:
    project = rendered(preset)
    slug = _slug(project)
    for pod in _pod_specs(manifests(project, "base"), slug).values():
        assert pod["containers"][0]["image"] == slug


@pytest.mark.parametrize("overlay", OVERLAYS)
@pytest.mark.parametrize("preset", KUBERNETES_PRESETS)
def test_network_policy_admits_the_app_port_and_reaches_dns_and_the_database(
    rendered: Rendered, preset: str, overlay: str
) -> None:
    project = rendered(preset)
    slug = _slug(project)
    objects = manifests(project, f"overlays/{overlay}")
    policy = find(objects, "NetworkPolicy", slug)["spec"]
    assert policy["policyTypes"] == ["Ingress", "Egress"]
    selected = policy["podSelector"]["matchLabels"].items()
    for workload in (find(objects, "Deployment", slug), find(objects, "Job", f"{slug}-migrate")):
        assert selected <= workload["spec"]["template"]["metadata"]["labels"].items()
    assert policy["ingress"] == [{"ports": [{"protocol": "TCP", "port": APP_PORT}]}]
    dns, *collector, database = policy["egress"]  # the overlay appends the database rule
    assert dns["to"][0]["podSelector"]["matchLabels"] == {"k8s-app": "kube-dns"}
    assert sorted((port["protocol"], port["port"]) for port in dns["ports"]) == [("TCP", 53), ("UDP", 53)]
    traced = answers_of(project)["tracing"] == "otlp"
    assert [rule["ports"] for rule in collector] == ([[{"protocol": "TCP", "port": 4318}]] if traced else [])
    (database_peer,) = database["to"]
    assert set(database_peer) == {"ipBlock"} and "/" in database_peer["ipBlock"]["cidr"]
    assert database["ports"] == [{"protocol": "TCP", "port": 5432}]


@pytest.mark.parametrize("overlay", OVERLAYS)
@pytest.mark.parametrize("preset", KUBERNETES_PRESETS)
def test_service_autoscaler_and_disruption_budget_target_the_api_pods(
    rendered: Rendered, preset: str, overlay: str
) -> None:
    project = rendered(preset)
    slug = _slug(project)
    objects = manifests(project, f"overlays/{overlay}")
    pod_labels = find(objects, "Deployment", slug)["spec"]["template"]["metadata"]["labels"].items()
    job_labels = find(objects, "Job", f"{slug}-migrate")["spec"]["template"]["metadata"]["labels"].items()
    service = find(objects, "Service", slug)["spec"]
    budget = find(objects, "PodDisruptionBudget", slug)["spec"]
    for selector in (service["selector"], budget["selector"]["matchLabels"]):
        assert selector.items() <= pod_labels and not selector.items() <= job_labels
    assert service["ports"][0]["targetPort"] == "http"
    autoscaler = find(objects, "HorizontalPodAutoscaler", slug)
    assert autoscaler["apiVersion"] == "autoscaling/v2"
    assert autoscaler["spec"]["scaleTargetRef"] == {"apiVersion": "apps/v1", "kind": "Deployment", "name": slug}
    assert 1 <= autoscaler["spec"]["minReplicas"] < autoscaler["spec"]["maxReplicas"]


@pytest.mark.parametrize("preset", KUBERNETES_PRESETS)
def test_overlays_differ_in_scale_resources_and_exposure(rendered: Rendered, preset: str) -> None:
    project = rendered(preset)
    slug = _slug(project)
    staging, production = (manifests(project, f"overlays/{overlay}") for overlay in OVERLAYS)

    def scale(objects: list[Manifest]) -> tuple[int, int]:
        spec = find(objects, "HorizontalPodAutoscaler", slug)["spec"]
        return spec["minReplicas"], spec["maxReplicas"]

    def requests(objects: list[Manifest]) -> dict[str, str]:
        requested: dict[str, str] = find(objects, "Deployment", slug)["spec"]["template"]["spec"]["containers"][0][
            "resources"
        ]["requests"]
        return requested

    assert scale(staging) < scale(production)
    assert requests(staging) != requests(production)
    assert not [obj for obj in staging if obj["kind"] == "Ingress"]
    ingress = find(production, "Ingress", slug)["spec"]
    (tls,) = ingress["tls"]
    (rule,) = ingress["rules"]
    assert rule["host"] in tls["hosts"] and tls["secretName"] == f"{slug}-tls"
    paths = rule["http"]["paths"]
    assert all(path["backend"]["service"] == {"name": slug, "port": {"name": "http"}} for path in paths)
    routed = {path["path"] for path in paths}
    assert routed == (
        {"/api", "/.well-known"} if answers_of(project)["auth"] == "local" else {"/api"}
    )  # never /metrics
    pod = find(production, "Deployment", slug)["spec"]["template"]["metadata"]["annotations"]
    assert (pod["prometheus.io/scrape"], pod["prometheus.io/path"], pod["prometheus.io/port"]) == (
        "true",
        "/metrics",
        str(APP_PORT),
    )


def test_the_longest_slug_keeps_every_name_a_valid_label(render: Render) -> None:
    """Pod names add `-<hash>-<5 chars>` (Deployment) or `-<5 chars>` (Job) and must stay within 63."""
    project = render("limits", deployment="kubernetes")
    slug = _slug(project)
    assert len(slug) == 40
    objects = manifests(project, "overlays/production")
    assert max(len(obj["metadata"]["name"]) for obj in objects) <= 63
    assert len(find(objects, "Deployment", slug)["metadata"]["name"]) + len("-0123456789-abcde") <= 63
    assert len(find(objects, "Job", f"{slug}-migrate")["metadata"]["name"]) + len("-abcde") <= 63
    run_tool(
        "kubernetes-validate",
        "-k",
        OLDEST_KUBERNETES,
        "--strict",
        "--quiet",
        "-",
        cwd=project,
        stdin=kustomize(project / "deploy/k8s/overlays/production"),
    )
