"""After every update: join the service's Alembic heads when the template added a revision beside the user's.

    python extensions/migrations/merge_heads.py VERSIONS_FOLDER

A template revision and a user revision that both follow the same parent leave two heads, and
`alembic upgrade head` then refuses to run. This writes one empty merge revision whose id is
derived from the heads, so a second run finds a single head and writes nothing. The revision
files are parsed, never imported. When one cannot be read, it warns and leaves the merge to
`alembic merge heads`.
"""

import ast
import hashlib
import json
import sys
import textwrap
from pathlib import Path

LINE_LENGTH = 120
MANUAL_FIX = "merge heads by hand with `uv run alembic merge heads`"
ANNOTATION = "str | Sequence[str] | None"
EMPTY_BODY = '    """Nothing to change: this revision only joins the heads."""'


class UnreadableRevisionError(ValueError):
    """A revision file whose revision or down_revision cannot be read without running it."""


def literal_assignments(tree: ast.Module) -> dict[str, ast.expr]:
    """The value last assigned at module level to each plain or annotated name."""
    values: dict[str, ast.expr] = {}
    for node in tree.body:
        if isinstance(node, ast.Assign):
            for target in node.targets:
                if isinstance(target, ast.Name):
                    values[target.id] = node.value
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name) and node.value is not None:
            values[node.target.id] = node.value
    return values


def down_revisions(value: ast.expr | None) -> tuple[str, ...] | None:
    """The revisions a down_revision value names, or None when it is not None, a string or strings."""
    if value is None or (isinstance(value, ast.Constant) and value.value is None):
        return ()
    if isinstance(value, ast.Constant) and isinstance(value.value, str):
        return (value.value,)
    if isinstance(value, ast.Tuple | ast.List):
        names = [item.value for item in value.elts if isinstance(item, ast.Constant) and isinstance(item.value, str)]
        return tuple(names) if len(names) == len(value.elts) else None
    return None


def read_revision(path: Path) -> tuple[str, tuple[str, ...]] | None:
    """The revision of one file and its down revisions, or None when it declares no string revision."""
    try:
        tree = ast.parse(path.read_bytes(), filename=str(path))
    except SyntaxError as error:
        raise UnreadableRevisionError(f"{path.as_posix()}: {error.msg} (line {error.lineno})") from error
    except (OSError, ValueError) as error:
        raise UnreadableRevisionError(f"{path.as_posix()}: {error}") from error
    values = literal_assignments(tree)
    revision = values.get("revision")
    if not (isinstance(revision, ast.Constant) and isinstance(revision.value, str)):
        return None
    parents = down_revisions(values.get("down_revision"))
    if parents is None:
        raise UnreadableRevisionError(f"{path.as_posix()}: down_revision is not None, a string or a tuple of strings")
    return revision.value, parents


def read_revisions(folder: Path) -> dict[str, tuple[str, ...]]:
    """Each revision in `folder` mapped to its down revisions; raises UnreadableRevisionError."""
    revisions: dict[str, tuple[str, ...]] = {}
    for path in sorted(folder.glob("*.py")):
        if not path.name.startswith("_") and path.is_file() and (found := read_revision(path)) is not None:
            revisions[found[0]] = found[1]
    return revisions


def heads(revisions: dict[str, tuple[str, ...]]) -> list[str]:
    """The revisions no other revision names as a down revision, sorted."""
    parents = {parent for down in revisions.values() for parent in down}
    return sorted(set(revisions) - parents)


def merge_revision_id(head_ids: list[str]) -> str:
    """The same id for the same heads, whatever order they come in."""
    return "merge_" + hashlib.sha256(",".join(sorted(head_ids)).encode()).hexdigest()[:12]


def docstring_line(text: str, *, first: bool = False) -> str:
    """`text` wrapped to the line length; the first line leaves room for the opening quotes."""
    width = LINE_LENGTH - 3 if first else LINE_LENGTH
    return textwrap.fill(text, width=width, break_long_words=False, break_on_hyphens=False)


def tuple_assignment(name: str, items: list[str]) -> str:
    """`name: ANNOTATION = (...)` on one line when it fits, else one item a line as ruff format lays it out."""
    one_line = f"{name}: {ANNOTATION} = ({', '.join(items)})"
    if len(one_line) <= LINE_LENGTH:
        return one_line
    return "\n".join([f"{name}: {ANNOTATION} = (", *(f"    {item}," for item in items), ")"])


def merge_revision_text(head_ids: list[str]) -> tuple[str, str]:
    """The merge revision's id and the text of its file; raises ValueError for an id that needs escaping."""
    for head in head_ids:
        if not head.isprintable() or '"' in head or "\\" in head:
            raise ValueError(f"revision id {head!r} holds a quote, a backslash or a control character")
    ordered = sorted(head_ids)
    revision = merge_revision_id(ordered)
    listed = ", ".join(ordered)
    text = "\n".join(
        [
            '"""' + docstring_line(f"Merge the heads {listed} into one.", first=True),
            "",
            f"Revision ID: {revision}",
            docstring_line(f"Revises: {listed}"),
            '"""',
            "",
            "from collections.abc import Sequence",
            "",
            f"revision: str = {json.dumps(revision)}",
            tuple_assignment("down_revision", [json.dumps(head, ensure_ascii=False) for head in ordered]),
            f"branch_labels: {ANNOTATION} = None",
            f"depends_on: {ANNOTATION} = None",
            "",
            "",
            "def upgrade() -> None:",
            EMPTY_BODY,
            "",
            "",
            "def downgrade() -> None:",
            EMPTY_BODY,
            "",
        ]
    )
    return revision, text


def warn(problem: str) -> int:
    """Print why the heads stay split and how to join them; the update itself still succeeds."""
    print(f"fastapi-ms: WARNING: {problem}; {MANUAL_FIX}", file=sys.stderr)
    return 0


def main(argv: list[str]) -> int:
    """Write one merge revision into the versions folder when it holds two or more heads."""
    if len(argv) != 1:
        print("usage: python extensions/migrations/merge_heads.py VERSIONS_FOLDER", file=sys.stderr)
        return 2
    folder = Path(argv[0])
    if not folder.is_dir():
        return 0
    try:
        found = heads(read_revisions(folder))
    except UnreadableRevisionError as error:
        return warn(f"cannot read {error}")
    if len(found) < 2:
        return 0
    try:
        revision, text = merge_revision_text(found)
    except ValueError as error:
        return warn(f"cannot join the heads in {folder.as_posix()}: {error}")
    path = folder / f"{revision}.py"
    try:
        with path.open("x", encoding="utf-8") as file:
            file.write(text)
    except FileExistsError:
        return 0
    except OSError as error:
        return warn(f"cannot write {path.as_posix()}: {error.strerror}")
    print(f"fastapi-ms: alembic: joined the heads {', '.join(found)} in {path.as_posix()}; commit it with the update")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
