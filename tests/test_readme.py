"""The README's "Using it" commands, run exactly as written, in order, after the demo, as a new user
would: in a fresh copy of the project folder, with the `jaga` of this checkout on PATH."""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import jaga

ROOT = Path(__file__).resolve().parents[1]
SRC = Path(jaga.__file__).resolve().parents[1]


def using_it_block(readme: str) -> list[str]:
    """The first ```sh block under "## Using it", as shell commands (continued lines joined)."""
    section = readme.split("\n## Using it\n", 1)[1]
    block = section.split("```sh\n", 1)[1].split("\n```", 1)[0]
    return block.replace("\\\n", " ").splitlines()


def test_the_readme_block_is_what_this_test_runs() -> None:
    commands = using_it_block((ROOT / "README.md").read_text(encoding="utf-8"))
    assert commands[0].startswith('export PATH="$PWD/.venv/bin:$PATH"')
    assert any(c.startswith("export JAGA_DATA_DIR=data/demo") for c in commands)
    assert sum(c.startswith("jaga ") for c in commands) >= 15


@pytest.mark.slow
def test_the_readme_commands_run_as_written_after_the_demo(tmp_path: Path) -> None:
    project = tmp_path / "jaga"
    project.mkdir()
    shutil.copy(ROOT / "README.md", project)
    shutil.copytree(ROOT / "docs", project / "docs")
    env = {name: value for name, value in os.environ.items() if not name.startswith("JAGA_")}
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"
    env["PYTHONPATH"] = str(SRC)

    # `scripts/demo --no-serve`, minus the installation, on a small province.
    demo = subprocess.run(
        ["jaga", "demo", "--births", "300", "--no-serve"],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
    )
    assert demo.returncode == 0, demo.stderr
    assert "ledger verifier key (publish it; jaga verify --vkey): data/demo/keys/ledger.vkey" in demo.stdout
    assert "export JAGA_DATA_DIR=data/demo" in demo.stdout

    commands = using_it_block((project / "README.md").read_text(encoding="utf-8"))
    script = ["set -uo pipefail"] + [
        f'{command} || {{ echo "exit $? from the README\'s: "{shlex.quote(command)} >&2; exit 1; }}'
        for command in commands
    ]
    run = subprocess.run(
        ["bash", "-c", "\n".join(script)], cwd=project, env=env, capture_output=True, text=True, timeout=900
    )
    assert run.returncode == 0, run.stderr[-4000:]
    assert "the certificate is authentic" in run.stdout
    assert not (project / "data" / "jaga.db").exists()  # nothing fell back to an empty registry
