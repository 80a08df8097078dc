"""`jaga workbench sweep` removes what ended web sessions left of their imports, without anyone opening the
import pages (they sweep too: tests/workbench/test_import.py), and keeps a live session's results."""

from __future__ import annotations

import os
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import sessionmaker
from typer.testing import CliRunner

from jaga.access.models import Principal, WebSession
from jaga.cli import app
from jaga.db import UnitOfWork, create_engine_for, utc_now
from jaga.workbench.import_results import KEEP_SECONDS
from tests.conftest import PreparedDatabase


def _live_session(url: str) -> int:
    engine = create_engine_for(url)
    try:
        with UnitOfWork(sessionmaker(engine), utc_now) as uow:
            principal = uow.session.scalars(select(Principal.id).limit(1)).one()
            now = datetime.now(UTC)
            row = WebSession(token_hash="a" * 64, principal_id=principal, created_at=now, last_seen_at=now)
            uow.session.add(row)
            uow.commit()
            return row.id
    finally:
        engine.dispose()


def _file(path: Path, *, age: float = 0) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("{}", encoding="utf-8")
    if age:
        os.utime(path, (time.time() - age, time.time() - age))
    return path


def test_the_sweep_command_removes_ended_sessions_imports_and_keeps_live_ones(
    database: PreparedDatabase, throwaway_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    data_dir = tmp_path / "data"
    monkeypatch.setenv("JAGA_DATA_DIR", str(data_dir))
    live = _live_session(throwaway_url)
    root = data_dir / "workbench-imports"
    kept = _file(root / "sessions" / str(live) / "A.json")
    too_old = _file(root / "sessions" / str(live) / "B.rejects", age=KEEP_SECONDS + 60)
    ended = _file(root / "sessions" / str(live + 1000) / "C.json")  # no such live session
    stale_upload = _file(root / "uploads" / "D.part", age=KEEP_SECONDS + 60)
    fresh_upload = _file(root / "uploads" / "E.part")

    result = CliRunner().invoke(app, ["--database-url", throwaway_url, "workbench", "sweep"])

    assert result.exit_code == 0, result.output
    assert "3 folder(s) or file(s) removed" in result.output
    assert kept.exists() and fresh_upload.exists()
    assert not too_old.exists() and not ended.parent.exists() and not stale_upload.exists()


def test_serve_sweeps_ended_sessions_imports_when_it_starts(
    database: PreparedDatabase, throwaway_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    data_dir = tmp_path / "data"
    monkeypatch.setenv("JAGA_DATA_DIR", str(data_dir))
    ended = _file(data_dir / "workbench-imports" / "sessions" / "424242" / "C.rejects")
    started: list[object] = []
    # The server itself is not started: uvicorn.run is where `jaga serve` would block.
    monkeypatch.setattr("uvicorn.run", lambda app_, **options: started.append(app_))

    result = CliRunner().invoke(app, ["--database-url", throwaway_url, "serve"])

    assert result.exit_code == 0, result.output
    assert started and not ended.parent.exists()
