from __future__ import annotations

from datetime import date

import pytest
from pydantic import ValidationError
from sqlalchemy.orm import Session, sessionmaker

from jaga.access import Actor
from jaga.db import UnitOfWork
from jaga.errors import Conflict, InvalidInput, RecordRejected, RoleNotAllowed
from jaga.registry.enrich import effective_licence_status
from jaga.registry.kinds import READS
from jaga.registry.schemas.care import PlacementEndIn
from jaga.registry.schemas.missing import MissingStatusIn
from jaga.registry.schemas.reference import InstitutionIn, LicenceChangeIn
from jaga.registry.services import Batch
from jaga.registry.services.care import end_placement
from jaga.registry.services.missing import change_missing_status
from jaga.registry.services.reads import Purpose, get_record
from jaga.registry.services.reference import change_licence
from tests.factories.registry import birth, create, facility, institution, mother, official, person


def read(sessions: sessionmaker[Session], actor: Actor, kind: str, ref: str) -> dict[str, object]:
    with UnitOfWork(sessions) as uow:
        return get_record(uow, READS[kind], ref, actor=actor, purpose=Purpose("case 42 review", "test"))


def test_facility_licence_numbers_are_unique(
    sessions: sessionmaker[Session], actors: dict[str, Actor]
) -> None:
    facility(sessions, actors["admin"], licence_number="LIC-SAME")
    with pytest.raises(Conflict, match="licence number 'LIC-SAME' is already in use"):
        facility(sessions, actors["admin"], licence_number="LIC-SAME")


def test_only_admins_register_reference_records(
    sessions: sessionmaker[Session], actors: dict[str, Actor]
) -> None:
    with pytest.raises(RoleNotAllowed, match="allowed roles: admin"):
        facility(sessions, actors["facility"])


def test_midwives_need_a_registration_number_traditional_attendants_do_not(
    sessions: sessionmaker[Session], actors: dict[str, Actor]
) -> None:
    admin = actors["admin"]
    with pytest.raises(ValidationError, match="registration_number"):
        create(sessions, admin, "attendants", full_name="Bidan Sri", kind="midwife", region_code="3374")
    assert create(
        sessions, admin, "attendants", full_name="Mbok Darmi", kind="traditional", region_code="3374"
    )


def test_foundation_papers_are_not_a_licence() -> None:
    unlicensed = InstitutionIn.model_validate(
        {
            "name": "Yayasan Anak Luih",
            "kind": "adoption_foundation",
            "foundation_number": "AHU-0012.AH.01",
            "region_code": "5102",
        }
    )
    assert unlicensed.status().value == "none"
    with pytest.raises(ValidationError, match="licence_status needs a licence_number"):
        InstitutionIn.model_validate(
            {"name": "Yayasan X", "kind": "lksa", "licence_status": "active", "region_code": "5102"}
        )


def test_an_active_licence_past_its_end_date_reads_as_expired(
    sessions: sessionmaker[Session], actors: dict[str, Actor]
) -> None:
    ref = institution(sessions, actors["admin"], licence_valid_until="2021-12-31")
    record = read(sessions, actors["auditor"], "institutions", ref)
    assert record["licence_status"] == "active"
    assert record["effective_licence_status"] == "expired"
    assert effective_licence_status("suspended", date(2000, 1, 1), date(2026, 1, 1)) == "suspended"


def test_a_social_worker_suspends_a_licence(
    sessions: sessionmaker[Session], actors: dict[str, Actor]
) -> None:
    ref = institution(sessions, actors["admin"])
    with UnitOfWork(sessions) as uow:
        changed = change_licence(
            Batch(uow, actors["social-jateng"]), ref, LicenceChangeIn(licence_status="suspended")
        )
    assert changed.licence_status == "suspended"
    with (
        UnitOfWork(sessions) as uow,
        pytest.raises(InvalidInput, match="before the licence's licence_valid_from"),
    ):
        change_licence(
            Batch(uow, actors["admin"]),
            ref,
            LicenceChangeIn(licence_status="active", licence_valid_until="2019-01-01"),
        )


def test_a_relinquishment_records_its_witnesses(
    sessions: sessionmaker[Session], actors: dict[str, Actor]
) -> None:
    clinic, social = actors["facility"], actors["social_worker"]
    m = mother(sessions, clinic)
    b = birth(sessions, clinic, mother_ref=m)
    child = str(read(sessions, social, "births", b)["child_ref"])
    lksa = institution(sessions, actors["admin"])
    ref = create(
        sessions,
        social,
        "relinquishments",
        mother_ref=m,
        child_ref=child,
        occurred_on="2025-02-01",
        institution_ref=lksa,
        witness_1_name="Pak RT Slamet",
        witness_2_name="Bu Lurah Wati",
        region_code="3374",
    )
    record = read(sessions, social, "relinquishments", ref)
    assert record["witnesses"] == [
        {"name": "Pak RT Slamet", "nik": None},
        {"name": "Bu Lurah Wati", "nik": None},
    ]
    assert record["institution_ref"] == lksa


def test_a_relinquishment_needs_a_mother_who_is_not_the_child(
    sessions: sessionmaker[Session], actors: dict[str, Actor]
) -> None:
    m = mother(sessions, actors["facility"])
    with pytest.raises(RecordRejected, match="mother and child are the same record"):
        create(
            sessions,
            actors["social_worker"],
            "relinquishments",
            mother_ref=m,
            child_ref=m,
            occurred_on="2025-02-01",
            region_code="3374",
        )


def test_a_placement_ends_once(sessions: sessionmaker[Session], actors: dict[str, Actor]) -> None:
    social = actors["social_worker"]
    child = person(sessions, social, full_name="Bayi A", birth_date="2025-01-01")
    carer = person(sessions, social)
    ref = create(
        sessions,
        social,
        "placements",
        child_ref=child,
        kind="foster_family",
        carer_ref=carer,
        from_date="2025-02-01",
        region_code="3374",
    )
    with UnitOfWork(sessions) as uow:
        ended = end_placement(Batch(uow, social), ref, PlacementEndIn(to_date="2025-05-01"))
    assert ended.to_date == date(2025, 5, 1)
    with UnitOfWork(sessions) as uow, pytest.raises(InvalidInput, match="already ended"):
        end_placement(Batch(uow, social), ref, PlacementEndIn(to_date="2025-06-01"))


def test_an_institution_placement_names_the_institution() -> None:
    from jaga.registry.schemas.care import PlacementIn

    with pytest.raises(ValidationError, match="needs institution_ref"):
        PlacementIn.model_validate({"child_ref": "C", "kind": "institution", "from_date": "2025-01-01"})


def test_a_missing_child_report_is_filed_and_found(
    sessions: sessionmaker[Session], actors: dict[str, Actor]
) -> None:
    police = actors["police-bali"]
    child = person(sessions, police, source_kind="police", full_name="Komang Ayu", region_code="5171")
    ref = create(
        sessions,
        police,
        "missing-reports",
        child_ref=child,
        police_unit="Unit PPA Polresta Denpasar",
        last_seen_on="2025-03-01",
        last_seen_region_code="5171",
        report_number="LP/B/123/2025",
    )
    assert read(sessions, police, "missing-reports", ref)["region_code"] == "51.71"
    with UnitOfWork(sessions) as uow:
        report = change_missing_status(
            Batch(uow, police), ref, MissingStatusIn(status="found", changed_on="2025-03-05")
        )
    assert report.status == "found"


def test_officials_have_unique_nips(sessions: sessionmaker[Session], actors: dict[str, Actor]) -> None:
    official(sessions, actors["admin"], nip="198503122010012001")
    with pytest.raises(Conflict, match="NIP"):
        official(sessions, actors["admin"], nip="198503122010012001")
