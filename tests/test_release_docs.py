"""CHANGELOG.md, copier.yml's `_migrations`, tests/releases.py and the docs agree on the template's versions."""

import re
from pathlib import Path
from typing import Any

import yaml

from tests.doc_tables import code_spans, table
from tests.generation import TEMPLATE_ROOT
from tests.releases import LANDED, UPCOMING

RELEASED = re.compile(r"## (\d+)\.(\d+)\.(\d+) - \d{4}-\d{2}-\d{2}")
TAG = re.compile(r"v(\d+)\.(\d+)\.(\d+)")
STATUS = re.compile(r"The newest release is `(v[^`]+)`; the working tree is tagged `(v[^`]+)` when it is released\.")

Version = tuple[int, int, int]


def parse_tag(tag: str) -> Version:
    """(X, Y, Z) of a tag `vX.Y.Z`; anything else is a failure naming the tag."""
    match = TAG.fullmatch(tag)
    assert match is not None, f"{tag!r} is not a release tag vX.Y.Z"
    return int(match[1]), int(match[2]), int(match[3])


def tag(version: Version) -> str:
    """The tag `vX.Y.Z` of a version."""
    return "v{}.{}.{}".format(*version)


def changelog(path: Path = TEMPLATE_ROOT / "CHANGELOG.md") -> tuple[bool, list[Version]]:
    """Whether the changelog opens with `## Unreleased`, and its released versions in file order."""
    headings = [line for line in path.read_text(encoding="utf-8").splitlines() if line.startswith("## ")]
    unreleased = bool(headings) and headings[0] == "## Unreleased"
    versions = []
    for heading in headings[unreleased:]:
        match = RELEASED.fullmatch(heading)
        assert match is not None, (
            f"CHANGELOG.md: {heading!r} is not '## X.Y.Z - YYYY-MM-DD' (nor a first '## Unreleased')"
        )
        versions.append((int(match[1]), int(match[2]), int(match[3])))
    return unreleased, versions


def versioned_migrations() -> list[dict[str, Any]]:
    """The `_migrations` entries of copier.yml that name a version."""
    config = yaml.safe_load((TEMPLATE_ROOT / "copier.yml").read_text(encoding="utf-8"))
    return [entry for entry in config["_migrations"] if "version" in entry]


def script_of(version: Version) -> str:
    """The migration script a release's entry runs: extensions/migrations/vX_Y_Z.py."""
    return "extensions/migrations/v{}_{}_{}.py".format(*version)


def test_the_changelog_lists_released_versions_newest_first() -> None:
    _, versions = changelog()
    assert versions, "CHANGELOG.md names no released version"
    assert versions == sorted(versions, reverse=True) and len(set(versions)) == len(versions), (
        f"CHANGELOG.md's released versions are not newest first: {[tag(v) for v in versions]}"
    )


def test_the_upcoming_tag_follows_the_newest_release() -> None:
    unreleased, versions = changelog()
    upcoming = parse_tag(UPCOMING)
    if unreleased:
        assert upcoming > versions[0], (
            f"tests/releases.py: UPCOMING is {UPCOMING}, but CHANGELOG.md has '## Unreleased' after "
            f"{tag(versions[0])}; set UPCOMING to the version those changes are released as"
        )
    else:
        assert upcoming == versions[0], (
            f"tests/releases.py: UPCOMING is {UPCOMING}, but the newest release in CHANGELOG.md is {tag(versions[0])}"
        )
    unknown = sorted(set(LANDED) - {tag(v) for v in versions})
    assert not unknown, f"tests/releases.py: LANDED names {unknown}, which CHANGELOG.md does not list as released"


def test_each_migration_version_is_released_or_upcoming_and_runs_its_own_script() -> None:
    unreleased, versions = changelog()
    allowed = {tag(v) for v in versions} | ({UPCOMING} if unreleased else set())
    for entry in versioned_migrations():
        version = parse_tag(entry["version"])
        assert tag(version) in allowed, (
            f"copier.yml: the migration {entry['version']} has no '## {tag(version)[1:]} - <date>' heading in "
            f"CHANGELOG.md and is not the upcoming {UPCOMING} (while '## Unreleased' exists)"
        )
        command = " ".join(entry["command"]) if isinstance(entry["command"], list) else entry["command"]
        assert script_of(version) in command, (
            f"copier.yml: the migration {entry['version']} must run {script_of(version)}, not {command!r}"
        )
        assert (TEMPLATE_ROOT / script_of(version)).is_file(), f"{script_of(version)} is missing"


def test_every_release_script_has_its_migration_entry() -> None:
    listed = {script_of(parse_tag(entry["version"])) for entry in versioned_migrations()}
    scripts = {
        path.relative_to(TEMPLATE_ROOT).as_posix() for path in (TEMPLATE_ROOT / "extensions/migrations").glob("v*.py")
    }
    assert scripts <= listed, f"{sorted(scripts - listed)} run for no version: add a `_migrations` entry in copier.yml"


def test_the_updating_page_lists_each_release_script_with_its_version() -> None:
    rows = table(TEMPLATE_ROOT / "docs/updating.md", "## Template versions and migration scripts")
    documented = {(row["version"], script) for row in rows for script in code_spans(row["script"])}
    for entry in versioned_migrations():
        version = parse_tag(entry["version"])
        row = (tag(version)[1:], Path(script_of(version)).name)
        assert row in documented, f"docs/updating.md: the table of migration scripts has no row {row}"


def test_the_releasing_page_names_the_newest_release_and_the_upcoming_tag() -> None:
    _, versions = changelog()
    status = STATUS.search((TEMPLATE_ROOT / "docs/releasing.md").read_text(encoding="utf-8"))
    assert status is not None, f"docs/releasing.md has no sentence matching {STATUS.pattern!r}"
    assert status[1] == tag(versions[0]), (
        f"docs/releasing.md names {status[1]} as the newest release; CHANGELOG.md's is {tag(versions[0])}"
    )
    assert status[2] == UPCOMING, f"docs/releasing.md names {status[2]} as the tree's next tag; UPCOMING is {UPCOMING}"
