"""Four eyes: an officer's court ruling, civil-registry annotation or placement with the prospective
adopters takes effect only once a second officer of that role approves it; both decisions are events."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from jaga.access import OPERATOR, Actor, Role, create_principal
from jaga.db import EventRecord, UnitOfWork
from jaga.registry import AdoptionStep, StepApproval
from jaga.registry.adoption.workflow import Step, add_months
from tests.conftest import ClientFor, fast_token_hasher
from tests.factories.registry import create
from tests.registry.adoption.test_cases import open_case, step

OFFICIAL_ROLES = {Role.COURT: "court_clerk", Role.SOCIAL_WORKER: "social_worker", Role.REGISTRAR: "registrar"}


def _officer(sessions: sessionmaker[Session], username: str, role: Role) -> str:
    """An officer's account, bound to an official of its own (officers act as themselves)."""
    official = create(
        sessions,
        OPERATOR,
        "officials",
        ref=f"O-{username.upper().replace('.', '-')}",
        full_name="Petugas Uji",
        role=OFFICIAL_ROLES[role],
        office="Pengadilan Negeri Semarang",
        region_code="3374",
    )
    with UnitOfWork(sessions) as uow:
        created = create_principal(
            uow,
            fast_token_hasher(),
            actor=OPERATOR,
            username=username,
            role=role,
            region_scope="3374",
            official_ref=official,
        )
    return created.token


def _client(client_for: ClientFor, token: str) -> TestClient:
    client = client_for(None)
    client.headers["Authorization"] = f"Bearer {token}"
    return client


@pytest.fixture
def ready_for_ruling(sessions: sessionmaker[Session], actors: dict[str, Actor]) -> tuple[str, date]:
    """A case with every step before the court's, taken by the social services' feed."""
    social = actors["social_worker"]
    case = open_case(sessions, actors)
    on = date(2024, 7, 15)
    step(sessions, social, case, Step.ELIGIBILITY_CHECK, on, outcome="passed")
    step(sessions, social, case, Step.HOME_STUDY, on + timedelta(days=14))
    care = on + timedelta(days=30)
    step(sessions, social, case, Step.TEMPORARY_CARE, care)
    step(sessions, social, case, Step.RECOMMENDATION, add_months(care, 6), outcome="passed")
    return case, add_months(care, 7)


def _ruling(client: TestClient, case: str, on: date) -> object:
    return client.post(
        f"/api/v1/adoption-cases/{case}/steps",
        params={"reason": "perkara 12/Pdt.P/2025"},
        json={
            "step": "court_ruling",
            "occurred_on": on.isoformat(),
            "outcome": "granted",
            "documents": [{"kind": "court_ruling", "number": "12/Pdt.P/2025/PN Smg"}],
        },
    )


def test_a_court_ruling_waits_for_a_second_judge_clerk_and_then_takes_effect(
    sessions: sessionmaker[Session], client_for: ClientFor, ready_for_ruling: tuple[str, date]
) -> None:
    case, on = ready_for_ruling
    first = _client(client_for, _officer(sessions, "panitera.satu", Role.COURT))
    second = _client(client_for, _officer(sessions, "panitera.dua", Role.COURT))
    recorded = _ruling(first, case, on)
    assert recorded.status_code == 201, recorded.text  # type: ignore[attr-defined]
    assert recorded.json()["status"] == "open"  # type: ignore[attr-defined]
    registrar = client_for("registrar")
    blocked = registrar.post(
        f"/api/v1/adoption-cases/{case}/steps",
        json={
            "step": "civil_registry_annotation",
            "occurred_on": (on + timedelta(days=3)).isoformat(),
            "documents": [{"kind": "akta_annotation", "number": "AN-1"}],
        },
    )
    assert blocked.status_code == 409
    assert blocked.json()["pending_step"] == "court_ruling" and "second officer" in blocked.json()["detail"]
    number = recorded.json()["steps"][-1]["number"]  # type: ignore[attr-defined]
    own = first.post(f"/api/v1/adoption-cases/{case}/steps/{number}/decision", json={"decision": "approve"})
    assert own.status_code == 403 and own.json()["type"].endswith("/problems/four-eyes")
    feed = client_for("court")
    assert (
        feed.post(
            f"/api/v1/adoption-cases/{case}/steps/{number}/decision", json={"decision": "approve"}
        ).status_code
        == 403
    )
    approved = second.post(
        f"/api/v1/adoption-cases/{case}/steps/{number}/decision", json={"decision": "approve"}
    )
    assert approved.status_code == 200, approved.text
    assert approved.json()["status"] == "granted"
    again = second.post(
        f"/api/v1/adoption-cases/{case}/steps/{number}/decision", json={"decision": "approve"}
    )
    assert again.status_code == 409
    with sessions() as session:
        approval = session.scalars(select(StepApproval)).one()
        kinds = session.scalars(
            select(EventRecord.kind).where(EventRecord.aggregate == "adoption_step_approvals")
        ).all()
    assert approval.state == "approved" and approval.decided_by != approval.requested_by
    assert sorted(kinds) == ["adoption_step.approval_requested", "adoption_step.decided"]


def test_a_rejected_step_never_takes_effect_and_may_be_recorded_again(
    sessions: sessionmaker[Session], client_for: ClientFor, ready_for_ruling: tuple[str, date]
) -> None:
    case, on = ready_for_ruling
    first = _client(client_for, _officer(sessions, "panitera.satu", Role.COURT))
    second = _client(client_for, _officer(sessions, "panitera.dua", Role.COURT))
    number = _ruling(first, case, on).json()["steps"][-1]["number"]  # type: ignore[attr-defined]
    no_note = second.post(
        f"/api/v1/adoption-cases/{case}/steps/{number}/decision", json={"decision": "reject"}
    )
    assert no_note.status_code == 422
    rejected = second.post(
        f"/api/v1/adoption-cases/{case}/steps/{number}/decision",
        json={"decision": "reject", "note": "the ruling's number does not match the court's register"},
    )
    assert rejected.status_code == 200 and rejected.json()["status"] == "open"
    again = _ruling(first, case, on)
    assert again.status_code == 201  # type: ignore[attr-defined]
    with sessions() as session:
        numbers = session.scalars(select(AdoptionStep.number).order_by(AdoptionStep.number)).all()
    assert numbers[-2:] == [number, number + 1]  # the rejected step keeps its number


def test_steps_without_legal_effect_take_effect_at_once(
    sessions: sessionmaker[Session], actors: dict[str, Actor], client_for: ClientFor
) -> None:
    case = open_case(sessions, actors)
    officer = _client(client_for, _officer(sessions, "peksos.satu", Role.SOCIAL_WORKER))
    answer = officer.post(
        f"/api/v1/adoption-cases/{case}/steps",
        json={"step": "eligibility_check", "occurred_on": "2024-07-15", "outcome": "passed"},
    )
    assert answer.status_code == 201 and answer.json()["current_step"] == "eligibility_check"
    with sessions() as session:
        assert session.scalars(select(StepApproval)).all() == []
