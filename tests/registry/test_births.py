from __future__ import annotations

from datetime import date, timedelta

import pytest
from pydantic import ValidationError
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from jaga.access import Actor
from jaga.db import UnitOfWork
from jaga.errors import Conflict, OutOfRegion, PermissionDenied, RecordRejected
from jaga.registry.kinds import READS
from jaga.registry.models import Birth, Person
from jaga.registry.schemas.births import BirthIn, BirthRegistrationIn
from jaga.registry.services import Batch, raise_first
from jaga.registry.services.births import register_births
from jaga.registry.services.reads import Purpose, get_record
from tests.factories.registry import birth, facility, mother, official


def test_a_birth_creates_the_childs_record(sessions: sessionmaker[Session], actors: dict[str, Actor]) -> None:
    admin, clinic = actors["admin"], actors["facility"]
    f = facility(sessions, admin)
    m = mother(sessions, clinic)
    ref = birth(
        sessions,
        clinic,
        mother_ref=m,
        facility_ref=f,
        child_name="Putri",
        skl_number="SKL/1",
        place_kind=None,
        place_region_code=None,
    )
    with sessions() as session:
        stored = session.scalars(select(Birth).where(Birth.ref == ref)).one()
        child = session.get(Person, stored.child_id)
    assert child is not None
    assert (child.full_name, child.sex, child.birth_date, child.source_kind) == (
        "Putri",
        "F",
        date(2025, 1, 10),
        "facility",
    )
    assert stored.place_kind == "facility" and stored.birth_evidence == "skl"
    assert stored.region_code == "337401"  # the facility's region


@pytest.mark.parametrize("age", [9, 71])
def test_a_mother_of_an_impossible_age_is_refused(
    sessions: sessionmaker[Session], actors: dict[str, Actor], age: int
) -> None:
    clinic = actors["facility"]
    m = mother(sessions, clinic, born=date(2025 - age, 1, 1), nik=None)
    with pytest.raises(RecordRejected, match=f"the mother would be {age} years old at the birth"):
        birth(sessions, clinic, mother_ref=m, born_on="2025-01-10")


def test_a_mother_recorded_as_male_is_refused(
    sessions: sessionmaker[Session], actors: dict[str, Actor]
) -> None:
    clinic = actors["facility"]
    m = mother(sessions, clinic, sex="M", nik=None)
    with pytest.raises(RecordRejected, match="recorded as male"):
        birth(sessions, clinic, mother_ref=m)


def test_a_birth_in_the_future_is_refused() -> None:
    tomorrow = (date.today() + timedelta(days=2)).isoformat()
    with pytest.raises(ValidationError, match="born_on\n.*is in the future"):
        BirthIn.model_validate(
            {"child_sex": "F", "mother_ref": "M-1", "born_on": tomorrow, "place_region_code": "3374"}
        )


def test_references_to_missing_records_are_named(
    sessions: sessionmaker[Session], actors: dict[str, Actor]
) -> None:
    clinic = actors["facility"]
    m = mother(sessions, clinic)
    with pytest.raises(RecordRejected) as raised:
        birth(sessions, clinic, mother_ref=m, facility_ref="F-NOPE", attendant_ref="A-NOPE")
    reasons = {p.field: p.reason for p in raised.value.problems}
    assert reasons == {
        "facility_ref": "no facility with ref 'F-NOPE'",
        "attendant_ref": "no attendant with ref 'A-NOPE'",
    }


def test_a_facility_cannot_record_births_outside_its_region(
    sessions: sessionmaker[Session], actors: dict[str, Actor]
) -> None:
    m = mother(sessions, actors["facility"])
    with pytest.raises(OutOfRegion):
        birth(sessions, actors["facility-semarang"], mother_ref=m, place_region_code="5171")


def test_a_facility_may_not_register_a_birth_itself(
    sessions: sessionmaker[Session], actors: dict[str, Actor]
) -> None:
    clinic = actors["facility"]
    registrar = official(sessions, actors["admin"])
    m = mother(sessions, clinic)
    with pytest.raises(PermissionDenied, match="may not register births"):
        birth(
            sessions,
            clinic,
            mother_ref=m,
            akta_number="AKTA-1",
            registrar_ref=registrar,
            registered_on="2025-02-01",
        )


def _register(sessions: sessionmaker[Session], actor: Actor, **fields: object) -> None:
    with UnitOfWork(sessions) as uow:
        outcome = register_births(Batch(uow, actor), [(1, BirthRegistrationIn.model_validate(fields))])
        raise_first("registration", outcome.problems)
        uow.commit()


def test_late_registration_is_allowed_and_visible(
    sessions: sessionmaker[Session], actors: dict[str, Actor]
) -> None:
    clinic, registrar = actors["facility"], actors["registrar-semarang"]
    official_ref = "O-REG-SEMARANG"  # the official the account acts as
    ref = birth(sessions, clinic, mother_ref=mother(sessions, clinic), born_on="2025-01-10")
    _register(
        sessions,
        registrar,
        birth_ref=ref,
        akta_number="3374-LT-2025-1",
        registrar_ref=official_ref,
        registered_on="2025-06-01",
    )
    with UnitOfWork(sessions) as uow:
        record = get_record(
            uow, READS["births"], ref, actor=registrar, purpose=Purpose("test case 1", "test")
        )
    assert record["registration_delay_days"] == 142
    assert record["late_registration"] is True
    assert record["registrar_ref"] == official_ref


def test_a_birth_is_registered_once_and_akta_numbers_are_unique(
    sessions: sessionmaker[Session], actors: dict[str, Actor]
) -> None:
    clinic, registrar = actors["facility"], actors["registrar"]
    official_ref = official(sessions, actors["admin"])
    first = birth(sessions, clinic, mother_ref=mother(sessions, clinic))
    second = birth(sessions, clinic, mother_ref=mother(sessions, clinic))
    _register(
        sessions,
        registrar,
        birth_ref=first,
        akta_number="AKTA-9",
        registrar_ref=official_ref,
        registered_on="2025-02-01",
    )
    with pytest.raises(Conflict, match="already registered"):
        _register(
            sessions,
            registrar,
            birth_ref=first,
            akta_number="AKTA-10",
            registrar_ref=official_ref,
            registered_on="2025-02-01",
        )
    with pytest.raises(Conflict, match="akta number 'AKTA-9' is already in use"):
        _register(
            sessions,
            registrar,
            birth_ref=second,
            akta_number="AKTA-9",
            registrar_ref=official_ref,
            registered_on="2025-02-01",
        )


def test_only_a_registrar_official_may_be_named_registrar(
    sessions: sessionmaker[Session], actors: dict[str, Actor]
) -> None:
    clinic = actors["facility"]
    social_worker = official(sessions, actors["admin"], role="social_worker")
    ref = birth(sessions, clinic, mother_ref=mother(sessions, clinic))
    with pytest.raises(RecordRejected, match="is not a registrar"):
        _register(
            sessions,
            actors["registrar"],
            birth_ref=ref,
            akta_number="AKTA-77",
            registrar_ref=social_worker,
            registered_on="2025-02-01",
        )


def test_registration_fields_come_together() -> None:
    base = {"child_sex": "F", "mother_ref": "M", "born_on": "2025-01-01", "place_region_code": "3374"}
    with pytest.raises(ValidationError, match="akta_number and registered_on together"):
        BirthIn.model_validate({**base, "akta_number": "A-1"})
    with pytest.raises(ValidationError, match="registrar_ref and registration_region_code need akta_number"):
        BirthIn.model_validate({**base, "registrar_ref": "O-1"})


def test_a_child_recorded_first_is_linked_not_duplicated(
    sessions: sessionmaker[Session], actors: dict[str, Actor]
) -> None:
    clinic, registrar = actors["facility"], actors["registrar"]
    child = person_ref = "P-CHILD-FIRST"
    from tests.factories.registry import person

    person(
        sessions,
        registrar,
        ref=person_ref,
        source_kind="civil_registry",
        full_name="Made Wirawan",
        sex="M",
        birth_date="2025-01-10",
    )
    m = mother(sessions, clinic)
    ref = birth(sessions, clinic, mother_ref=m, child_ref=child, child_sex="M", child_name="Made Wirawan")
    with sessions() as session:
        stored = session.scalars(select(Birth).where(Birth.ref == ref)).one()
        linked = session.get(Person, stored.child_id)
    assert linked is not None and linked.ref == child
    with pytest.raises(Conflict, match="already has a birth record"):
        birth(sessions, clinic, mother_ref=m, child_ref=child, child_sex="M")


def test_a_linked_child_must_agree_with_the_row(
    sessions: sessionmaker[Session], actors: dict[str, Actor]
) -> None:
    from tests.factories.registry import person

    person(
        sessions, actors["registrar"], ref="P-CHILD-2", full_name="Putu Ayu", sex="F", birth_date="2025-01-10"
    )
    m = mother(sessions, actors["facility"])
    with pytest.raises(RecordRejected, match="exists with different child_sex, born_on"):
        birth(
            sessions,
            actors["facility"],
            mother_ref=m,
            child_ref="P-CHILD-2",
            child_sex="M",
            born_on="2025-02-01",
        )
    with pytest.raises(RecordRejected, match="cannot be its own parent"):
        birth(sessions, actors["facility"], mother_ref=m, child_ref=m)
