"""Before every update: refuse a changed resource answer before anything in the service changes.

    python extensions/migrations/keep_applied_answers.py ANSWERS_FILE DATA_JSON

DATA_JSON holds the answers given with --data. The questionnaire's validators refuse the same
change when it is typed, but --data answers reach them only after the `before` migrations have
already edited the service.
"""

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from extensions.history import MIGRATION_ANSWERS, applied_answer_error


def main(answers_file: str, data_json: str) -> int:
    """Exit 1 with the reason when a given answer differs from the recorded one."""
    conf = {"dst_path": Path.cwd(), "answers_file": answers_file}
    given = json.loads(data_json)
    errors = [
        applied_answer_error(question, given[question], conf) for question in sorted(MIGRATION_ANSWERS & given.keys())
    ]
    for error in filter(None, errors):
        print(f"fastapi-ms: update refused: {error}", file=sys.stderr)
    return 1 if any(errors) else 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:]))
