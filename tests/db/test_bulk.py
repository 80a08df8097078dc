"""Bulk loads: the large SQLite page cache lasts as long as the load's transaction, never longer."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import text

from jaga.db import create_engine_for, session_factory
from jaga.db.bulk import BULK_CACHE_KIB, prepare_bulk_load


def test_a_bulk_load_gives_the_pool_its_connection_back_as_it_was(tmp_path: Path) -> None:
    engine = create_engine_for(f"sqlite:///{tmp_path / 'bulk.db'}")
    sessions = session_factory(engine)
    try:
        with sessions() as session:
            default = session.execute(text("PRAGMA cache_size")).scalar_one()
            session.commit()
        for end in ("commit", "rollback"):
            with sessions() as session:
                prepare_bulk_load(session)
                assert session.execute(text("PRAGMA cache_size")).scalar_one() == -BULK_CACHE_KIB
                getattr(session, end)()
            with sessions() as session:  # the same pooled connection (one is idle), as it was
                assert session.execute(text("PRAGMA cache_size")).scalar_one() == default
    finally:
        engine.dispose()
