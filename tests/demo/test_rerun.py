"""A rerun of the demo replaces its folder only when the user agrees, and never a folder it did not make."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from jaga.cli import app
from jaga.demo.folder import MARKER, demo_folder


def _demo(data_dir: Path, *args: str, answer: str | None = None) -> Result:
    return CliRunner().invoke(
        app,
        ["demo", "--no-serve", "--births", "100", *args],
        env={"JAGA_DATA_DIR": str(data_dir), "JAGA_DATABASE_URL": None},
        input=answer,
    )


def _previous_demo(data_dir: Path) -> Path:
    folder = data_dir / "demo"
    folder.mkdir(parents=True)
    (folder / MARKER).write_text("made by `jaga demo`\n")
    (folder / "demo.env").write_text("DEMO_REGISTRAR_TOKEN=jaga_old\n")
    return folder


def test_a_rerun_without_a_terminal_needs_yes_and_changes_nothing(tmp_path: Path) -> None:
    folder = _previous_demo(tmp_path)
    result = _demo(tmp_path)
    assert result.exit_code == 6, result.output
    assert f"{folder} holds the previous demo" in result.stderr and "pass --yes" in result.stderr
    assert "every demo token changes" in result.stderr
    assert (folder / "demo.env").read_text() == "DEMO_REGISTRAR_TOKEN=jaga_old\n"


def test_a_rerun_in_a_terminal_asks_first(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("jaga.demo.cli._interactive", lambda: True)
    folder = _previous_demo(tmp_path)
    result = _demo(tmp_path, answer="n\n")
    assert result.exit_code == 1, result.output
    assert "every demo token changes" in result.output and "Replace it?" in result.output
    assert (folder / "demo.env").read_text() == "DEMO_REGISTRAR_TOKEN=jaga_old\n"


def test_a_folder_the_demo_did_not_make_is_never_deleted(tmp_path: Path) -> None:
    (tmp_path / "demo").mkdir()
    (tmp_path / "demo" / "thesis.docx").write_text("years of work")
    result = _demo(tmp_path, "--yes")
    assert result.exit_code == 6 and "was not made by `jaga demo`" in result.stderr
    assert (tmp_path / "demo" / "thesis.docx").exists()


def test_the_demo_folder_is_itself_when_jaga_data_dir_points_at_it(tmp_path: Path) -> None:
    folder = _previous_demo(tmp_path)
    assert demo_folder(tmp_path) == folder and demo_folder(folder) == folder
    result = _demo(folder)  # JAGA_DATA_DIR=data/demo, as the README sets it: the same folder, not demo/demo
    assert result.exit_code == 6 and f"{folder} holds the previous demo" in result.stderr
