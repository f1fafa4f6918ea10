"""`copier update`: landed 0.2.0 and 0.3.0 services move to this tree, which also appends resources, edits kept."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from uv import find_uv_bin

from extensions.migrations.merge_heads import heads, read_revisions
from tests.generation import answers_of
from tests.releases import UPCOMING
from tests.workflows.cli import commit_all, conflicted_files, copier, git, run_in, user_env

HOOK_LINES = ("fastapi-ms: git:", "fastapi-ms: pre-commit:", "fastapi-ms: environment ready")
# What defines the table and its applied revision: an update must leave them byte for byte.
RESOURCE_FILES = ("app/models/product.py", "alembic/versions/0001_initial.py")
CUSTOMER = {"name": "customer", "fields": "name:str(80), email:email!"}
ORDER_FIELDS = "customer:ref, total:decimal(12,2){ge=0}, status:enum(open|paid)=open"
OWN_REVISION = '''"""Our own index on customer names."""

from alembic import op

revision = "a1b2c3d4e5f6"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Index the names."""
    op.create_index("ix_customers_name", "customers", ["name"])


def downgrade() -> None:
    """Drop the index."""
    op.drop_index("ix_customers_name", table_name="customers")
'''


REPORTS = '''"""Our own report routes."""

from fastapi import APIRouter

router = APIRouter(prefix="/reports", tags=["reports"])


@router.get("/count")
async def count() -> dict[str, int]:
    """A constant, to prove the route is registered."""
    return {"reports": 0}
'''


def copy_at(releases: Path, destination: Path, version: str, *answers: str) -> Path:
    """Generate a service at `version` with its one-time hooks, as a user would."""
    result = copier(
        "copy", "--trust", "--defaults", "--vcs-ref", version, *answers, str(releases), str(destination),
        cwd=destination.parent,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "fastapi-ms: git: repository on branch main" in result.stdout
    return destination


def update(project: Path, *answers: str) -> tuple[int, str]:
    """Run `copier update` to UPCOMING (this tree) in `project` and return its exit code and output."""
    result = copier("update", "--trust", "--defaults", "--vcs-ref", UPCOMING, *answers, cwd=project)
    return result.returncode, f"{result.stdout}{result.stderr}"


def passes_its_own_checks(project: Path) -> None:
    """Install the service, migrate its SQLite database to the head and run its linters and tests."""
    uv = find_uv_bin()
    run_in(project, uv, "sync", "--python", sys.executable)
    run_in(project, uv, "run", "--frozen", "ruff", "check", ".")
    run_in(project, uv, "run", "--frozen", "mypy", ".")
    run_in(project, uv, "run", "--frozen", "alembic", "upgrade", "head")
    run_in(project, uv, "run", "--frozen", "pytest", "-q", "-p", "no:cacheprovider")


def test_a_landed_0_2_0_service_updates_with_its_resource_files_byte_identical(releases: Path, tmp_path: Path) -> None:
    """The three answers become one list; model and revision 0001 keep every byte; the bodies update; edits stay."""
    project = copy_at(releases, tmp_path / "shop", "v0.2.0", "-d", "project_name=Shop", "-d", "python_version=3.11")
    (project / "app/services/pricing.py").write_text('"""Our own pricing rules."""\n\nVAT = 0.2\n')
    settings_module = project / "app/core/config.py"  # the template changes it, but not where this edit is
    settings_module.write_text(settings_module.read_text() + "\n# Our settings come from the vault agent.\n")
    commit_all(project, "Our edits")
    before = {path: (project / path).read_bytes() for path in RESOURCE_FILES}
    commits_before = git("rev-list", "--count", "HEAD", cwd=project)
    code, output = update(project)
    assert code == 0, output
    assert {path: (project / path).read_bytes() for path in RESOURCE_FILES} == before
    answers = answers_of(project)
    assert answers["resources"] == [
        {
            "name": "product",
            "plural": "products",
            "fields": "name:str{min_length=0}, description:text?, price:decimal, stock:int=0",
        }
    ]
    assert not {"resource_name", "resource_plural", "resource_fields"} & answers.keys()
    assert answers["auth"] == "none"  # offered to a service made before the question: its API stays open
    assert answers["_commit"] == UPCOMING
    assert conflicted_files(project) == []
    assert (project / "app/services/pricing.py").read_text().endswith("VAT = 0.2\n")
    assert "# Our settings come from the vault agent." in settings_module.read_text()
    assert (project / "app/schemas/product_query.py").is_file()
    assert "not_null(" in (project / "app/schemas/product.py").read_text()  # PATCH bodies say which fields refuse null
    assert git("rev-list", "--count", "HEAD", cwd=project) == commits_before
    assert not any(line in output for line in HOOK_LINES), output
    passes_its_own_checks(project)


@pytest.mark.parametrize("auth", ["oidc", "local"])
def test_a_landed_0_3_0_service_chooses_an_auth_on_update_and_its_routes_need_tokens(
    releases: Path, tmp_path: Path, auth: str
) -> None:
    """`auth` is asked on update: bearer tokens protect every route, edits merge, the service's own tests pass."""
    project = copy_at(releases, tmp_path / "shop", "v0.3.0", "-d", "project_name=Shop", "-d", "python_version=3.11")
    service = project / "app/services/product.py"
    service.write_text(service.read_text() + "\n# Our pricing rules go here.\n")
    commit_all(project, "Our note")
    code, output = update(project, "-d", f"auth={auth}")
    assert code == 0, output
    assert answers_of(project)["auth"] == auth
    assert conflicted_files(project) == []
    assert "# Our pricing rules go here." in service.read_text()
    assert "dependencies=[Depends(current_principal)]" in (project / "app/api/v1/router.py").read_text()
    assert (project / "tests/integration/test_bearer_tokens.py").is_file()
    assert ("create-user:" in (project / "Makefile").read_text()) == (auth == "local")
    passes_its_own_checks(project)


def customers_with_an_index(releases: Path, tmp_path: Path, version: str, *answers: str) -> Path:
    """A service of customers generated at `version`, with a revision of its own indexing their names."""
    resources = json.dumps([CUSTOMER])
    project = copy_at(
        releases, tmp_path / "crm", version, "-d", f"resources={resources}", "-d", "python_version=3.11", *answers
    )
    (project / "alembic/versions/a1b2c3d4e5f6_own_index.py").write_text(OWN_REVISION)
    model = project / "app/models/customer.py"
    model.write_text(
        model.read_text().replace(
            "mapped_column(sa.String(length=80))", "mapped_column(sa.String(length=80), index=True)"
        )
    )
    return project


@pytest.fixture(name="customers")
def fixture_customers(releases: Path, tmp_path: Path) -> Path:
    """A service of customers without auth, with a revision of its own and edits where resources are listed."""
    project = customers_with_an_index(releases, tmp_path, UPCOMING, "-d", "auth=none")
    for path, anchor, line in (
        ("app/api/v1/router.py", 'router = APIRouter(prefix="/api/v1")\n', "router.include_router(reports.router)\n"),
        ("app/api/v1/router.py", "from fastapi import APIRouter\n", "\nfrom app.api.v1.endpoints import reports\n"),
        (
            "app/api/deps.py",
            "DatabaseDep = Annotated[Database, Depends(get_database)]\n",
            "# Our own: see own_deps.py\n",
        ),
        ("app/models/__init__.py", "from app.db.base import Base as Base\n", "# Our reporting views are not models.\n"),
    ):
        target = project / path
        target.write_text(target.read_text().replace(anchor, anchor + line, 1))
    (project / "app/api/v1/endpoints/reports.py").write_text(REPORTS)
    commit_all(project, "Our index and notes")
    return project


def test_make_resource_appends_a_resource_and_leaves_one_head(customers: Path) -> None:
    """`make resource` adds the files and one revision, merges every edit, joins the heads; tests stay green."""
    env = user_env(PATH=os.pathsep.join((str(Path(find_uv_bin()).parent), user_env()["PATH"])))
    result = subprocess.run(
        ["make", "resource", "NAME=order", f"FIELDS={ORDER_FIELDS}"],
        cwd=customers, env=env, capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
    assert answers_of(customers)["resources"] == [CUSTOMER, {"name": "order", "fields": ORDER_FIELDS}]
    assert conflicted_files(customers) == []
    for path in ("app/models/order.py", "app/api/v1/endpoints/orders.py", "tests/samples/order.py"):
        assert (customers / path).is_file(), path
    router = (customers / "app/api/v1/router.py").read_text()
    assert "router.include_router(reports.router)" in router
    assert router.endswith("router.include_router(customers.router)\nrouter.include_router(orders.router)\n")
    assert "# Our reporting views are not models." in (customers / "app/models/__init__.py").read_text()
    assert "# Our own: see own_deps.py" in (customers / "app/api/deps.py").read_text()
    revisions = read_revisions(customers / "alembic/versions")
    assert revisions["0002_orders"] == ("0001",)
    (head,) = heads(revisions)
    assert set(revisions[head]) == {"0002_orders", "a1b2c3d4e5f6"}
    assert "fastapi-ms: alembic: joined the heads 0002_orders, a1b2c3d4e5f6" in result.stdout + result.stderr
    passes_its_own_checks(customers)


def test_api_keys_arrive_on_update_as_a_revision_joined_to_the_services_own(releases: Path, tmp_path: Path) -> None:
    """A 0.3.0 service with a revision of its own chooses api_key: the keys table's revision and its own join."""
    project = customers_with_an_index(releases, tmp_path, "v0.3.0")
    commit_all(project, "Our index")
    code, output = update(project, "-d", "auth=api_key")
    assert code == 0, output
    assert conflicted_files(project) == []
    revisions = read_revisions(project / "alembic/versions")
    assert revisions["auth_0001"] == ("0001",)
    (head,) = heads(revisions)
    assert set(revisions[head]) == {"auth_0001", "a1b2c3d4e5f6"}
    assert (project / "app/cli.py").is_file()
    passes_its_own_checks(project)


def test_a_resource_appended_without_revisions_of_ones_own_chains_to_one_head(releases: Path, tmp_path: Path) -> None:
    """No revision of the service's own: the new revision is the only head and no merge revision is written."""
    project = copy_at(
        releases, tmp_path / "crm", UPCOMING, "-d", f"resources={json.dumps([CUSTOMER])}", "-d", "auth=none"
    )
    grown = [CUSTOMER, {"name": "order", "fields": ORDER_FIELDS}]
    code, output = update(project, "-d", f"resources={json.dumps(grown)}")
    assert code == 0, output
    assert heads(read_revisions(project / "alembic/versions")) == ["0002_orders"]
    assert not list((project / "alembic/versions").glob("merge_*.py"))
    assert conflicted_files(project) == []
    assert answers_of(project)["resources"] == grown


def test_a_resource_appended_to_a_local_service_joins_the_accounts_revision(releases: Path, tmp_path: Path) -> None:
    """The accounts revision, written once after the first resource, and the new resource's join in one merge."""
    project = copy_at(releases, tmp_path / "crm", UPCOMING, "-d", f"resources={json.dumps([CUSTOMER])}")
    assert answers_of(project)["auth"] == "local"
    grown = [CUSTOMER, {"name": "order", "fields": ORDER_FIELDS}]
    code, output = update(project, "-d", f"resources={json.dumps(grown)}")
    assert code == 0, output
    revisions = read_revisions(project / "alembic/versions")
    assert revisions["auth_0001"] == ("0001",) == revisions["0002_orders"]  # applied history is never rewritten
    (head,) = heads(revisions)
    assert set(revisions[head]) == {"auth_0001", "0002_orders"}
    assert conflicted_files(project) == []
    assert 'require_scope("orders:read")' in (project / "app/api/v1/endpoints/orders.py").read_text()
    passes_its_own_checks(project)


@pytest.mark.parametrize(
    ("resources", "where"),
    [
        ([], "resources: must be a non-empty list"),
        ([{**CUSTOMER, "name": "client"}], "resources[0] (customer): changing, renaming or moving"),
        ([{**CUSTOMER, "fields": "name:str(90), email:email!"}], "resources[0] (customer): changing, renaming"),
        ([{"name": "lead", "fields": "name:str"}, CUSTOMER], "resources[0] (customer): changing, renaming"),
    ],
)
def test_update_refuses_a_changed_resource_before_touching_anything(
    customers: Path, resources: list[object], where: str
) -> None:
    """Removal, rename, field change or reorder: one line with the fix, nothing written, the tree clean."""
    code, output = update(customers, "-d", f"resources={json.dumps(resources)}")
    assert code != 0
    assert f"fastapi-ms: update refused: {where}" in output
    assert "Traceback" not in output
    assert git("status", "--porcelain", cwd=customers) == ""
