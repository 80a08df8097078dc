"""The README's "Field offices" commands, run exactly as written in a fresh copy of the project folder."""

from __future__ import annotations

import json
import os
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import jaga

ROOT = Path(__file__).resolve().parents[2]
SRC = Path(jaga.__file__).resolve().parents[1]

pytestmark = pytest.mark.slow  # a dozen `jaga` processes, each importing the whole application


def field_block(readme: str) -> list[str]:
    section = readme.split("\n## Field offices (offline)\n", 1)[1]
    block = section.split("```sh\n", 1)[1].split("\n```", 1)[0]
    return block.replace("\\\n", " ").splitlines()


def test_the_field_commands_in_the_readme_run_as_written(tmp_path: Path) -> None:
    project = tmp_path / "jaga"
    project.mkdir()
    shutil.copy(ROOT / "README.md", project)
    shutil.copytree(ROOT / "docs", project / "docs")
    env = {name: value for name, value in os.environ.items() if not name.startswith("JAGA_")}
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"
    env["PYTHONPATH"] = str(SRC)
    commands = field_block((project / "README.md").read_text(encoding="utf-8"))
    assert sum(c.startswith("jaga ") for c in commands) >= 10
    script = ["set -uo pipefail"] + [
        f'{command} || {{ echo "exit $? from the README\'s: "{shlex.quote(command)} >&2; exit 1; }}'
        for command in commands
    ]
    run = subprocess.run(
        ["bash", "-c", "\n".join(script)], cwd=project, env=env, capture_output=True, text=True, timeout=600
    )
    assert run.returncode == 0, run.stderr[-4000:]
    assert "2 applied, 0 already held" in run.stdout
    assert "0 applied, 2 already held" in run.stdout
    receipt = json.loads((project / "data" / "receipt.json").read_text())
    assert [e["outcome"] for e in receipt["events"]] == ["applied", "applied"]
