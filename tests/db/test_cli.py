from __future__ import annotations

from pathlib import Path

from jaga.db import create_engine_for
from jaga.db.migrate import head_revision
from tests.cli_helpers import jaga


def test_db_upgrade_creates_and_seeds_a_fresh_sqlite_database(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'fresh.db'}"
    before = jaga(url, "db", "current")
    assert "database: empty" in before.output
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
    result = jaga(url, "users", "list")
    assert result.exit_code == 7
    assert "run `jaga db upgrade`" in result.output


def test_an_unreachable_database_is_exit_seven_not_a_traceback() -> None:
    result = jaga("postgresql+psycopg://nobody@127.0.0.1:1/none", "users", "list")
    assert result.exit_code == 7
    assert "cannot be reached" in result.output
