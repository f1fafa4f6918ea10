"""Run the offline linters that stand in for a Docker engine and a cluster."""

import os
import subprocess
import sys
from pathlib import Path

VENV_BIN = Path(sys.executable).parent


def tool(name: str) -> str:
    """The path of a linter installed in this environment (the `artifacts` dependency group)."""
    path = VENV_BIN / name
    if not path.exists():
        raise FileNotFoundError(f"{name} is not installed next to {sys.executable}: uv sync --group artifacts")
    return str(path)


def run_tool(*command: str, cwd: Path, stdin: str | None = None) -> str:
    """Run a linter (by name, or by absolute path) in `cwd`; fail the test with its full output unless it exits 0."""
    env = {**os.environ, "PATH": f"{VENV_BIN}{os.pathsep}{os.environ.get('PATH', '')}"}
    executable = command[0] if Path(command[0]).is_absolute() else tool(command[0])
    result = subprocess.run(
        [executable, *command[1:]], cwd=cwd, env=env, input=stdin, capture_output=True, text=True, check=False
    )
    output = f"{result.stdout}{result.stderr}"
    assert result.returncode == 0, f"{' '.join(command)} exited {result.returncode} in {cwd}:\n{output}"
    return output
