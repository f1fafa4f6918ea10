"""Before every update: refuse a changed resource list before anything in the service changes.

    python extensions/migrations/keep_applied_answers.py ANSWERS_FILE DATA_JSON

DATA_JSON holds the answers given with --data or --data-file. The questionnaire's validator
refuses the same change when it is typed, but given answers reach it only after the `before`
migrations have already edited the service.
"""

import json
import sys
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from extensions.history import applied_resources_error
from extensions.resources import resources_error


def main(answers_file: str, data_json: str) -> int:
    """Exit 1 with the reason when the given resources are invalid or drop, change or move a recorded one."""
    given = json.loads(data_json)
    if "resources" not in given:
        return 0
    conf = {"dst_path": Path.cwd(), "answers_file": answers_file}
    resources = given["resources"]
    if isinstance(resources, str):  # `--data resources=...` arrives as the YAML text typed
        try:
            resources = yaml.safe_load(resources)
        except yaml.YAMLError as exc:
            print(f"fastapi-ms: update refused: resources: not valid YAML ({exc})".replace("\n", " "), file=sys.stderr)
            return 1
    error = resources_error(resources) or applied_resources_error(resources, conf)
    if error:
        print(f"fastapi-ms: update refused: {error}", file=sys.stderr)
    return 1 if error else 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:]))
