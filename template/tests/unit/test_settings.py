"""The documented settings: `.env.example`, copied to `.env`, holds exactly the service's defaults."""

from app.core.config import PROJECT_ROOT, Settings


def test_env_example_loads_as_the_defaults() -> None:
    example = Settings(_env_file=PROJECT_ROOT / ".env.example")
    assert example == Settings(_env_file=None)
