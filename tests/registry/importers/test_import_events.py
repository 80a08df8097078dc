"""The bulk import's events: exactly the canonical state of the rows it wrote, as the general serialiser
reads them back, and the same events a one-record API call leaves for the same input."""

from __future__ import annotations

import json
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from jaga.access import Actor
from jaga.db import EventRecord, record_state
from jaga.db.canonical import canonical_bytes
from jaga.registry.importers import FileFormat, run_import
from jaga.registry.kinds import KINDS
from jaga.registry.models import Birth, Person
from tests.conftest import FixedClock
from tests.factories.registry import create, facility, mother, official, unique

MODELS = {"people": Person, "births": Birth}


def _import(
    sessions: sessionmaker[Session], actor: Actor, kind: str, path: Path, clock: FixedClock, chunk: int = 1000
) -> None:
    summary = run_import(
        sessions,
        actor=actor,
        kind=KINDS[kind],
        path=path,
        fmt=FileFormat.JSONL,
        report_path=path.with_suffix(".report.csv"),
        chunk_size=chunk,
        clock=clock,
    )
    assert summary.rejected == 0, summary.first_problems


def _write(path: Path, rows: list[dict[str, object]]) -> Path:
    path.write_text("".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows), encoding="utf-8")
    return path


def _events_after(sessions: sessionmaker[Session], seq: int) -> list[EventRecord]:
    with sessions() as session:
        return list(
            session.scalars(select(EventRecord).where(EventRecord.seq > seq).order_by(EventRecord.seq))
        )


def _last_seq(sessions: sessionmaker[Session]) -> int:
    with sessions() as session:
        return session.scalar(select(EventRecord.seq).order_by(EventRecord.seq.desc()).limit(1)) or 0


def test_imported_events_are_the_canonical_state_of_the_rows_written(
    sessions: sessionmaker[Session], actors: dict[str, Actor], tmp_path: Path, clock: FixedClock
) -> None:
    clinic, registrar = actors["facility"], actors["registrar"]
    facility_ref = facility(sessions, actors["admin"])
    registrar_ref = official(sessions, actors["admin"])
    before = _last_seq(sessions)
    people = [
        {
            "ref": f"M-EV-{n}",
            "source_kind": "facility",
            "source_ref": facility_ref,
            "full_name": name,
            "sex": "F",
            "birth_date": f"199{n}-0{n + 1}-1{n}",
            "region_code": "33.74",
            "religion": "islam",
            "address": address,
            "phone": "+62 812-555-0101",
        }
        for n, (name, address) in enumerate(
            [
                ("Siti Nur'aini", 'Jl. "Pemuda" No. 1\nRT 02 / RW 03'),
                ("Ni Luh Putu Ayu Ṣari", "Gg. Mawar \\ belakang pasar"),
                ("Dewi", "Perumahan Éden \u2013 blok C"),
            ]
        )
    ]
    _import(sessions, clinic, "people", _write(tmp_path / "people.jsonl", people), clock, chunk=2)
    births: list[dict[str, object]] = [
        {
            "ref": f"B-EV-{n}",
            "child_sex": "FM"[n % 2],
            "mother_ref": f"M-EV-{n % 3}",
            "born_on": f"2025-0{n + 1}-0{n + 1}",
            "facility_ref": facility_ref,
            "skl_number": f"SKL/{n}",
            "birth_weight_g": 2900 + n,
        }
        for n in range(5)
    ]
    births[0] |= {"child_name": "Bayi Ny. Siti", "born_at_time": "23:59", "plurality": 2}
    births[1] |= {"child_ref": "C-EV-1", "birth_evidence": "buku_kia", "skl_number": None}
    births[2] |= {
        "akta_number": "3374-LT-01012025-0001",
        "registrar_ref": registrar_ref,
        "registered_on": "2025-04-01",
    }
    _import(sessions, registrar, "births", _write(tmp_path / "births.jsonl", births), clock, chunk=2)

    events = _events_after(sessions, before)
    assert [e.kind for e in events] == ["person.recorded"] * 3 + (
        ["person.recorded"] * 2 + ["birth.recorded"] * 2
    ) * 2 + [
        "person.recorded",
        "birth.recorded",
    ]
    assert [e.seq for e in events] == list(range(before + 1, before + 1 + len(events)))
    with sessions() as session:
        for event in events:
            row = session.get(MODELS[event.aggregate], event.aggregate_id)
            assert row is not None
            # Byte for byte what the general serialiser makes of the row as stored and read back.
            assert event.payload == canonical_bytes(record_state(row)).decode("utf-8"), event.kind
            assert event.recompute_commitment() == event.commitment
            assert event.actor_id in (clinic.principal_id, registrar.principal_id)
            assert event.recorded_at == clock.now
    assert len({e.event_id for e in events}) == len({e.salt for e in events}) == len(events)


def test_an_imported_birth_leaves_the_events_of_the_same_birth_recorded_through_the_api(
    sessions: sessionmaker[Session], actors: dict[str, Actor], tmp_path: Path, clock: FixedClock
) -> None:
    clinic = actors["facility"]
    facility_ref = facility(sessions, actors["admin"])
    mother_ref = mother(sessions, clinic)
    fields: dict[str, object] = {
        "child_name": "Putri Ayu",
        "child_sex": "F",
        "mother_ref": mother_ref,
        "born_on": "2025-02-03",
        "born_at_time": "07:15",
        "facility_ref": facility_ref,
        "skl_number": "SKL/77",
        "birth_weight_g": 3100,
    }
    before = _last_seq(sessions)
    create(sessions, clinic, "births", clock, ref=unique("B"), child_ref=unique("C"), **fields)
    one_by_one = _events_after(sessions, before)
    before = _last_seq(sessions)
    path = _write(tmp_path / "births.jsonl", [{"ref": unique("B"), "child_ref": unique("C"), **fields}])
    _import(sessions, clinic, "births", path, clock)
    imported = _events_after(sessions, before)

    def comparable(event: EventRecord) -> tuple[str, str, dict[str, object]]:
        state = json.loads(event.payload)
        for key in ("id", "ref", "child_id"):  # new records, new keys; everything else is the input's
            state.pop(key, None)
        return event.kind, event.aggregate, state

    assert [comparable(e) for e in imported] == [comparable(e) for e in one_by_one]
    assert [e.kind for e in imported] == ["person.recorded", "birth.recorded"]
