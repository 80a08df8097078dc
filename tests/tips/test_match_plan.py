"""A tip's phone is looked up in `ix_people_phone_digits`, not found by reading every person (both databases).

The statement explained is the one `match_phone` runs, with its real bound parameters: an index SQLite
cannot match (a separator sent as `?`) or a query that no longer strips separators the index's way
shows as a scan here.
"""

from __future__ import annotations

from sqlalchemy.orm import Session, sessionmaker

from jaga.tips.matching import phone_query
from tests.conftest import PreparedDatabase


def _plan(session: Session, dialect: str) -> str:
    connection = session.connection()
    compiled = phone_query("+6281234567890").compile(
        dialect=connection.dialect, compile_kwargs={"render_postcompile": True}
    )
    if dialect == "sqlite":
        parameters = tuple(compiled.params[name] for name in compiled.positiontup or ())
        rows = connection.exec_driver_sql(f"EXPLAIN QUERY PLAN {compiled.string}", parameters)
        return "\n".join(str(row[-1]) for row in rows)
    # The test tables are small enough for PostgreSQL to prefer reading them whole; forbid that so the
    # plan shows whether the index *can* serve the query (if it cannot, a scan is all that is left).
    connection.exec_driver_sql("SET LOCAL enable_seqscan = off")
    rows = connection.exec_driver_sql(f"EXPLAIN {compiled.string}", dict(compiled.params))
    return "\n".join(str(row[0]) for row in rows)


def test_matching_a_tips_phone_uses_the_phone_index(
    database: PreparedDatabase, sessions: sessionmaker[Session]
) -> None:
    with sessions() as session:
        plan = _plan(session, database.dialect)
    assert "ix_people_phone_digits" in plan, plan
    assert "SCAN people" not in plan and "Seq Scan" not in plan, plan
