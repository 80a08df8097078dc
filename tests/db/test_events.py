"""The events table: written with every change in the same transaction, gapless, and exactly the state
of the row it describes."""

from __future__ import annotations

import contextlib
import json

from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from jaga.access import Actor
from jaga.db import EventRecord, EventSequence, UnitOfWork, record_state
from jaga.db.tables import metadata
from jaga.errors import JagaError
from tests.factories.registry import birth, create, facility, institution, mother, official, person


def _events(session: Session) -> list[EventRecord]:
    return list(session.scalars(select(EventRecord).order_by(EventRecord.seq)))


def test_every_write_leaves_an_event_whose_payload_is_the_stored_row(
    sessions: sessionmaker[Session], actors: dict[str, Actor]
) -> None:
    admin, clinic, social = actors["admin"], actors["facility"], actors["social_worker"]
    with sessions() as session:
        before = session.scalar(select(func.max(EventRecord.seq))) or 0
    facility(sessions, admin)
    official(sessions, admin)
    lksa = institution(sessions, admin)
    m = mother(sessions, clinic)
    birth(sessions, clinic, mother_ref=m)
    child = person(sessions, social, birth_date="2024-01-01")
    create(
        sessions,
        social,
        "placements",
        child_ref=child,
        kind="institution",
        institution_ref=lksa,
        from_date="2024-02-01",
        region_code="3374",
    )
    tables = {t.name: t for t in metadata().sorted_tables}
    with sessions() as session:
        new = [e for e in _events(session) if e.seq > before]
        assert [e.kind for e in new] == [
            "facility.registered",
            "official.registered",
            "institution.registered",
            "person.recorded",
            "person.recorded",
            "birth.recorded",
            "person.recorded",
            "placement.started",
        ]
        for event in new:
            table = tables[event.aggregate]
            row = session.execute(select(table).where(table.c.id == event.aggregate_id)).one()
            mapper_class = next(m.class_ for m in _mappers() if m.local_table is table)
            obj = session.get(mapper_class, row.id)
            assert json.loads(event.payload) == record_state(obj), event.kind
            assert event.recompute_commitment() == event.commitment
            assert event.actor_id is not None


def _mappers() -> list:  # type: ignore[type-arg]
    from jaga.db import Base

    return list(Base.registry.mappers)


def test_sequence_numbers_are_gapless_and_match_the_counter(
    sessions: sessionmaker[Session], actors: dict[str, Actor]
) -> None:
    mother(sessions, actors["facility"])
    with sessions() as session:
        seqs = [e.seq for e in _events(session)]
        counter = session.scalar(select(EventSequence.next_seq))
    assert seqs == list(range(1, len(seqs) + 1))
    assert counter == len(seqs) + 1


def test_a_refused_write_leaves_no_event_and_uses_no_number(
    sessions: sessionmaker[Session], actors: dict[str, Actor]
) -> None:
    with sessions() as session:
        count = session.scalar(select(func.count()).select_from(EventRecord))
        counter = session.scalar(select(EventSequence.next_seq))
    with contextlib.suppress(JagaError):
        birth(sessions, actors["facility"], mother_ref="M-DOES-NOT-EXIST")
    with UnitOfWork(sessions) as uow:
        uow.session.add(EventSequence(id=99, next_seq=0))  # changed, then abandoned: rolled back on exit
    with sessions() as session:
        assert session.scalar(select(func.count()).select_from(EventRecord)) == count
        assert session.scalar(select(EventSequence.next_seq).where(EventSequence.id == 1)) == counter
        assert session.get(EventSequence, 99) is None


def test_an_edited_payload_no_longer_matches_its_commitment(
    sessions: sessionmaker[Session], actors: dict[str, Actor]
) -> None:
    mother(sessions, actors["facility"], full_name="Siti Aminah")
    with sessions() as session:
        event = _events(session)[-1]
        event.payload = event.payload.replace("Siti Aminah", "Siti Aminah X")
        assert event.recompute_commitment() != event.commitment


def test_the_event_payload_never_leaves_through_the_commitment(
    sessions: sessionmaker[Session], actors: dict[str, Actor]
) -> None:
    mother(sessions, actors["facility"], full_name="Dewi Lestari")
    with sessions() as session:
        event = _events(session)[-1]
    assert "Dewi" in event.payload
    assert len(event.commitment) == 64 and "Dewi" not in event.commitment
    assert len(bytes.fromhex(event.salt)) == 16


def test_the_fast_header_is_the_canonical_header() -> None:
    from datetime import UTC, datetime

    from jaga.db.canonical import canonical_bytes, to_json_value
    from jaga.db.events import header, header_bytes

    moment = datetime(2026, 1, 2, 3, 4, 5, 6, tzinfo=UTC)
    for actor in (None, 17):
        fields = {
            "seq": 12,
            "event_id": "ab" * 16,
            "kind": "birth.recorded",
            "aggregate": "births",
            "aggregate_id": 99,
        }
        fast = header_bytes(**fields, recorded_at=str(to_json_value(moment)), actor_id=actor)
        assert fast == canonical_bytes(header(**fields, recorded_at=moment, actor_id=actor))
