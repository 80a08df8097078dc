"""The README's "Using it" commands, run exactly as written, in order, after the demo, as a new user
would: in a fresh copy of the project folder, with the `jaga` of this checkout on PATH."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from tests.readme_blocks import ROOT, fresh_project, run_as_written, sh_block

USING_IT = "## Using it"


def test_the_readme_block_is_what_this_test_runs() -> None:
    commands = sh_block((ROOT / "README.md").read_text(encoding="utf-8"), USING_IT)
    assert commands[0].startswith('export PATH="$PWD/.venv/bin:$PATH"')
    assert any(c.startswith("export JAGA_DATA_DIR=data/demo") for c in commands)
    assert sum(c.startswith("jaga ") for c in commands) >= 15


@pytest.mark.slow
def test_the_readme_commands_run_as_written_after_the_demo(tmp_path: Path) -> None:
    project, env = fresh_project(tmp_path)

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

    commands = sh_block((project / "README.md").read_text(encoding="utf-8"), USING_IT)
    run = run_as_written(commands, project, env, timeout=900)
    assert run.returncode == 0, run.stderr[-4000:]
    assert "the certificate is authentic" in run.stdout
    assert not (project / "data" / "jaga.db").exists()  # nothing fell back to an empty registry
