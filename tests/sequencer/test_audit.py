"""`audit` names whatever was changed, deleted or inserted behind jaga's back: rows, events or tiles."""

from __future__ import annotations

import pytest
from sqlalchemy import insert, select, text, update
from sqlalchemy.orm import Session, sessionmaker

from jaga.access import Actor
from jaga.db import EventRecord
from jaga.db.tables import metadata
from jaga.ledger import Checkpoint
from jaga.sequencer import AuditReport, LedgerKeys, LedgerState, LedgerTile, audit, integrate
from tests.factories.registry import facility, mother
from tests.sequencer.conftest import ORIGIN


def _audit(sessions: sessionmaker[Session], keys: LedgerKeys) -> AuditReport:
    with sessions() as session:
        return audit(session, [keys.signer.verifier()], origin=ORIGIN)


def _facility_id(sessions: sessionmaker[Session], ref: str) -> int:
    with sessions() as session:
        return int(session.execute(text("SELECT id FROM facilities WHERE ref = :r"), {"r": ref}).scalar_one())


def _sql(sessions: sessionmaker[Session], statement: str, **params: object) -> None:
    with sessions() as session, session.begin():
        session.execute(text(statement), params)


@pytest.fixture
def ledgered(sessions: sessionmaker[Session], actors: dict[str, Actor], keys: LedgerKeys) -> str:
    ref = facility(sessions, actors["admin"])
    for _ in range(3):
        mother(sessions, actors["facility"])
    integrate(sessions, keys, origin=ORIGIN, batch=3)
    return ref


def test_an_untouched_database_audits_clean(
    sessions: sessionmaker[Session], keys: LedgerKeys, ledgered: str
) -> None:
    report = _audit(sessions, keys)
    assert report.problems == []
    assert report.clean
    with sessions() as session:
        size = session.get(LedgerState, 1).size  # type: ignore[union-attr]
    assert report.events_checked == report.log_size == size
    assert report.rows_checked > 0


def test_events_not_yet_integrated_are_counted_not_blamed(
    sessions: sessionmaker[Session], actors: dict[str, Actor], keys: LedgerKeys, ledgered: str
) -> None:
    mother(sessions, actors["facility"])
    report = _audit(sessions, keys)
    assert report.clean and report.pending_events == 1  # the mother's record


def test_a_row_edited_in_sql_is_named(
    sessions: sessionmaker[Session], keys: LedgerKeys, ledgered: str
) -> None:
    row_id = _facility_id(sessions, ledgered)
    _sql(sessions, "UPDATE facilities SET name = 'Klinik Lain' WHERE id = :id", id=row_id)
    assert _audit(sessions, keys).problems == [
        f"facilities#{row_id} differs from its last event: changed behind jaga's back"
    ]


def test_a_row_deleted_or_inserted_in_sql_is_named(
    sessions: sessionmaker[Session], keys: LedgerKeys, ledgered: str
) -> None:
    row_id = _facility_id(sessions, ledgered)
    _sql(sessions, "DELETE FROM facilities WHERE id = :id", id=row_id)
    assert _audit(sessions, keys).problems == [
        f"facilities#{row_id} is gone but its events remain: deleted behind jaga's back"
    ]
    with sessions() as session, session.begin():
        table = metadata().tables["people"]
        row = dict(session.execute(select(table).limit(1)).mappings().one())
        session.execute(insert(table).values({**row, "id": row["id"] + 1000, "ref": "P-FORGED", "nik": None}))
    assert _audit(sessions, keys).problems == [
        f"facilities#{row_id} is gone but its events remain: deleted behind jaga's back",
        f"people#{row['id'] + 1000} has no event: inserted behind jaga's back",
    ]


def test_an_event_edited_or_deleted_in_sql_is_named(
    sessions: sessionmaker[Session], keys: LedgerKeys, ledgered: str
) -> None:
    with sessions() as session, session.begin():
        target = session.scalars(select(EventRecord).where(EventRecord.aggregate == "facilities")).one()
        seq = target.seq
        # Rewrite both the row's event and the row, consistently: only the log can still tell.
        session.execute(
            update(EventRecord)
            .where(EventRecord.seq == seq)
            .values(payload=target.payload.replace("Klinik Bunda", "Klinik Lain"))
        )
        session.execute(
            text("UPDATE facilities SET name = 'Klinik Lain' WHERE id = :id"), {"id": target.aggregate_id}
        )
    problems = _audit(sessions, keys).problems
    assert problems == [
        f"event seq {seq} (facility.registered, facilities#{target.aggregate_id}) was altered: "
        "it no longer matches the log"
    ]
    _sql(sessions, "DELETE FROM events WHERE seq = :seq", seq=seq + 1)
    assert (
        f"event seq {seq + 1} was deleted: the log has it, the events table does not"
        in _audit(sessions, keys).problems
    )


def test_altered_tiles_are_named(sessions: sessionmaker[Session], keys: LedgerKeys, ledgered: str) -> None:
    with sessions() as session, session.begin():
        tile = session.get(LedgerTile, (0, 0))
        assert tile is not None
        tile.data = bytes(32) + tile.data[32:]
    problems = _audit(sessions, keys).problems
    assert "the log's leaf tiles do not hash to its signed root: tiles were altered" in problems
    assert any(p.startswith("event seq 1 ") and "no longer matches the log" in p for p in problems)
    assert "the log's copy of entry 1 was altered: it no longer hashes to its leaf" in problems


def test_a_checkpoint_signed_by_another_key_is_named(
    sessions: sessionmaker[Session], keys: LedgerKeys, ledgered: str
) -> None:
    from jaga.ledger import Ed25519Signer

    with sessions() as session, session.begin():
        state = session.get(LedgerState, 1)
        assert state is not None
        state.checkpoint = (
            Checkpoint(ORIGIN, state.size, state.root).sign(Ed25519Signer.generate(ORIGIN)).format()
        )
    problems = _audit(sessions, keys).problems
    assert problems == ["the stored checkpoint does not verify: no signature by a trusted key"]
