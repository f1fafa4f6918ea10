"""Update safety in process: recorded resource answers, the 0.2.0 answer rename, the tasks' entry point."""

import json
from pathlib import Path

import pytest

from extensions import tasks
from extensions.history import applied_answer_error
from extensions.migrations.keep_applied_answers import main as keep_applied_answers
from extensions.migrations.v0_2_0 import rename_answers
from tests.generation import copy_template
from tests.presets import answers

SPEC = "name:str, description:text?, price:decimal, stock:int=0"


def conf_for(project: Path) -> dict[str, object]:
    """The part of Copier's `_copier_conf` that the check reads."""
    return {"dst_path": project, "answers_file": ".copier-answers.yml"}


def test_first_copy_has_no_recorded_answer(tmp_path: Path) -> None:
    assert applied_answer_error("resource_fields", "x:int", conf_for(tmp_path)) == ""


def test_recorded_fields_compare_by_meaning(tmp_path: Path) -> None:
    (tmp_path / ".copier-answers.yml").write_text(f"resource_fields: {json.dumps(SPEC)}\n")
    conf = conf_for(tmp_path)
    assert applied_answer_error("resource_fields", "name:str,description:text?,price:decimal,stock:int=0", conf) == ""
    error = applied_answer_error("resource_fields", "name:str", conf)
    assert error.startswith(f'resource_fields: cannot change from "{SPEC}" on update')
    assert error.endswith('(got "name:str")')
    assert "\n" not in error


def test_only_answers_behind_the_first_migration_are_checked(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="project_name is not an answer the initial migration depends on"):
        applied_answer_error("project_name", "x", conf_for(tmp_path))


def test_copy_over_a_service_refuses_a_changed_resource(template_dir: Path, tmp_path: Path) -> None:
    """The validator path (typed answers, recopy): refused in one line before any file is written."""
    project = copy_template(template_dir, tmp_path / "service", answers("default"))
    migration = (project / "alembic/versions/0001_initial.py").read_text()
    with pytest.raises(ValueError, match=r"resource_name: cannot change from \"product\" on update") as refused:
        copy_template(template_dir, project, answers("default", resource_name="order"), overwrite=True)
    assert "\n" not in str(refused.value).strip()
    assert (project / "alembic/versions/0001_initial.py").read_text() == migration
    assert not (project / "app/models/order.py").exists()


def test_migration_check_reads_only_the_answers_given(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / ".copier-answers.yml").write_text("resource_name: product\nresource_fields: name:str\n")
    monkeypatch.chdir(tmp_path)
    assert keep_applied_answers(".copier-answers.yml", json.dumps({"python_version": "3.12"})) == 0
    assert keep_applied_answers(".copier-answers.yml", json.dumps({"resource_name": "product"})) == 0
    assert keep_applied_answers(".copier-answers.yml", json.dumps({"resource_fields": "name:text"})) == 1


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
