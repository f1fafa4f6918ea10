"""Copy time: the richest preset next to Copier copying the same rendered tree as plain files.

    python -m tests.copy_time [--runs N]

Renders the `domain` preset once, turns the result into a template of plain files (nothing to
render but the paths), then times `copier copy` of both, as a user runs it (the command line,
tasks skipped) and in process (Copier's import excluded). Exits 1 when the preset takes more than
1.5 times the plain copy on the command line.
"""

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml

from tests.generation import copy_template, copy_working_tree
from tests.presets import answers

LIMIT = 1.5
PLAIN_CONFIG = "_subdirectory: template\n_templates_suffix: .jinja\n"


def plain_template(rendered: Path, target: Path) -> Path:
    """A template whose files are `rendered`'s, copied verbatim."""
    shutil.copytree(rendered, target / "template", ignore=shutil.ignore_patterns(".copier-answers.yml"))
    (target / "copier.yml").write_text(PLAIN_CONFIG)
    return target


def median_seconds(ours: Callable[[int], Any], plain: Callable[[int], Any], runs: int) -> tuple[float, float]:
    """The median wall times of `ours(run)` and `plain(run)` over `runs` runs each, after one warm-up.

    The two alternate, so a machine that slows down or speeds up meanwhile weighs on both alike.
    """
    times: tuple[list[float], list[float]] = ([], [])
    for run in range(-1, runs):
        for action, kept in zip((ours, plain), times, strict=True):
            started = time.perf_counter()
            action(run)
            if run >= 0:
                kept.append(time.perf_counter() - started)
    return statistics.median(times[0]), statistics.median(times[1])


def cli_copy(source: Path, data_file: Path, destination: Path) -> None:
    """`copier copy` from the command line, as a user runs it (hooks skipped: they time git, not Copier)."""
    command = [sys.executable, "-m", "copier", "copy", "--trust", "--defaults", "--skip-tasks", "--quiet"]
    subprocess.run([*command, "--data-file", str(data_file), str(source), str(destination)], check=True)


def main(argv: list[str] | None = None) -> int:
    """Print both medians and their ratio; 1 when the command-line ratio passes LIMIT."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args(argv)
    work = Path(tempfile.mkdtemp(prefix="fastapi-ms-copy-time-"))
    try:
        template = copy_working_tree(work / "fastapi-ms")
        domain = answers("domain")
        rendered = copy_template(template, work / "rendered", domain)
        plain = plain_template(rendered, work / "plain")
        data = work / "answers.yml"
        data.write_text(yaml.safe_dump(domain))
        empty = work / "empty.yml"
        empty.write_text("{}\n")
        files = sum(1 for path in rendered.rglob("*") if path.is_file())
        rows = {
            "command line": median_seconds(
                lambda run: cli_copy(template, data, work / f"c{run}"),
                lambda run: cli_copy(plain, empty, work / f"p{run}"),
                args.runs,
            ),
            "in process": median_seconds(
                lambda run: copy_template(template, work / f"ci{run}", domain),
                lambda run: copy_template(plain, work / f"pi{run}", {}),
                args.runs,
            ),
        }
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print(f"domain preset, {files} files, median of {args.runs} runs")
    print(f"{'':14} {'template':>9} {'plain':>9} {'ratio':>6}")
    for name, (ours, plain_time) in rows.items():
        print(f"{name:14} {ours:8.2f}s {plain_time:8.2f}s {ours / plain_time:6.2f}")
    ratio = rows["command line"][0] / rows["command line"][1]
    if ratio > LIMIT:
        print(f"FAILED: the preset takes {ratio:.2f} times the plain copy (limit {LIMIT})", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
