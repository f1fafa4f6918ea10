"""Update safety in process: recorded resources, the 0.2.0 and 0.3.0 answer migrations, the tasks' entry point."""

import json
from pathlib import Path

import pytest
import yaml

from extensions import tasks
from extensions.history import applied_resources_error, keep_empty_strings, legacy_resources
from extensions.migrations.keep_applied_answers import main as keep_applied_answers
from extensions.migrations.v0_2_0 import rename_answers
from extensions.migrations.v0_3_0 import main as migrate_to_0_3_0
from tests.generation import copy_template
from tests.presets import answers

SPEC = "name:str, description:text?, price:decimal, stock:int=0"
RECORDED = [
    {"name": "customer", "fields": "name:str(80)"},
    {"name": "order", "fields": "customer:ref, total:int{ge=0}"},
]
LEGACY = f"resource_name: product\nresource_plural: products\nresource_fields: {json.dumps(SPEC)}\n"


def conf_for(project: Path) -> dict[str, object]:
    """The part of Copier's `_copier_conf` that the check reads."""
    return {"dst_path": project, "answers_file": ".copier-answers.yml"}


def _record(project: Path, text: str) -> dict[str, object]:
    (project / ".copier-answers.yml").write_text(text)
    return conf_for(project)


def test_first_copy_has_no_recorded_resources(tmp_path: Path) -> None:
    assert applied_resources_error(RECORDED, conf_for(tmp_path)) == ""


def test_recorded_resources_compare_by_meaning_and_may_grow(tmp_path: Path) -> None:
    conf = _record(tmp_path, yaml.safe_dump({"resources": RECORDED}))
    respelled = [
        {"name": "customer", "plural": "customers", "fields": "name:str( 80 )"},
        {"name": "order", "fields": "customer:ref,total:int{ ge=0 }"},
    ]
    assert applied_resources_error(respelled, conf) == ""
    assert applied_resources_error([*RECORDED, {"name": "invoice", "fields": "order:ref"}], conf) == ""


@pytest.mark.parametrize(
    ("given", "what", "where"),
    [
        (RECORDED[:1], "removing", "resources[1] (order)"),
        ([RECORDED[0], {**RECORDED[1], "name": "purchase"}], "changing, renaming or moving", "resources[1] (order)"),
        (
            [RECORDED[0], {**RECORDED[1], "plural": "order_rows"}],
            "changing, renaming or moving",
            "resources[1] (order)",
        ),
        (
            [{**RECORDED[0], "fields": "name:str(90)"}, RECORDED[1]],
            "changing, renaming or moving",
            "resources[0] (customer)",
        ),
        (
            [{"name": "supplier", "fields": "name:str"}, *RECORDED],
            "changing, renaming or moving",
            "resources[0] (customer)",
        ),
    ],
)
def test_a_recorded_resource_cannot_change(tmp_path: Path, given: list[object], what: str, where: str) -> None:
    conf = _record(tmp_path, yaml.safe_dump({"resources": RECORDED}))
    error = applied_resources_error(given, conf)
    assert error.startswith(f"{where}: {what} a recorded resource is refused on update")
    assert "append new resources after the last one" in error
    assert "uv run alembic revision --autogenerate" in error
    assert "\n" not in error


def test_legacy_answers_become_one_resource_that_keeps_accepting_empty_strings() -> None:
    assert keep_empty_strings(SPEC) == "name:str{min_length=0}, description:text?, price:decimal, stock:int=0"
    assert keep_empty_strings('a:str(9)?, b:str(4)!="x, y"') == 'a:str(9)?, b:str(4){min_length=0}!="x, y"'
    recorded = yaml.safe_load(LEGACY)
    assert legacy_resources(recorded) == [{"name": "product", "plural": "products", "fields": keep_empty_strings(SPEC)}]
    assert legacy_resources({"resources": []}) is None


def test_legacy_answers_are_checked_like_a_list(tmp_path: Path) -> None:
    conf = _record(tmp_path, LEGACY)
    same = [{"name": "product", "fields": keep_empty_strings(SPEC)}]
    assert applied_resources_error([*same, {"name": "order", "fields": "product:ref"}], conf) == ""
    assert applied_resources_error([{"name": "product", "fields": SPEC}], conf).startswith("resources[0] (product)")


def test_migration_to_0_3_0_rewrites_the_answers_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / ".copier-answers.yml").write_text(f"# header\n_commit: v0.2.0\nproject_name: Shop\n{LEGACY}")
    monkeypatch.chdir(tmp_path)
    assert migrate_to_0_3_0(".copier-answers.yml") == 0
    migrated = (tmp_path / ".copier-answers.yml").read_text()
    assert yaml.safe_load(migrated) == {
        "_commit": "v0.2.0",
        "project_name": "Shop",
        "resources": [{"name": "product", "plural": "products", "fields": keep_empty_strings(SPEC)}],
    }
    assert migrate_to_0_3_0(".copier-answers.yml") == 0
    assert (tmp_path / ".copier-answers.yml").read_text() == migrated


def test_copy_over_a_service_refuses_a_changed_resource(template_dir: Path, tmp_path: Path) -> None:
    """The validator path (typed answers, recopy): refused in one line before any file is written."""
    project = copy_template(template_dir, tmp_path / "service", answers("default"))
    migration = (project / "alembic/versions/0001_initial.py").read_text()
    renamed = [{"name": "order", "fields": "name:str"}]
    with pytest.raises(ValueError, match=r"resources\[0\] \(product\): changing, renaming or moving") as refused:
        copy_template(template_dir, project, answers("default", resources=renamed), overwrite=True)
    assert "\n" not in str(refused.value).strip()
    assert (project / "alembic/versions/0001_initial.py").read_text() == migration
    assert not (project / "app/models/order.py").exists()


def test_update_check_reads_only_the_resources_given(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _record(tmp_path, yaml.safe_dump({"resources": RECORDED}))
    monkeypatch.chdir(tmp_path)
    assert keep_applied_answers(".copier-answers.yml", json.dumps({"python_version": "3.12"})) == 0
    grown = [*RECORDED, {"name": "invoice", "fields": "order:ref"}]
    assert keep_applied_answers(".copier-answers.yml", json.dumps({"resources": grown})) == 0
    assert keep_applied_answers(".copier-answers.yml", json.dumps({"resources": RECORDED[:1]})) == 1
    assert keep_applied_answers(".copier-answers.yml", json.dumps({"resources": [{"name": "x"}]})) == 1


def test_rename_moves_the_key_and_keeps_every_other_byte() -> None:
    before = "# header\n_commit: v0.1.0\ndescription: 'x: y'\nproject_name: Orders\nresource_fields: description:text\n"
    after = rename_answers(before)
    assert after == before.replace("\ndescription:", "\nproject_description:")
    assert rename_answers(after) == after


def test_rename_leaves_a_file_already_on_the_new_name() -> None:
    text = "project_description: new\ndescription: stray\n"
    assert rename_answers(text) == text


def test_unknown_task_warns_and_exits_zero(capsys: pytest.CaptureFixture[str]) -> None:
    assert tasks.main(["deploy"]) == 0
    assert "fastapi-ms: WARNING: unknown task ['deploy']" in capsys.readouterr().err


def test_a_crashing_task_is_one_warning(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    def crash() -> None:
        raise OSError("disk full")

    monkeypatch.setitem(tasks.TASKS, "setup-environment", crash)
    assert tasks.main(["setup-environment"]) == 0
    lines = capsys.readouterr().err.strip().splitlines()
    assert lines == [
        f"{tasks.PREFIX} WARNING: setup-environment failed unexpectedly (OSError: disk full); {tasks.COMPLETE}"
    ]
