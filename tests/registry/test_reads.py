"""Reads: region-scoped, paginated, and every read of personal records audited with its reason."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from jaga.access import Actor, AuditEntry
from jaga.db import UnitOfWork
from jaga.errors import InvalidInput, OutOfRegion, RecordNotFound, RoleNotAllowed
from jaga.registry.kinds import READS
from jaga.registry.services.reads import Purpose, get_record, list_records
from tests.factories.registry import birth, facility, mother


def _audit(session: Session) -> list[AuditEntry]:
    return list(session.scalars(select(AuditEntry).order_by(AuditEntry.id)))


def test_reading_a_birth_is_audited_with_who_what_and_why(
    sessions: sessionmaker[Session], actors: dict[str, Actor]
) -> None:
    clinic, police = actors["facility"], actors["police"]
    ref = birth(sessions, clinic, mother_ref=mother(sessions, clinic))
    with UnitOfWork(sessions) as uow:
        record = get_record(
            uow, READS["births"], ref, actor=police, purpose=Purpose("LP/123/2025 investigation", "api")
        )
    with sessions() as session:
        entry = _audit(session)[-1]
    assert (entry.principal_id, entry.action, entry.resource, entry.reason, entry.channel) == (
        police.principal_id,
        "read",
        "births",
        "LP/123/2025 investigation",
        "api",
    )
    assert json.loads(entry.record_ids) == [record["_id"]]


def test_personal_reads_need_a_reason(sessions: sessionmaker[Session], actors: dict[str, Actor]) -> None:
    with (
        UnitOfWork(sessions) as uow,
        pytest.raises(InvalidInput, match="a reason for reading personal records"),
    ):
        list_records(uow, READS["people"], actor=actors["auditor"], purpose=Purpose(None, "api"))
    with UnitOfWork(sessions) as uow, pytest.raises(InvalidInput):
        list_records(uow, READS["people"], actor=actors["auditor"], purpose=Purpose("  x ", "api"))


def test_reference_reads_are_not_audited(sessions: sessionmaker[Session], actors: dict[str, Actor]) -> None:
    facility(sessions, actors["admin"])
    with sessions() as session:
        before = len(_audit(session))
    with UnitOfWork(sessions) as uow:
        page = list_records(uow, READS["facilities"], actor=actors["police"], purpose=Purpose(None, "api"))
    assert page.items
    with sessions() as session:
        assert len(_audit(session)) == before


def test_lists_show_only_the_actors_region(sessions: sessionmaker[Session], actors: dict[str, Actor]) -> None:
    clinic = actors["facility"]
    m = mother(sessions, clinic)
    in_semarang = birth(sessions, clinic, mother_ref=m, place_region_code="337401")
    in_bali = birth(sessions, clinic, mother_ref=m, place_region_code="517101", born_on="2023-01-10")
    with UnitOfWork(sessions) as uow:
        page = list_records(
            uow, READS["births"], actor=actors["registrar-semarang"], purpose=Purpose("monthly check", "t")
        )
    refs = {i["ref"] for i in page.items}
    assert in_semarang in refs and in_bali not in refs
    with UnitOfWork(sessions) as uow, pytest.raises(OutOfRegion):
        get_record(
            uow, READS["births"], in_bali, actor=actors["registrar-semarang"], purpose=Purpose("check", "t")
        )
    with UnitOfWork(sessions) as uow, pytest.raises(OutOfRegion):
        list_records(
            uow,
            READS["births"],
            actor=actors["registrar-semarang"],
            purpose=Purpose("check", "t"),
            region="51",
        )


def test_pages_follow_each_other_without_overlap(
    sessions: sessionmaker[Session], actors: dict[str, Actor]
) -> None:
    clinic = actors["facility"]
    m = mother(sessions, clinic)
    made = {birth(sessions, clinic, mother_ref=m, born_on=f"2020-0{i}-01") for i in range(1, 6)}
    seen: list[str] = []
    cursor = None
    while True:
        with UnitOfWork(sessions) as uow:
            page = list_records(
                uow,
                READS["births"],
                actor=actors["auditor"],
                purpose=Purpose("audit 2026", "t"),
                limit=2,
                cursor=cursor,
                since=None,
            )
        seen += [i["ref"] for i in page.items]
        if page.next_cursor is None:
            break
        cursor = page.next_cursor
    assert made <= set(seen) and len(seen) == len(set(seen))
    with (
        UnitOfWork(sessions) as uow,
        pytest.raises(InvalidInput, match="cursor is not one this API returned"),
    ):
        list_records(
            uow, READS["births"], actor=actors["auditor"], purpose=Purpose("audit", "t"), cursor="garbage!"
        )


def test_filters_by_date_and_column(sessions: sessionmaker[Session], actors: dict[str, Actor]) -> None:
    from datetime import date

    clinic = actors["facility"]
    m = mother(sessions, clinic)
    early = birth(sessions, clinic, mother_ref=m, born_on="2019-01-01")
    birth(sessions, clinic, mother_ref=m, born_on="2024-01-01")
    with UnitOfWork(sessions) as uow:
        page = list_records(
            uow,
            READS["births"],
            actor=actors["auditor"],
            purpose=Purpose("audit", "t"),
            until=date(2019, 12, 31),
            filters={"place_kind": "home"},
        )
    assert early in {i["ref"] for i in page.items}
    assert all(i["born_on"] <= date(2019, 12, 31) for i in page.items)
    with UnitOfWork(sessions) as uow, pytest.raises(InvalidInput, match="unknown filter 'nik'"):
        list_records(
            uow, READS["births"], actor=actors["auditor"], purpose=Purpose("audit", "t"), filters={"nik": "1"}
        )


def test_admins_do_not_read_child_records(sessions: sessionmaker[Session], actors: dict[str, Actor]) -> None:
    with UnitOfWork(sessions) as uow, pytest.raises(RoleNotAllowed):
        list_records(uow, READS["births"], actor=actors["admin"], purpose=Purpose("curious", "t"))


def test_an_unknown_ref_is_not_found(sessions: sessionmaker[Session], actors: dict[str, Actor]) -> None:
    with UnitOfWork(sessions) as uow, pytest.raises(RecordNotFound, match="no birth with ref 'B-NONE'"):
        get_record(uow, READS["births"], "B-NONE", actor=actors["auditor"], purpose=Purpose("check", "t"))
