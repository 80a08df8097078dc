"""Engines and session factories for SQLite (embedded default) and PostgreSQL (production)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

from jaga.files import private_folder

# Where a pooled SQLite connection keeps the page cache size to get back on its return to the pool, after
# a bulk load enlarged it (`jaga.db.bulk.prepare_bulk_load`).
RESTORE_CACHE_SIZE = "jaga.restore_cache_size"


def create_engine_for(url: str, *, echo: bool = False) -> Engine:
    """Build an engine; SQLite gets foreign keys, WAL, a busy timeout and real transactions."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        database = parsed.database
        if database and database != ":memory:" and not database.startswith("file:"):
            _create_private(Path(database))
        engine = create_engine(url, echo=echo, connect_args={"check_same_thread": False, "timeout": 30})
        _make_sqlite_transactional(engine)
        return engine
    return create_engine(url, echo=echo, pool_pre_ping=True)


def _create_private(path: Path) -> None:
    """Create a missing database file 0600 in 0700 folders before SQLite opens it: the registry holds
    personal data. SQLite gives the -wal and -shm files the database file's permissions."""
    if not path.exists():
        private_folder(path.parent)
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT, 0o600))


def _make_sqlite_transactional(engine: Engine) -> None:
    # pysqlite opens transactions lazily and never for DDL, which breaks SAVEPOINT and all-or-nothing
    # imports. The SQLAlchemy documentation's recipe: take over BEGIN ourselves. IMMEDIATE takes the
    # write lock up front, so two writers wait for each other (busy_timeout) instead of one failing with
    # "database is locked" when it upgrades a read lock. SQLite serialises writers anyway.
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.execute("PRAGMA journal_mode = WAL")
        cursor.execute("PRAGMA synchronous = NORMAL")
        cursor.execute("PRAGMA busy_timeout = 30000")
        cursor.close()

    @event.listens_for(engine, "checkin")
    def _on_checkin(dbapi_connection: Any, record: Any) -> None:
        previous = record.info.pop(RESTORE_CACHE_SIZE, None)
        if previous is not None and dbapi_connection is not None:
            dbapi_connection.execute(f"PRAGMA cache_size = {int(previous)}")

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        connection.exec_driver_sql("BEGIN IMMEDIATE")


def session_factory(engine: Engine) -> sessionmaker[Session]:
    """Sessions that keep loaded values after commit (services return them to the edges)."""
    return sessionmaker(engine, expire_on_commit=False)
