"""Parse every Python, YAML, TOML and JSON file of a rendered service, as its tools will."""

import ast
import json
import tomllib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml


class TaggedLoader(yaml.SafeLoader):
    """A safe YAML loader that accepts application tags such as GitLab's `!reference`."""


def _untagged(loader: yaml.SafeLoader, _suffix: str, node: yaml.Node) -> Any:
    """Load a tagged node as the plain value under its tag."""
    if isinstance(node, yaml.MappingNode):
        return loader.construct_mapping(node)
    if isinstance(node, yaml.SequenceNode):
        return loader.construct_sequence(node)
    return loader.construct_scalar(node)  # type: ignore[arg-type]


TaggedLoader.add_multi_constructor("!", _untagged)


def _yaml(text: str, _path: str) -> object:
    """Every document of a YAML stream."""
    return list(yaml.load_all(text, Loader=TaggedLoader))


PARSERS: dict[str, Callable[[str, str], object]] = {
    ".py": lambda text, path: ast.parse(text, filename=path),
    ".yml": _yaml,
    ".yaml": _yaml,
    ".toml": lambda text, _: tomllib.loads(text),
    ".json": lambda text, _: json.loads(text),
}


def parse_every_file(project: Path) -> int:
    """Parse each file whose suffix has a parser; return how many were parsed (errors propagate)."""
    parsed = 0
    for path in sorted(project.rglob("*")):
        parser = PARSERS.get(path.suffix)
        if path.is_file() and parser is not None and ".git" not in path.relative_to(project).parts:
            parser(path.read_text(encoding="utf-8"), str(path))
            parsed += 1
    return parsed
