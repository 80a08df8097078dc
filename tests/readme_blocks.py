"""Running the README's shell blocks as a new user would: in a fresh copy of the project folder (README
and docs), with this checkout's `jaga` on PATH and none of the caller's JAGA_* variables."""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import jaga

ROOT = Path(__file__).resolve().parents[1]
SRC = Path(jaga.__file__).resolve().parents[1]


def sh_block(readme: str, heading: str) -> list[str]:
    """The first ```sh block under the line `heading` (e.g. "## Using it"), as shell commands (continued
    lines joined)."""
    section = readme.split(f"\n{heading}\n", 1)[1]
    block = section.split("```sh\n", 1)[1].split("\n```", 1)[0]
    return block.replace("\\\n", " ").splitlines()


def fresh_project(tmp_path: Path) -> tuple[Path, dict[str, str]]:
    """A copy of the README and docs in a new folder, and the environment to run commands in it."""
    project = tmp_path / "jaga"
    project.mkdir()
    shutil.copy(ROOT / "README.md", project)
    shutil.copytree(ROOT / "docs", project / "docs")
    env = {name: value for name, value in os.environ.items() if not name.startswith("JAGA_")}
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"
    env["PYTHONPATH"] = str(SRC)
    return project, env


def run_as_written(
    commands: list[str], project: Path, env: dict[str, str], *, timeout: float
) -> subprocess.CompletedProcess[str]:
    """The commands in order in one bash; the first that fails stops it and is named on stderr."""
    script = ["set -uo pipefail"] + [
        f'{command} || {{ echo "exit $? from the README\'s: "{shlex.quote(command)} >&2; exit 1; }}'
        for command in commands
    ]
    return subprocess.run(
        ["bash", "-c", "\n".join(script)],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
