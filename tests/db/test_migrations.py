"""Alembic owns the schema: upgrade and downgrade work on both databases, and the models match it."""

from __future__ import annotations

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect

from jaga.db import create_engine_for
from jaga.db.migrate import current_revision, downgrade, head_revision, require_current, upgrade
from jaga.db.tables import metadata
from jaga.errors import SchemaOutOfDate
from tests.conftest import PreparedDatabase


# SQLite's reflection cannot read an expression index (SQLAlchemy warns and skips it); PostgreSQL reads and
# compares it, and tests/tips/test_match_plan.py shows it in the plan on both.
@pytest.mark.filterwarnings(
    "ignore:Skipped unsupported reflection of expression-based index ix_people_phone_digits"
)
@pytest.mark.filterwarnings(
    "ignore:autogenerate skipping metadata-specified expression-based index 'ix_people_phone_digits'"
)
def test_the_models_match_the_migrations(database: PreparedDatabase) -> None:
    with database.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        differences = compare_metadata(context, metadata())
    assert differences == []


def test_downgrade_to_base_and_upgrade_again(database: PreparedDatabase, throwaway_url: str) -> None:
    engine = create_engine_for(throwaway_url)
    try:
        assert current_revision(engine) == head_revision(engine)
        downgrade(engine, "base")
        assert current_revision(engine) is None
        assert set(inspect(engine).get_table_names()) <= {"alembic_version"}
        try:
            require_current(engine)
            raise AssertionError("an empty database passed the schema check")
        except SchemaOutOfDate as exc:
            assert "run `jaga db upgrade`" in exc.message
        upgrade(engine)
        assert current_revision(engine) == head_revision(engine)
        assert {"births", "events", "adoption_steps", "audit_entries"} <= set(
            inspect(engine).get_table_names()
        )
    finally:
        engine.dispose()
