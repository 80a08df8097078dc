"""Filling a database with committed events quickly, through the real writer (UnitOfWork)."""

from __future__ import annotations

from sqlalchemy import select

from jaga.db import EventKind, EventRecord, UnitOfWork, create_engine_for, session_factory
from jaga.ledger import leaf_hash, root_of

# Events about an aggregate that is no registry table: the log treats them like any other, and the row
# audit (which walks the registry's tables) has no rows to expect for them.
AGGREGATE = "ledger_test"


def fill_events(url: str, count: int, *, per_transaction: int = 10_000) -> None:
    engine = create_engine_for(url)
    sessions = session_factory(engine)
    for first in range(0, count, per_transaction):
        with UnitOfWork(sessions) as uow:
            for n in range(first, min(first + per_transaction, count)):
                uow.record_state(EventKind.FACILITY_REGISTERED, AGGREGATE, n + 1, {"n": n}, actor_id=None)
            uow.commit()
    engine.dispose()


def expected_leaves(url: str) -> list[bytes]:
    """Every committed event's leaf hash, recomputed from the events table alone."""
    engine = create_engine_for(url)
    with session_factory(engine)() as session:
        events = session.scalars(select(EventRecord).order_by(EventRecord.seq))
        leaves = [leaf_hash(event.log_entry().encode()) for event in events]
    engine.dispose()
    return leaves


def expected_root(url: str, size: int | None = None) -> bytes:
    leaves = expected_leaves(url)
    return root_of(leaves if size is None else leaves[:size])
