"""Fixtures of the workflow tests: the template released as the landed v0.2.0 and v0.3.0, and as this tree."""

from pathlib import Path

import pytest

from tests.releases import LANDED, UPCOMING, release


@pytest.fixture(scope="session")
def releases(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The template's git repository: tags v0.2.0 and v0.3.0 as they landed, UPCOMING this working tree."""
    repository = tmp_path_factory.mktemp("releases") / "fastapi-ms"
    release(repository, "v0.2.0", commit=LANDED["v0.2.0"])
    release(repository, "v0.3.0", commit=LANDED["v0.3.0"])
    release(repository, UPCOMING)
    return repository
