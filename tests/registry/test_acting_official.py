"""Registrations and adoption steps name the official the account acts as, inside that official's region."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from jaga.access import OPERATOR, Actor, Role, authenticate, create_principal
from jaga.db import UnitOfWork
from jaga.errors import NotActingOfficial, OutOfRegion, RecordRejected
from jaga.registry.adoption.workflow import Step
from jaga.registry.kinds import READS
from jaga.registry.models import AdoptionCase, AdoptionStep, Official
from jaga.registry.schemas.births import BirthRegistrationIn
from jaga.registry.services import Batch, raise_first
from jaga.registry.services.births import register_births
from jaga.registry.services.reads import Purpose, get_record, list_records
from tests.conftest import ClientFor, fast_token_hasher
from tests.factories.registry import birth, mother, official
from tests.registry.adoption.test_cases import open_case, step


def _register(sessions: sessionmaker[Session], actor: Actor, **fields: object) -> None:
    with UnitOfWork(sessions) as uow:
        outcome = register_births(Batch(uow, actor), [(1, BirthRegistrationIn.model_validate(fields))])
        raise_first("registration", outcome.problems)
        uow.commit()


def _births(sessions: sessionmaker[Session], actors: dict[str, Actor], count: int = 1) -> list[str]:
    clinic = actors["facility"]
    return [birth(sessions, clinic, mother_ref=mother(sessions, clinic)) for _ in range(count)]


def _unbound_registrar(sessions: sessionmaker[Session]) -> Actor:
    hasher = fast_token_hasher()
    with UnitOfWork(sessions) as uow:
        created = create_principal(
            uow,
            hasher,
            actor=OPERATOR,
            username="registrar.unbound",
            role=Role.REGISTRAR,
            region_scope="3374",
        )
    with sessions() as session:
        return authenticate(session, hasher, created.token)


def test_a_bound_registrar_registers_as_its_official_without_naming_it(
    sessions: sessionmaker[Session], actors: dict[str, Actor]
) -> None:
    [ref] = _births(sessions, actors)
    registrar = actors["registrar-semarang"]
    _register(sessions, registrar, birth_ref=ref, akta_number="3374-LT-1", registered_on="2025-02-01")
    with UnitOfWork(sessions) as uow:
        record = get_record(uow, READS["births"], ref, actor=registrar, purpose=Purpose("check 1", "test"))
    assert (record["registrar_ref"], record["registration_region_code"]) == ("O-REG-SEMARANG", "33.74")


def test_a_bound_registrar_may_not_register_under_another_official(
    sessions: sessionmaker[Session], actors: dict[str, Actor]
) -> None:
    other = official(sessions, actors["admin"], region_code="3374")
    [ref] = _births(sessions, actors)
    with pytest.raises(
        NotActingOfficial,
        match=f"account 'registrar-semarang' acts as official O-REG-SEMARANG; it may not register births "
        f"under official {other}",
    ):
        _register(
            sessions,
            actors["registrar-semarang"],
            birth_ref=ref,
            akta_number="3374-LT-2",
            registrar_ref=other,
            registered_on="2025-02-01",
        )


def test_a_registration_outside_the_officials_region_is_refused(
    sessions: sessionmaker[Session], actors: dict[str, Actor]
) -> None:
    semarang = official(sessions, actors["admin"], region_code="3374")
    first, second = _births(sessions, actors, 2)
    with pytest.raises(OutOfRegion):
        _register(
            sessions,
            actors["registrar-semarang"],
            birth_ref=first,
            akta_number="3374-LT-3",
            registered_on="2025-02-01",
            registration_region_code="51.71",
        )
    # A feed account names the registrar, but not a registration in another regency than the registrar's.
    with pytest.raises(
        OutOfRegion, match=f"a registration in region 51.71 is outside official {semarang}'s region 33.74"
    ):
        _register(
            sessions,
            actors["registrar"],
            birth_ref=second,
            akta_number="3374-LT-4",
            registrar_ref=semarang,
            registered_on="2025-02-01",
            registration_region_code="5171",
        )


def test_a_feed_account_must_name_the_registrar(
    sessions: sessionmaker[Session], actors: dict[str, Actor]
) -> None:
    [ref] = _births(sessions, actors)
    with pytest.raises(RecordRejected, match="is required: a feed account names the official who acted"):
        _register(sessions, actors["registrar"], birth_ref=ref, akta_number="F-1", registered_on="2025-02-01")


def test_an_unbound_registrar_reads_but_may_not_register_until_bound(
    sessions: sessionmaker[Session], actors: dict[str, Actor]
) -> None:
    unbound = _unbound_registrar(sessions)
    [ref] = _births(sessions, actors)
    with UnitOfWork(sessions) as uow:
        page = list_records(uow, READS["births"], actor=unbound, purpose=Purpose("monthly check", "test"))
    assert ref in {item["ref"] for item in page.items}
    with pytest.raises(
        NotActingOfficial,
        match=r"account 'registrar.unbound' is not bound to an official, so it may not register births; "
        r"an administrator binds it with `jaga users bind registrar.unbound --official O-...`",
    ):
        _register(
            sessions,
            unbound,
            birth_ref=ref,
            akta_number="U-1",
            registrar_ref="O-REG-SEMARANG",
            registered_on="2025-02-01",
        )


def test_the_api_refuses_another_officials_ref_with_403_and_says_why(client_for: ClientFor) -> None:
    clinic, registrar = client_for("facility"), client_for("registrar-semarang")
    mother_ref = clinic.post(
        "/api/v1/people",
        json={"source_kind": "facility", "full_name": "Siti Aminah", "sex": "F", "region_code": "3374"},
    ).json()["ref"]
    birth_ref = clinic.post(
        "/api/v1/births",
        json={
            "child_sex": "F",
            "mother_ref": mother_ref,
            "born_on": "2025-01-10",
            "place_region_code": "337401",
        },
    ).json()["ref"]
    refused = registrar.post(
        f"/api/v1/births/{birth_ref}/registration",
        json={"akta_number": "3374-LT-9", "registrar_ref": "O-PN-SEMARANG", "registered_on": "2025-02-01"},
    )
    assert refused.status_code == 403
    assert (
        "acts as official O-REG-SEMARANG; it may not register births under official O-PN-SEMARANG"
        in (refused.json()["detail"])
    )
    done = registrar.post(
        f"/api/v1/births/{birth_ref}/registration",
        json={"akta_number": "3374-LT-9", "registered_on": "2025-02-01"},
    )
    assert done.status_code == 200, done.text
    assert done.json()["registrar_ref"] == "O-REG-SEMARANG"


def test_adoption_steps_name_the_official_the_account_acts_as(
    sessions: sessionmaker[Session], actors: dict[str, Actor]
) -> None:
    case = open_case(sessions, actors)
    social = actors["social-jateng"]
    step(sessions, social, case, Step.ELIGIBILITY_CHECK, date(2024, 7, 15), outcome="passed")
    with sessions() as session:
        named = session.scalars(
            select(Official.ref)
            .join(AdoptionStep, AdoptionStep.official_id == Official.id)
            .join(AdoptionCase, AdoptionCase.id == AdoptionStep.case_id)
            .where(AdoptionCase.ref == case, AdoptionStep.step == Step.ELIGIBILITY_CHECK.value)
        ).one()
    assert named == "O-PEKSOS-JATENG"
    with pytest.raises(
        NotActingOfficial, match="acts as official O-PEKSOS-JATENG; it may not take adoption steps"
    ):
        step(sessions, social, case, Step.HOME_STUDY, date(2024, 8, 1), official_ref="O-REG-SEMARANG")
