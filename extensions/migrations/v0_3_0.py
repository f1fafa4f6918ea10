"""Migration to 0.3.0: the answers resource_name, resource_plural and resource_fields become `resources`.

    python extensions/migrations/v0_3_0.py ANSWERS_FILE

Runs before the update renders 0.3.0. The one resource of a 0.2.0 service becomes a one-item
list that renders the same model, schemas and revision 0001; its required str fields keep
accepting the empty string ({min_length=0}), as they did.
"""

import sys
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from extensions.history import LEGACY_ANSWERS, legacy_resources

HEADER = "# Changes here will be overwritten by Copier; NEVER EDIT MANUALLY\n"


def main(answers_file: str) -> int:
    """Rewrite the answers file in place when it still holds the three 0.2.0 answers."""
    path = Path(answers_file)
    answers = yaml.safe_load(path.read_text(encoding="utf-8"))
    resources = legacy_resources(answers) if isinstance(answers, dict) else None
    if resources is None or "resources" in answers:
        return 0
    for key in LEGACY_ANSWERS:
        del answers[key]
    answers["resources"] = resources
    path.write_text(HEADER + yaml.safe_dump(answers, allow_unicode=True, sort_keys=True), encoding="utf-8")
    print(f"fastapi-ms 0.3.0: the resource answers of {path} are now one resources list")
    return 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:]))
