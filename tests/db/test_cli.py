from __future__ import annotations

from pathlib import Path

from sqlalchemy import text

from jaga.db import create_engine_for
from jaga.db.migrate import head_revision
from tests.cli_helpers import jaga


def test_db_upgrade_creates_and_seeds_a_fresh_sqlite_database(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'fresh.db'}"
    result = jaga(url, "db", "upgrade")
    assert result.exit_code == 0, result.output
    head = head_revision(create_engine_for(url))
    assert head is not None and head >= "0002"
    assert f"schema: empty -> {head}" in result.output
    assert "regions: 7829 added" in result.output
    again = jaga(url, "db", "upgrade")
    assert "regions: 0 added" in again.output
    down = jaga(url, "db", "downgrade", "base")
    assert down.exit_code == 0 and f"{head} -> empty" in down.output


def test_commands_refuse_an_unmigrated_database(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'empty.db'}"
    (tmp_path / "empty.db").touch()
    result = jaga(url, "users", "list")
    assert result.exit_code == 7
    assert "run `jaga db upgrade`" in result.output


def test_no_command_but_db_upgrade_creates_a_missing_sqlite_database(tmp_path: Path) -> None:
    missing = tmp_path / "data" / "jaga.db"
    for command in (
        ["db", "current"],
        ["users", "list"],
        ["ledger", "checkpoint"],
        ["db", "downgrade", "base"],
    ):
        result = jaga(f"sqlite:///{missing}", *command, data_dir=tmp_path / "data")
        assert result.exit_code == 7, (command, result.output)
        assert f"no database at {missing}" in result.stderr and "run `jaga db upgrade`" in result.stderr
        assert not missing.exists() and not missing.parent.exists()


def test_a_missing_database_points_at_the_demo_when_there_is_one(tmp_path: Path) -> None:
    (tmp_path / "demo").mkdir()
    (tmp_path / "demo" / "jaga.db").touch()
    result = jaga(f"sqlite:///{tmp_path / 'jaga.db'}", "users", "list", data_dir=tmp_path)
    assert result.exit_code == 7
    assert f"export JAGA_DATA_DIR={tmp_path / 'demo'}" in result.stderr


def test_an_unreachable_database_is_exit_seven_not_a_traceback() -> None:
    result = jaga("postgresql+psycopg://nobody@127.0.0.1:1/none", "users", "list")
    assert result.exit_code == 7
    assert "cannot be reached" in result.output


def test_a_new_sqlite_database_and_its_wal_and_shm_are_private(tmp_path: Path) -> None:
    data = tmp_path / "data" / "registry"
    database = data / "jaga.db"
    assert jaga(f"sqlite:///{database}", "db", "upgrade", "--no-seed", data_dir=data).exit_code == 0
    engine = create_engine_for(f"sqlite:///{database}")
    try:
        with engine.begin() as connection:  # while open, the WAL and the shared-memory index exist
            connection.execute(text("CREATE TABLE probe (x INTEGER)"))
            files = {p.name: p.stat().st_mode & 0o777 for p in data.iterdir()}
    finally:
        engine.dispose()
    assert files == {"jaga.db": 0o600, "jaga.db-wal": 0o600, "jaga.db-shm": 0o600}
    assert (tmp_path / "data").stat().st_mode & 0o777 == 0o700 and data.stat().st_mode & 0o777 == 0o700
