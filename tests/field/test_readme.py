"""The README's "Field offices" commands, run exactly as written in a fresh copy of the project folder."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.readme_blocks import fresh_project, run_as_written, sh_block

pytestmark = pytest.mark.slow  # a dozen `jaga` processes, each importing the whole application


def test_the_field_commands_in_the_readme_run_as_written(tmp_path: Path) -> None:
    project, env = fresh_project(tmp_path)
    commands = sh_block((project / "README.md").read_text(encoding="utf-8"), "## Field offices (offline)")
    assert sum(c.startswith("jaga ") for c in commands) >= 10
    run = run_as_written(commands, project, env, timeout=600)
    assert run.returncode == 0, run.stderr[-4000:]
    assert "2 applied, 0 already held" in run.stdout
    assert "0 applied, 2 already held" in run.stdout
    receipt = json.loads((project / "data" / "receipt.json").read_text())
    assert [e["outcome"] for e in receipt["events"]] == ["applied", "applied"]
