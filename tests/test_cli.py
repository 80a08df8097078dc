"""The `jaga` root: what a user sees when something goes wrong that nobody named (a bug)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from tests.cli_helpers import jaga
from tests.conftest import PreparedDatabase

ERROR_LINE = re.compile(r"^error: internal error ([0-9a-f]{8}) \(RuntimeError\): a bug in jaga", re.MULTILINE)


def _broken_export(*args: Any, out: Any, **kwargs: Any) -> int:
    """Writes half a file, then fails the way a bug does."""
    out.write("ref,child_ref\nB-1,C-1\n")
    raise RuntimeError("a bug that quotes a record: Siti Aminah 3374014203940001")


def test_a_bug_exits_70_with_an_error_id_no_traceback_and_no_half_written_file(
    database: PreparedDatabase,
    throwaway_url: str,
    tokens: dict[str, str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr("jaga.registry.cli.export_records", _broken_export)
    out = tmp_path / "exports" / "births.csv"
    result = jaga(
        throwaway_url,
        "export",
        "births",
        "--reason",
        "audit",
        "--out",
        str(out),
        token=tokens["auditor"],
        data_dir=tmp_path,
    )
    assert result.exit_code == 70, result.output
    found = ERROR_LINE.search(result.stderr)
    assert found, result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert "Traceback" not in result.output and "Siti" not in result.output and "3374" not in result.output
    assert not out.exists()
    assert list(out.parent.iterdir()) == []  # no temporary file left either
    log = tmp_path / "logs" / "errors.log"
    assert str(log) in result.stderr
    text = log.read_text(encoding="utf-8")
    assert f"error {found.group(1)} in `jaga export`" in text and "Traceback" in text
    assert "--reason" not in text and "audit" not in text.split("\n", 1)[0]  # command name, not arguments
    assert log.stat().st_mode & 0o777 == 0o600
    assert (tmp_path / "logs").stat().st_mode & 0o777 == 0o700


def test_a_bug_shows_its_traceback_on_stderr_with_jaga_debug(
    database: PreparedDatabase,
    throwaway_url: str,
    tokens: dict[str, str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr("jaga.registry.cli.export_records", _broken_export)
    monkeypatch.setenv("JAGA_DEBUG", "1")
    result = jaga(throwaway_url, "export", "births", token=tokens["auditor"], data_dir=tmp_path)
    assert result.exit_code == 70
    assert ERROR_LINE.search(result.stderr) and "Traceback" in result.stderr


def test_a_bad_setting_is_invalid_input_not_a_bug(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("JAGA_PORT", "eighty")
    result = jaga(f"sqlite:///{tmp_path / 'x.db'}", "version", data_dir=tmp_path)
    assert result.exit_code == 3, result.output
    assert "JAGA_PORT" in result.stderr and "Traceback" not in result.output


def test_an_export_file_is_private_and_complete(
    database: PreparedDatabase, throwaway_url: str, tokens: dict[str, str], tmp_path: Path
) -> None:
    out = tmp_path / "new" / "people.csv"
    result = jaga(
        throwaway_url,
        "export",
        "people",
        "--reason",
        "audit 2026/1",
        "--out",
        str(out),
        token=tokens["auditor"],
        data_dir=tmp_path,
    )
    assert result.exit_code == 0, result.output
    assert f"exported to {out}" in result.stderr
    assert out.read_text(encoding="utf-8").startswith("ref,")
    assert out.stat().st_mode & 0o777 == 0o600 and out.parent.stat().st_mode & 0o777 == 0o700
    assert [p.name for p in out.parent.iterdir()] == ["people.csv"]
