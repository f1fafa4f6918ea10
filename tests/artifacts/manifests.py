"""Read a generated service's container and Kubernetes artifacts the way their tools do."""

import functools
import importlib.util
import re
from pathlib import Path
from typing import Any

import yaml

from tests.artifacts.tools import run_tool
from tests.generation import TEMPLATE_ROOT
from tests.presets import PRESETS, answers

KUSTOMIZATIONS = ("base", "overlays/staging", "overlays/production")
OLDEST_KUBERNETES = "1.31.0"
Manifest = dict[str, Any]
DEFAULT_DEPLOYMENT = yaml.safe_load((TEMPLATE_ROOT / "copier.yml").read_text())["deployment"]["default"]


def deploys_to_kubernetes(preset: str) -> bool:
    """Whether `preset` answers deployment=kubernetes (itself or by the question's default)."""
    deployment: str = answers(preset).get("deployment", DEFAULT_DEPLOYMENT)
    return deployment == "kubernetes"


KUBERNETES_PRESETS = sorted(preset for preset in PRESETS if deploys_to_kubernetes(preset))


def newest_bundled_kubernetes() -> str:
    """The newest Kubernetes version whose schemas kubernetes-validate ships."""
    spec = importlib.util.find_spec("kubernetes_validate")
    assert spec is not None and spec.origin is not None, "kubernetes-validate is not installed"
    schemas = Path(spec.origin).parent / "kubernetes-json-schema"
    versions = {match[1] for path in schemas.iterdir() if (match := re.fullmatch(r"v(\d+\.\d+\.\d+)-.*", path.name))}
    return max(versions, key=lambda version: tuple(int(part) for part in version.split(".")))


@functools.cache
def kustomize(folder: Path) -> str:
    """The manifests `kubectl kustomize` renders from `folder` (cached: tests only read them)."""
    return run_tool("kubectl", "kustomize", str(folder), cwd=folder)


def manifests(project: Path, kustomization: str) -> list[Manifest]:
    """The rendered objects of deploy/k8s/<kustomization> in `project`."""
    return [doc for doc in yaml.safe_load_all(kustomize(project / "deploy/k8s" / kustomization)) if doc]


def find(objects: list[Manifest], kind: str, name: str) -> Manifest:
    """The one object of `kind` called `name`."""
    found = [obj for obj in objects if obj["kind"] == kind and obj["metadata"]["name"] == name]
    assert len(found) == 1, f"expected one {kind} {name}, got {[(o['kind'], o['metadata']['name']) for o in objects]}"
    return found[0]


def dockerfile_instructions(path: Path) -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) pairs of a Dockerfile, continuation lines joined, comments dropped."""
    logical = re.sub(
        r"\\\n\s*", " ", "\n".join(line for line in path.read_text().splitlines() if not line.lstrip().startswith("#"))
    )
    pairs = (line.strip().split(maxsplit=1) for line in logical.splitlines() if line.strip())
    return [(pair[0].upper(), pair[1] if len(pair) > 1 else "") for pair in pairs]
