"""The search's catalogue follows the database: rows added, and rows rolled back and replaced (SQLite reuses
their ids), on both databases."""

from __future__ import annotations

from datetime import date

from sqlalchemy.orm import Session, sessionmaker

from jaga.access import Actor
from jaga.db import UnitOfWork
from jaga.licences import LicenceQuery, search_licences
from jaga.registry.schemas.reference import InstitutionIn
from jaga.registry.services import create_one
from jaga.registry.services.reference import record_institutions


def _record(sessions: sessionmaker[Session], actor: Actor, ref: str, name: str, number: str) -> None:
    data = InstitutionIn(
        ref=ref,
        name=name,
        kind="lksa",
        licence_number=number,
        licence_issuer="Dinas Sosial Provinsi Jawa Tengah",
        licence_valid_from=date(2020, 1, 1),
        region_code="337401",
    )
    with UnitOfWork(sessions) as uow:
        create_one(uow, actor, record_institutions, "institution", data)


def _found(sessions: sessionmaker[Session], text: str) -> list[str]:
    with UnitOfWork(sessions) as uow:
        return [fact.ref for fact in search_licences(uow, LicenceQuery(text)).results]


def test_the_catalogue_sees_new_rows_and_forgets_rolled_back_ones(
    sessions: sessionmaker[Session], actors: dict[str, Actor]
) -> None:
    admin = actors["admin"]
    _record(sessions, admin, "I-CAT-1", "Yayasan Kenanga Putih", "33/LKSA/91001")
    assert _found(sessions, "kenanga putih") == ["I-CAT-1"]
    connection = sessions.kw["bind"]
    written = connection.begin_nested()
    _record(sessions, admin, "I-CAT-2", "Yayasan Flamboyan Merah", "33/LKSA/91002")
    assert _found(sessions, "flamboyan") == ["I-CAT-2"]
    written.rollback()  # the write never happened; SQLite hands its id to the next row
    _record(sessions, admin, "I-CAT-3", "Yayasan Teratai Biru", "33/LKSA/91003")
    assert _found(sessions, "flamboyan") == []
    assert _found(sessions, "teratai biru") == ["I-CAT-3"]
    assert _found(sessions, "33/LKSA/91002") == []
    assert _found(sessions, "kenanga") == ["I-CAT-1"]
