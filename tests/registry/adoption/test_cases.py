"""Adoption cases through the services and the database: every transition kept with who, when, documents."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from jaga.access import Actor
from jaga.db import UnitOfWork
from jaga.errors import OutOfRegion, RoleNotAllowed, StepNotAllowed, StepOutOfOrder
from jaga.registry.adoption.services import take_steps
from jaga.registry.adoption.workflow import RULES, Step, add_months
from jaga.registry.kinds import READS
from jaga.registry.models import AdoptionStep
from jaga.registry.schemas.adoption import AdoptionStepRow
from jaga.registry.services import Batch, raise_first
from jaga.registry.services.reads import Purpose, get_record
from tests.factories.registry import create, person


def open_case(sessions: sessionmaker[Session], actors: dict[str, Actor], kind: str = "domestic") -> str:
    social = actors["social_worker"]
    child = person(sessions, social, full_name="Anak A", birth_date="2024-05-01", sex="F")
    adopter = person(sessions, social, full_name="Hendra Gunawan")
    return create(
        sessions,
        social,
        "adoption-cases",
        child_ref=child,
        kind=kind,
        adopter_ref=adopter,
        region_code="3374",
        applied_on="2024-07-01",
        documents="application=APP/2024/7",
    )


def step(
    sessions: sessionmaker[Session], actor: Actor, case: str, name: Step, on: date, **extra: object
) -> None:
    documents = "; ".join(f"{d}={d.upper()}-1" for d in RULES[name].documents) or None
    fields = {
        "case_ref": case,
        "step": name.value,
        "occurred_on": on.isoformat(),
        "documents": documents,
        **extra,
    }
    row = AdoptionStepRow.model_validate({k: v for k, v in fields.items() if v is not None})
    with UnitOfWork(sessions) as uow:
        outcome = take_steps(Batch(uow, actor), [(1, row)])
        raise_first("step", outcome.problems)
        uow.commit()


def read_case(sessions: sessionmaker[Session], actor: Actor, ref: str) -> dict[str, object]:
    with UnitOfWork(sessions) as uow:
        return get_record(
            uow, READS["adoption-cases"], ref, actor=actor, purpose=Purpose("case review", "test")
        )


def test_a_domestic_adoption_runs_its_whole_legal_course(
    sessions: sessionmaker[Session], actors: dict[str, Actor]
) -> None:
    # Feed accounts transcribe acts already signed at their source, so every step takes effect as it
    # arrives; officers' own legal steps need a second officer (tests/registry/adoption/test_four_eyes.py).
    social, court, registrar = actors["social_worker"], actors["court"], actors["registrar"]
    case = open_case(sessions, actors)
    on = date(2024, 7, 15)
    step(sessions, social, case, Step.ELIGIBILITY_CHECK, on, outcome="passed")
    step(sessions, social, case, Step.HOME_STUDY, on + timedelta(days=14))
    care = on + timedelta(days=30)
    step(sessions, social, case, Step.TEMPORARY_CARE, care)
    step(sessions, social, case, Step.RECOMMENDATION, add_months(care, 6), outcome="passed")
    step(sessions, court, case, Step.COURT_RULING, add_months(care, 7), outcome="granted")
    assert read_case(sessions, social, case)["status"] == "granted"
    step(sessions, registrar, case, Step.CIVIL_REGISTRY_ANNOTATION, add_months(care, 7) + timedelta(days=10))
    step(sessions, social, case, Step.POST_ADOPTION_REPORT, add_months(care, 13))
    record = read_case(sessions, social, case)
    assert record["status"] == "registered"
    steps = record["steps"]
    assert isinstance(steps, list)
    assert [s["step"] for s in steps] == [
        "application",
        "eligibility_check",
        "home_study",
        "temporary_care",
        "recommendation",
        "court_ruling",
        "civil_registry_annotation",
        "post_adoption_report",
    ]
    assert steps[5]["documents"] == [{"kind": "court_ruling", "number": "COURT_RULING-1"}]
    with sessions() as session:
        actors_of_steps = session.scalars(select(AdoptionStep.actor_id).order_by(AdoptionStep.id)).all()[-8:]
    assert actors_of_steps[5] == court.principal_id and actors_of_steps[6] == registrar.principal_id


def test_court_ruling_before_the_recommendation_is_refused(
    sessions: sessionmaker[Session], actors: dict[str, Actor]
) -> None:
    case = open_case(sessions, actors)
    with pytest.raises(StepOutOfOrder, match="missing step 'eligibility_check'"):
        step(sessions, actors["court"], case, Step.COURT_RULING, date(2024, 8, 1), outcome="granted")


def test_a_social_worker_cannot_record_the_courts_ruling(
    sessions: sessionmaker[Session], actors: dict[str, Actor]
) -> None:
    case = open_case(sessions, actors)
    with pytest.raises(RoleNotAllowed, match="must be recorded by role 'court'"):
        step(sessions, actors["social_worker"], case, Step.COURT_RULING, date(2024, 8, 1), outcome="granted")


def test_a_court_outside_the_cases_region_is_refused(
    sessions: sessionmaker[Session], actors: dict[str, Actor]
) -> None:
    case = open_case(sessions, actors)
    from jaga.access import Role
    from jaga.access.roles import Actor as ActorType

    court_elsewhere = ActorType(actors["court"].principal_id, "court-bali", Role.COURT, "51")
    with pytest.raises(OutOfRegion):
        step(sessions, court_elsewhere, case, Step.COURT_RULING, date(2024, 8, 1), outcome="granted")


def test_recommendation_less_than_six_months_into_care_is_refused(
    sessions: sessionmaker[Session], actors: dict[str, Actor]
) -> None:
    social = actors["social_worker"]
    case = open_case(sessions, actors)
    step(sessions, social, case, Step.ELIGIBILITY_CHECK, date(2024, 7, 10), outcome="passed")
    step(sessions, social, case, Step.HOME_STUDY, date(2024, 7, 20))
    step(sessions, social, case, Step.TEMPORARY_CARE, date(2024, 8, 1))
    with pytest.raises(StepNotAllowed, match="earliest date is 2025-02-01"):
        step(sessions, social, case, Step.RECOMMENDATION, date(2024, 12, 1), outcome="passed")


def test_steps_in_one_batch_see_the_steps_before_them(
    sessions: sessionmaker[Session], actors: dict[str, Actor]
) -> None:
    social = actors["social_worker"]
    case = open_case(sessions, actors)
    rows = [
        (
            1,
            AdoptionStepRow.model_validate(
                {
                    "case_ref": case,
                    "step": "eligibility_check",
                    "occurred_on": "2024-07-10",
                    "outcome": "passed",
                }
            ),
        ),
        (
            2,
            AdoptionStepRow.model_validate(
                {
                    "case_ref": case,
                    "step": "temporary_care",
                    "occurred_on": "2024-07-12",
                    "documents": "care_permit=CP-1",
                }
            ),
        ),
        (
            3,
            AdoptionStepRow.model_validate(
                {
                    "case_ref": case,
                    "step": "home_study",
                    "occurred_on": "2024-07-20",
                    "documents": "home_study_report=HS-1",
                }
            ),
        ),
    ]
    with UnitOfWork(sessions) as uow:
        outcome = take_steps(Batch(uow, social), rows)
    assert [p.row for p in outcome.problems] == [2]
    assert "missing step 'home_study'" in outcome.problems[0].reason
