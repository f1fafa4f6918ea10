"""Every preset's gates on every Python here (tests/gates.py), two at a time, each gate's output in its own log.

    python -m tests.matrix [--jobs N] [--logs DIR]

A gate spends much of its time waiting on uv, git and the database, so two of them share the
machine's cores well. A gate's output is printed when it fails; the logs of the others stay in
DIR (a temporary folder by default).
"""

import argparse
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor, as_completed
from pathlib import Path

from tests.presets import PRESETS
from tests.pythons import available

DEFAULT_JOBS = 2
FAILED_TAIL = 60  # lines of a failed gate's log to print


def gate(preset: str, python_version: str, logs: Path) -> tuple[int, float, Path]:
    """Run one gate with its output in logs/<preset>-<python>.log; its exit code, wall time and log."""
    log = logs / f"{preset}-{python_version}.log"
    started = time.perf_counter()
    with log.open("w") as sink:
        command = [sys.executable, "-m", "tests.gates", preset, python_version]
        code = subprocess.run(command, stdout=sink, stderr=subprocess.STDOUT, check=False).returncode
    return code, time.perf_counter() - started, log


def main(argv: list[str] | None = None) -> int:
    """Run the matrix; 1 when a gate failed, after every gate has run."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--jobs", type=int, default=DEFAULT_JOBS, help=f"gates at a time (default {DEFAULT_JOBS})")
    parser.add_argument("--logs", type=Path, help="keep each gate's log here")
    args = parser.parse_args(argv)
    logs = args.logs or Path(tempfile.mkdtemp(prefix="fastapi-ms-matrix-"))
    logs.mkdir(parents=True, exist_ok=True)
    cells = [(preset, version) for version in available() for preset in sorted(PRESETS)]
    print(f"--- {len(cells)} gates, {args.jobs} at a time, logs in {logs}", flush=True)
    started, failed = time.perf_counter(), []
    with ThreadPoolExecutor(max_workers=max(1, args.jobs)) as pool:
        runs = {pool.submit(gate, preset, version, logs): (preset, version) for preset, version in cells}
        for done in as_completed(runs):
            (preset, version), (code, seconds, log) = runs[done], done.result()
            print(f"--- {preset} on Python {version}: {'passed' if code == 0 else 'FAILED'} in {seconds:.0f} s")
            if code != 0:
                failed.append(f"{preset} on Python {version}")
                print("".join(log.read_text().splitlines(keepends=True)[-FAILED_TAIL:]), flush=True)
    print(f"--- matrix: {len(cells) - len(failed)} of {len(cells)} passed in {time.perf_counter() - started:.0f} s")
    for cell in failed:
        print(f"FAILED: {cell}", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
