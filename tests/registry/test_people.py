from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from jaga.access import Actor
from jaga.errors import DuplicateNik, OutOfRegion, RecordRejected, RoleNotAllowed
from jaga.registry.models import Person
from tests.factories.registry import mother, nik_for, person


def test_a_person_is_stored_with_a_normalised_name(
    sessions: sessionmaker[Session], actors: dict[str, Actor]
) -> None:
    ref = person(sessions, actors["facility"], full_name="  Siti   NURHALIZA binti Ahmad ")
    with sessions() as session:
        stored = session.scalars(select(Person).where(Person.ref == ref)).one()
    assert stored.full_name == "Siti NURHALIZA binti Ahmad"
    assert stored.name_normalised == "siti nurhaliza binti ahmad"


def test_nik_is_optional_many_mothers_have_none(
    sessions: sessionmaker[Session], actors: dict[str, Actor]
) -> None:
    ref = mother(sessions, actors["facility"], nik=None)
    with sessions() as session:
        assert session.scalars(select(Person.nik).where(Person.ref == ref)).one() is None


def test_the_same_nik_twice_from_one_source_is_a_conflict(
    sessions: sessionmaker[Session], actors: dict[str, Actor]
) -> None:
    nik = nik_for(date(1990, 3, 4), "F")
    mother(sessions, actors["facility"], nik=nik, source_ref="F-1")
    with pytest.raises(DuplicateNik, match="already recorded by the same source"):
        mother(sessions, actors["facility"], nik=nik, source_ref="F-1")


def test_the_same_nik_from_another_source_is_the_linkers_business(
    sessions: sessionmaker[Session], actors: dict[str, Actor]
) -> None:
    nik = nik_for(date(1990, 3, 4), "F")
    mother(sessions, actors["facility"], nik=nik, source_kind="facility", source_ref="F-1")
    mother(sessions, actors["registrar"], nik=nik, source_kind="civil_registry")
    with sessions() as session:
        assert len(session.scalars(select(Person).where(Person.nik == nik)).all()) == 2


def test_a_nik_that_disagrees_with_the_birth_date_is_accepted_for_review(
    sessions: sessionmaker[Session], actors: dict[str, Actor]
) -> None:
    # DOMAIN.md: a NIK is not reissued to correct a date; disagreement is flagged, not refused.
    ref = mother(sessions, actors["facility"], born=date(1990, 3, 4), nik=nik_for(date(1991, 3, 4), "F"))
    assert ref


def test_a_structurally_invalid_nik_is_refused() -> None:
    from pydantic import ValidationError

    from jaga.registry.schemas.people import PersonIn

    with pytest.raises(ValidationError, match="province code 99 does not exist"):
        PersonIn.model_validate(
            {"source_kind": "facility", "full_name": "A", "nik": "9974015508900001", "region_code": "3374"}
        )


def test_a_person_outside_the_actors_region_is_refused(
    sessions: sessionmaker[Session], actors: dict[str, Actor]
) -> None:
    with pytest.raises(OutOfRegion, match="region 51 is outside your scope 33.74"):
        person(sessions, actors["facility-semarang"], region_code="51")


def test_the_region_defaults_to_the_actors_scope(
    sessions: sessionmaker[Session], actors: dict[str, Actor]
) -> None:
    ref = person(sessions, actors["facility-semarang"], region_code=None)
    with sessions() as session:
        assert session.scalars(select(Person.region_code).where(Person.ref == ref)).one() == "3374"


def test_a_national_account_must_say_the_region(
    sessions: sessionmaker[Session], actors: dict[str, Actor]
) -> None:
    with pytest.raises(RecordRejected, match="region_code: is required"):
        person(sessions, actors["facility"], region_code=None)


def test_an_auditor_cannot_write(sessions: sessionmaker[Session], actors: dict[str, Actor]) -> None:
    with pytest.raises(RoleNotAllowed, match="role 'auditor' may not people:write"):
        person(sessions, actors["auditor"])
