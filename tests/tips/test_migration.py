"""Revision 0007 adds the tips' tables: down to 0006 and up again on both databases."""

from __future__ import annotations

from sqlalchemy import inspect

from jaga.db import create_engine_for
from jaga.db.migrate import current_revision, downgrade, upgrade
from tests.conftest import PreparedDatabase

TABLES = {"tips", "tip_messages", "tip_screenshots", "tip_matches"}


def test_0007_downgrades_to_0006_and_upgrades_again(database: PreparedDatabase, throwaway_url: str) -> None:
    engine = create_engine_for(throwaway_url)
    try:
        assert set(inspect(engine).get_table_names()) >= TABLES
        downgrade(engine, "0006")
        assert current_revision(engine) == "0006"
        assert not TABLES & set(inspect(engine).get_table_names())
        upgrade(engine, "0007")
        assert current_revision(engine) == "0007"
        assert set(inspect(engine).get_table_names()) >= TABLES
        indexes = {i["name"] for i in inspect(engine).get_indexes("tips")}
        assert {"ix_tips_receipt_key", "ix_tips_region_code", "ix_tips_status"} <= indexes
    finally:
        engine.dispose()
