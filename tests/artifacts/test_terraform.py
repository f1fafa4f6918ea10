"""The Terraform of infrastructure=aws: parsed, formatted and scanned by its own tools, and the promises it keeps."""

import re
import shutil
from pathlib import Path

import pytest
import yaml

from tests.artifacts.manifests import KUBERNETES_PRESETS, find, manifests
from tests.artifacts.terraform import (
    ENVIRONMENTS,
    MODULE,
    TERRAFORM_PRESETS,
    checkov,
    configuration,
    plugin_dir,
    terraform_binary,
)
from tests.artifacts.tools import run_tool
from tests.conftest import Rendered
from tests.generation import answers_of
from tests.presets import answers

ROLE_ANNOTATION = "eks.amazonaws.com/role-arn"
# What the module must create, whatever else it grows.
EXPECTED_RESOURCES = {
    "aws_ecr_repository",
    "aws_ecr_lifecycle_policy",
    "aws_kms_key",
    "aws_db_instance",
    "aws_db_subnet_group",
    "aws_db_parameter_group",
    "aws_security_group",
    "aws_vpc_security_group_ingress_rule",
    "aws_secretsmanager_secret",
    "aws_secretsmanager_secret_version",
    "aws_iam_role",
    "aws_iam_role_policy",
}
SECRET_LITERALS = [
    re.compile(r"\b(password|secret_string|secret_binary)\s*=\s*\""),
    re.compile(r"-----BEGIN [A-Z ]*PRIVATE KEY-----"),
    re.compile(r"\bAKIA[0-9A-Z]{16}\b"),
    re.compile(r"postgresql(\+asyncpg)?://[^:$]+:[^@$]+@"),
]


def _terraform(project: Path) -> Path:
    return project / "deploy/terraform"


def _root(project: Path, environment: str) -> Path:
    return _terraform(project) / "environments" / environment


def _tf_files(project: Path) -> list[Path]:
    return sorted(_terraform(project).rglob("*.tf"))


@pytest.mark.parametrize("preset", TERRAFORM_PRESETS)
def test_one_module_and_a_root_per_environment_parse(rendered: Rendered, preset: str) -> None:
    project = rendered(preset)
    folders = {path.parent.relative_to(_terraform(project)).as_posix() for path in _tf_files(project)}
    assert folders == {MODULE, *(f"environments/{environment}" for environment in ENVIRONMENTS)}
    module = configuration(_terraform(project) / MODULE)
    assert set(module["resource"]) >= EXPECTED_RESOURCES
    for environment in ENVIRONMENTS:
        root = configuration(_root(project, environment))
        assert root["module"]["service"]["source"] == f"../../{MODULE}"
        for example in ("backend.hcl.example", "terraform.tfvars.example"):
            assert (_root(project, environment) / example).is_file()
    assert (_terraform(project) / "README.md").is_file()


@pytest.mark.parametrize("preset", TERRAFORM_PRESETS)
def test_terraform_fmt_finds_nothing_to_change(rendered: Rendered, preset: str) -> None:
    terraform = terraform_binary()
    if terraform is None:
        pytest.skip("no terraform on PATH: terraform fmt -check cannot run")
    run_tool(terraform, "fmt", "-check", "-recursive", "-diff", cwd=_terraform(rendered(preset)))


@pytest.mark.parametrize("environment", ENVIRONMENTS)
@pytest.mark.parametrize("preset", TERRAFORM_PRESETS)
def test_each_root_validates_against_the_provider(
    rendered: Rendered, preset: str, environment: str, tmp_path: Path
) -> None:
    terraform, plugins = terraform_binary(), plugin_dir()
    if terraform is None or plugins is None:
        pytest.skip("terraform validate needs terraform on PATH and TERRAFORM_PLUGIN_DIR naming a provider mirror")
    copy = shutil.copytree(_terraform(rendered(preset)), tmp_path / "terraform")  # init writes .terraform/
    root = copy / "environments" / environment
    run_tool(terraform, "init", "-backend=false", "-input=false", f"-plugin-dir={plugins}", cwd=root)
    run_tool(terraform, "validate", "-no-color", cwd=root)


@pytest.mark.parametrize("preset", TERRAFORM_PRESETS)
def test_trivy_finds_no_high_or_critical_misconfiguration(rendered: Rendered, preset: str) -> None:
    project = rendered(preset)
    run_tool(
        "trivy", "config", "--skip-check-update", "--exit-code", "1", "--severity", "HIGH,CRITICAL", ".",
        cwd=_terraform(project),
    )  # fmt: skip


@pytest.mark.parametrize("preset", TERRAFORM_PRESETS)
def test_checkov_passes_and_every_skip_says_why_inside_its_block(rendered: Rendered, preset: str) -> None:
    project = rendered(preset)
    output = run_tool(
        checkov(), "-d", ".", "--framework", "terraform", "--quiet", "--compact", "--skip-download",
        cwd=_terraform(project),
    )  # fmt: skip
    assert "Failed checks: 0" in output or "Passed checks" not in output, output
    skips = 0
    for path in _tf_files(project):
        lines = path.read_text().splitlines()
        for number, line in enumerate(lines):
            if "checkov:skip" not in line:
                continue
            skips += 1
            assert re.fullmatch(r"\s+#checkov:skip=CKV2?_AWS_\d+: \S.{20,}", line), f"{path}:{number + 1}: {line}"
            block_start = next(previous for previous in reversed(lines[:number]) if "checkov:skip" not in previous)
            assert re.fullmatch(r"(resource|data) .*\{", block_start), f"{path}:{number + 1} is not inside a block"
    assert skips, "the module skips checks for reasons it states; none found means the scan ran on nothing"


@pytest.mark.parametrize("preset", TERRAFORM_PRESETS)
def test_only_production_is_multi_az_protected_from_deletion_and_keeps_a_month(rendered: Rendered, preset: str) -> None:
    project = rendered(preset)
    calls = {env: configuration(_root(project, env))["module"]["service"] for env in ENVIRONMENTS}
    chosen = {
        env: (call["multi_az"], call["deletion_protection"], call["backup_retention_days"])
        for env, call in calls.items()
    }
    assert chosen == {"staging": (False, False, 7), "production": (True, True, 30)}
    database = configuration(_terraform(project) / MODULE)["resource"]["aws_db_instance"]["this"]
    assert (database["multi_az"], database["deletion_protection"]) == ("${var.multi_az}", "${var.deletion_protection}")
    assert database["backup_retention_period"] == "${var.backup_retention_days}"


@pytest.mark.parametrize("preset", TERRAFORM_PRESETS)
def test_database_is_private_encrypted_and_reached_only_from_the_cluster(rendered: Rendered, preset: str) -> None:
    module = configuration(_terraform(rendered(preset)) / MODULE)
    resources = module["resource"]
    database = resources["aws_db_instance"]["this"]
    assert database["engine"] == "postgres"
    assert database["publicly_accessible"] is False
    assert database["storage_encrypted"] is True and database["kms_key_id"] == "${aws_kms_key.this.arn}"
    assert database["db_subnet_group_name"] == "${aws_db_subnet_group.this.name}"
    assert resources["aws_db_subnet_group"]["this"]["subnet_ids"] == "${var.subnet_ids}"
    assert database["vpc_security_group_ids"] == ["${aws_security_group.database.id}"]
    (rule,) = resources["aws_vpc_security_group_ingress_rule"].values()
    assert rule["security_group_id"] == "${aws_security_group.database.id}"
    assert rule["referenced_security_group_id"] == "${var.cluster_security_group_id}"
    assert (rule["ip_protocol"], rule["from_port"], rule["to_port"]) == ("tcp", 5432, 5432)
    assert "aws_vpc_security_group_egress_rule" not in resources and "ingress" not in resources["aws_security_group"]
    parameters = {item["name"]: item["value"] for item in resources["aws_db_parameter_group"]["this"]["parameter"]}
    assert parameters["rds.force_ssl"] == "1"
    assert database["parameter_group_name"] == "${aws_db_parameter_group.this.name}"


@pytest.mark.parametrize("preset", TERRAFORM_PRESETS)
def test_the_password_is_random_write_only_and_lands_in_the_database_url(rendered: Rendered, preset: str) -> None:
    module = configuration(_terraform(rendered(preset)) / MODULE)
    generated = "${ephemeral.aws_secretsmanager_random_password.database.random_password}"
    database = module["resource"]["aws_db_instance"]["this"]
    assert database["password_wo"] == generated
    assert "password" not in database and "manage_master_user_password" not in database
    version = module["resource"]["aws_secretsmanager_secret_version"]["database"]
    assert "secret_string" not in version
    versioned_by = "${var.database_password_version}"
    assert version["secret_string_wo_version"] == database["password_wo_version"] == versioned_by
    url = (
        f"postgresql+asyncpg://${{local.database_username}}:{generated}"
        "@${aws_db_instance.this.address}:${aws_db_instance.this.port}/${local.database_name}"
    )
    assert version["secret_string_wo"] == f'${{jsonencode({{DATABASE_URL = "{url}"}})}}'


@pytest.mark.parametrize("preset", TERRAFORM_PRESETS)
def test_no_secret_is_written_into_the_terraform(rendered: Rendered, preset: str) -> None:
    project = rendered(preset)
    files = [*_tf_files(project), *_terraform(project).rglob("*.example")]
    assert len(files) > len(_tf_files(project))
    for path in files:
        text = path.read_text()
        assert [pattern.pattern for pattern in SECRET_LITERALS if pattern.search(text)] == [], path


@pytest.mark.parametrize("preset", TERRAFORM_PRESETS)
def test_secrets_are_encrypted_with_the_key_and_hold_what_the_pods_read(rendered: Rendered, preset: str) -> None:
    project = rendered(preset)
    slug = answers_of(project)["project_slug"]
    secrets = configuration(_terraform(project) / MODULE)["resource"]["aws_secretsmanager_secret"]
    assert all(secret["kms_key_id"] == "${aws_kms_key.this.arn}" for secret in secrets.values())
    deployment = find(manifests(project, "base"), "Deployment", slug)
    read = {
        item["valueFrom"]["secretKeyRef"]["key"]
        for item in deployment["spec"]["template"]["spec"]["containers"][0]["env"]
        if "secretKeyRef" in item.get("valueFrom", {})
    }
    expected = {"DATABASE_URL", "AUTH_SIGNING_KEY"} if answers_of(project)["auth"] == "local" else {"DATABASE_URL"}
    assert read == expected
    assert {secret["description"].split()[0] for secret in secrets.values()} == expected


@pytest.mark.parametrize("preset", TERRAFORM_PRESETS)
def test_the_service_role_trusts_its_service_account_and_reads_only_its_secrets(
    rendered: Rendered, preset: str
) -> None:
    project = rendered(preset)
    slug = answers_of(project)["project_slug"]
    module = configuration(_terraform(project) / MODULE)
    (trust,) = module["data"]["aws_iam_policy_document"]["service_trust"]["statement"]
    assert trust["actions"] == ["sts:AssumeRoleWithWebIdentity"]
    assert trust["principals"] == [{"type": "Federated", "identifiers": ["${var.oidc_provider_arn}"]}]
    conditions = {item["variable"]: (item["test"], item["values"]) for item in trust["condition"]}
    assert conditions == {
        "${local.oidc_issuer}:sub": ("StringEquals", ["system:serviceaccount:${var.namespace}:${var.service_account}"]),
        "${local.oidc_issuer}:aud": ("StringEquals", ["sts.amazonaws.com"]),
    }
    role = module["resource"]["aws_iam_role"]["service"]
    assert role["assume_role_policy"] == "${data.aws_iam_policy_document.service_trust.json}"
    (policy,) = module["resource"]["aws_iam_role_policy"].values()
    assert (policy["role"], policy["policy"]) == (
        "${aws_iam_role.service.id}",
        "${data.aws_iam_policy_document.service.json}",
    )
    secrets, decrypt = module["data"]["aws_iam_policy_document"]["service"]["statement"]
    assert secrets["actions"] == ["secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret"]
    defined = module["resource"]["aws_secretsmanager_secret"]
    assert sorted(secrets["resources"]) == sorted(f"${{aws_secretsmanager_secret.{name}.arn}}" for name in defined)
    assert (decrypt["actions"], decrypt["resources"]) == (["kms:Decrypt"], ["${aws_kms_key.this.arn}"])
    for environment in ENVIRONMENTS:
        root = configuration(_root(project, environment))
        assert root["variable"]["namespace"]["default"] == f"{slug}-{environment}"
        assert root["module"]["service"]["service_account"] == slug


@pytest.mark.parametrize("environment", ENVIRONMENTS)
@pytest.mark.parametrize("preset", TERRAFORM_PRESETS)
def test_the_overlay_annotates_its_service_account_with_the_role_terraform_names(
    rendered: Rendered, preset: str, environment: str
) -> None:
    project = rendered(preset)
    slug = answers_of(project)["project_slug"]
    objects = manifests(project, f"overlays/{environment}")
    account = find(objects, "ServiceAccount", slug)
    assert (
        account["metadata"]["namespace"]
        == configuration(_root(project, environment))["variable"]["namespace"]["default"]
    )
    arn = account["metadata"]["annotations"][ROLE_ANNOTATION]
    account_id = answers_of(project)["aws_account_id"]
    assert arn == f"arn:aws:iam::{account_id}:role/{slug}-{environment}"
    assert configuration(_root(project, environment))["provider"]["aws"]["allowed_account_ids"] == [account_id]
    module = configuration(_terraform(project) / MODULE)
    assert module["resource"]["aws_iam_role"]["service"]["name"] == "${local.identifier}"
    assert module["locals"]["identifier"] == "${var.name}-${var.environment}"
    call = configuration(_root(project, environment))["module"]["service"]
    assert (call["name"], call["environment"]) == (slug, environment)


@pytest.mark.parametrize("preset", sorted(set(KUBERNETES_PRESETS) - set(TERRAFORM_PRESETS)))
def test_without_aws_no_terraform_and_no_role_annotation(rendered: Rendered, preset: str) -> None:
    project = rendered(preset)
    assert not _terraform(project).exists()
    for overlay in ("base", *(f"overlays/{environment}" for environment in ENVIRONMENTS)):
        account = find(manifests(project, overlay), "ServiceAccount", answers_of(project)["project_slug"])
        assert ROLE_ANNOTATION not in account["metadata"].get("annotations", {})


@pytest.mark.parametrize("preset", TERRAFORM_PRESETS)
def test_versions_pinned_state_locked_and_every_variable_described(rendered: Rendered, preset: str) -> None:
    project = rendered(preset)
    slug = answers_of(project)["project_slug"]
    keys = set()
    for folder in [_terraform(project) / MODULE, *(_root(project, env) for env in ENVIRONMENTS)]:
        config = configuration(folder)
        (settings,) = config["terraform"]
        assert re.fullmatch(r"~> 1\.\d+", settings["required_version"]), folder
        (providers,) = settings["required_providers"]
        assert all(re.fullmatch(r"~> \d+\.\d+", provider["version"]) for provider in providers.values()), folder
        for name, variable in config["variable"].items():
            assert variable.get("description") and variable.get("type"), f"{folder}: variable {name}"
        if folder.parent.name == "environments":
            (backend,) = settings["backend"]
            assert (backend["s3"]["encrypt"], backend["s3"]["use_lockfile"]) == (True, True)
            keys.add(backend["s3"]["key"])
            assert set(yaml.safe_load((folder / "backend.hcl.example").read_text().replace(" = ", ": "))) == {
                "bucket",
                "region",
            }
    assert keys == {f"{slug}/{environment}/terraform.tfstate" for environment in ENVIRONMENTS}


def test_the_presets_cover_both_auth_secrets_and_both_pipelines() -> None:
    chosen = {
        (answers(preset).get("auth", "local"), answers(preset).get("ci_provider", "github"))
        for preset in TERRAFORM_PRESETS
    }
    assert {"local", "oidc"} <= {auth for auth, _ in chosen}
    assert {"github", "gitlab"} <= {provider for _, provider in chosen}
