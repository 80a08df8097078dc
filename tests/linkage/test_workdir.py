"""A killed `jaga link csv` leaves its folder; the next run removes it, and never a live run's folder."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from typer.testing import CliRunner

from jaga.cli import app
from jaga.synth.generator import synthesise
from jaga.synth.scenario import Scenario


def _dead_pid() -> int:
    process = subprocess.Popen([sys.executable, "-c", "pass"])
    process.wait()
    return process.pid


def test_a_run_removes_a_dead_runs_folder_and_keeps_a_live_ones(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    temporary = tmp_path / "tmp"
    temporary.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(temporary))
    dead = temporary / f"jaga-link-{_dead_pid()}-abc123"
    live = temporary / f"jaga-link-{os.getppid()}-def456"  # our parent: alive for the whole test
    older = temporary / "jaga-link-k3j2h1"  # an older jaga's name, with no pid: not ours to judge
    for folder in (dead, live, older):
        (folder / "spill").mkdir(parents=True)
        (folder / "work.duckdb").write_bytes(b"x")
    synth = tmp_path / "synth"
    synthesise(births=300, seed=5, out=synth, scenario=Scenario(name="workdir", province="33"))
    people = synth / "people-facility.csv"

    arguments = [
        "link", "csv", str(people), "--id", "ref", "--out", str(tmp_path / "pairs.csv"),
        "--map", "full_name=full_name", "--map", "date_of_birth=birth_date", "--map", "national_id=nik",
    ]  # fmt: skip

    result = CliRunner().invoke(app, arguments)

    assert result.exit_code == 0, result.output
    assert not dead.exists()
    assert live.exists() and older.exists()
    assert sorted(p.name for p in temporary.iterdir()) == sorted([live.name, older.name])  # its own: gone
