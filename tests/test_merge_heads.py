"""The after-update migration that joins Alembic heads, on revision files written by hand."""

import importlib
import importlib.util
from pathlib import Path

import pytest

from extensions.migrations.merge_heads import heads, main, merge_revision_id, merge_revision_text, read_revisions

INITIAL = '''"""Create the products table."""

revision: str = "0001"
down_revision: str | None = None
'''
USER_REVISION = '''"""A column the user added."""

revision = "a1b2c3d4e5f6"
down_revision = "0001"
'''
TEMPLATE_REVISION = '''"""A table the template added."""

revision: str = "0002_orders"
down_revision: str | None = "0001"
'''


def write(folder: Path, files: dict[str, str]) -> Path:
    """`folder` holding the given revision files."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


def merge_files(folder: Path) -> list[Path]:
    """The merge revisions written into `folder`."""
    return sorted(folder.glob("merge_*.py"))


@pytest.fixture(name="split")
def fixture_split(tmp_path: Path) -> Path:
    """A versions folder where a user revision and a template revision both follow 0001."""
    return write(
        tmp_path / "alembic/versions",
        {"0001_initial.py": INITIAL, "a1b2c3d4e5f6_add_sku.py": USER_REVISION, "0002_orders.py": TEMPLATE_REVISION},
    )


def test_one_head_writes_nothing(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = write(tmp_path / "versions", {"0001_initial.py": INITIAL, "a1b2c3d4e5f6_add_sku.py": USER_REVISION})
    assert main([str(folder)]) == 0
    assert merge_files(folder) == []
    assert capsys.readouterr() == ("", "")


def test_two_heads_are_joined_once(split: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main([str(split)]) == 0
    [merge] = merge_files(split)
    revision = merge_revision_id(["0002_orders", "a1b2c3d4e5f6"])
    assert merge.name == f"{revision}.py"
    assert read_revisions(split)[revision] == ("0002_orders", "a1b2c3d4e5f6")
    assert heads(read_revisions(split)) == [revision]
    assert capsys.readouterr().out == (
        f"fastapi-ms: alembic: joined the heads 0002_orders, a1b2c3d4e5f6 in {split.as_posix()}/{merge.name}; "
        "commit it with the update\n"
    )
    text = merge.read_text(encoding="utf-8")
    assert main([str(split)]) == 0
    assert merge_files(split) == [merge]
    assert merge.read_text(encoding="utf-8") == text
    assert capsys.readouterr() == ("", "")


def test_merge_id_ignores_head_order() -> None:
    assert merge_revision_text(["b", "a"]) == merge_revision_text(["a", "b"])
    assert merge_revision_id(["a", "b"]).startswith("merge_")
    assert len(merge_revision_id(["a", "b"])) == len("merge_") + 12


def test_annotated_plain_and_tuple_assignments_are_read(tmp_path: Path) -> None:
    earlier_merge = '''"""An earlier merge."""

revision = "m1"
down_revision = ("0002_orders", "a1b2c3d4e5f6")
'''
    listed = 'revision: str = "m2"\ndown_revision: list[str] = ["m1"]\n'
    folder = write(
        tmp_path,
        {
            "0001_initial.py": INITIAL,
            "a1b2c3d4e5f6_add_sku.py": USER_REVISION,
            "0002_orders.py": TEMPLATE_REVISION,
            "m1_merge.py": earlier_merge,
            "m2_after.py": listed,
        },
    )
    assert read_revisions(folder) == {
        "0001": (),
        "a1b2c3d4e5f6": ("0001",),
        "0002_orders": ("0001",),
        "m1": ("0002_orders", "a1b2c3d4e5f6"),
        "m2": ("m1",),
    }
    assert heads(read_revisions(folder)) == ["m2"]
    assert main([str(folder)]) == 0
    assert merge_files(folder) == []


def test_files_without_a_revision_are_skipped(tmp_path: Path) -> None:
    folder = write(
        tmp_path,
        {
            "0001_initial.py": INITIAL,
            "__init__.py": "",
            "_helpers.py": 'revision = "hidden"\n',
            "helpers.py": "revision = make_revision()\n",
            "notes.py": '"""No revision here."""\n',
        },
    )
    assert read_revisions(folder) == {"0001": ()}


def test_unparsable_file_warns_and_writes_nothing(split: Path, capsys: pytest.CaptureFixture[str]) -> None:
    broken = split / "b0rken_half_saved.py"
    broken.write_text('revision = "b0rken"\ndown_revision = (\n', encoding="utf-8")
    assert main([str(split)]) == 0
    assert merge_files(split) == []
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.startswith(f"fastapi-ms: WARNING: cannot read {broken.as_posix()}: ")
    assert captured.err.endswith("; merge heads by hand with `uv run alembic merge heads`\n")
    assert captured.err.count("\n") == 1


def test_down_revision_that_is_not_a_literal_warns(split: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (split / "c3_computed.py").write_text('revision = "c3"\ndown_revision = PARENT\n', encoding="utf-8")
    assert main([str(split)]) == 0
    assert merge_files(split) == []
    assert "down_revision is not None, a string or a tuple of strings" in capsys.readouterr().err


def test_existing_merge_file_is_never_overwritten(split: Path) -> None:
    revision = merge_revision_id(["0002_orders", "a1b2c3d4e5f6"])
    placeholder = split / f"{revision}.py"
    placeholder.write_text("# kept as it is\n", encoding="utf-8")
    assert main([str(split)]) == 0
    assert placeholder.read_text(encoding="utf-8") == "# kept as it is\n"
    assert merge_files(split) == [placeholder]


def test_missing_folder_is_silent(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main([str(tmp_path / "alembic/versions")]) == 0
    assert capsys.readouterr() == ("", "")


def test_wrong_usage_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert main([]) == 2
    assert capsys.readouterr().err.startswith("usage: ")


def test_merge_file_compiles_and_declares_the_heads(split: Path) -> None:
    main([str(split)])
    [merge] = merge_files(split)
    namespace: dict[str, object] = {}
    exec(compile(merge.read_text(encoding="utf-8"), str(merge), "exec"), namespace)  # noqa: S102 - our own output
    assert namespace["revision"] == merge.stem
    assert namespace["down_revision"] == ("0002_orders", "a1b2c3d4e5f6")
    assert namespace["branch_labels"] is None
    assert namespace["depends_on"] is None


def test_long_head_lists_are_laid_out_one_per_line() -> None:
    many = [f"{index:02d}_{'x' * 20}" for index in range(6)]
    revision, text = merge_revision_text(many)
    assert "down_revision: str | Sequence[str] | None = (\n" in text
    assert all(f'    "{head}",\n' in text for head in many)
    assert all(len(line) <= 120 for line in text.splitlines())
    compile(text, f"{revision}.py", "exec")


def test_ids_that_need_escaping_are_left_to_alembic(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = write(tmp_path, {"0001_initial.py": INITIAL, "odd.py": 'revision = "a\\"b"\ndown_revision = None\n'})
    assert main([str(folder)]) == 0
    assert merge_files(folder) == []
    assert capsys.readouterr().err.startswith(f"fastapi-ms: WARNING: cannot join the heads in {folder.as_posix()}: ")


def test_alembic_sees_a_single_head(split: Path) -> None:
    main([str(split)])
    assert len(heads(read_revisions(split))) == 1
    if importlib.util.find_spec("alembic") is None:
        return  # alembic is no dependency of the template; the check above is the alembic-free one
    script = importlib.import_module("alembic.script").ScriptDirectory(str(split.parent))
    assert script.get_heads() == [merge_files(split)[0].stem]
