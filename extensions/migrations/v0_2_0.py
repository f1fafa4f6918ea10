"""Migration to 0.2.0: the answer `description` is now `project_description`.

    python extensions/migrations/v0_2_0.py ANSWERS_FILE

Runs before the update renders 0.2.0, so the recorded description carries over instead of
falling back to the default. Only the key changes; every other line keeps its bytes.
"""

import re
import sys
from pathlib import Path

RENAMED = {"description": "project_description"}


def rename_answers(text: str) -> str:
    """`text` of an answers file with each renamed top-level key under its new name."""
    for old, new in RENAMED.items():
        if re.search(rf"^{new}:", text, flags=re.MULTILINE) is None:
            text = re.sub(rf"^{old}:", f"{new}:", text, flags=re.MULTILINE)
    return text


def main(answers_file: str) -> int:
    """Rewrite the answers file in place when it still uses an old name."""
    path = Path(answers_file)
    text = path.read_text(encoding="utf-8")
    renamed = rename_answers(text)
    if renamed != text:
        path.write_text(renamed, encoding="utf-8")
        print(f"fastapi-ms 0.2.0: renamed the answer description to project_description in {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:]))
