"""The adoption case screen: the PP 54/2007 checklist (`data-step`, `data-state`), a step taken out of
order refused inline with the workflow's own reason, and four eyes on the court ruling."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import sessionmaker

from jaga.access import OPERATOR, Role, create_principal
from jaga.access.credentials import set_password
from jaga.app import create_app
from jaga.db import UnitOfWork, create_engine_for
from jaga.registry import Person, Step, add_months
from tests.conftest import fast_token_hasher
from tests.factories.registry import create
from tests.workbench.conftest import ORIGIN, PASSWORD, WorkbenchRegistry, csrf_of, log_in

Workbench = Callable[[], TestClient]
CARE = date(2025, 1, 10)


def _api(registry: WorkbenchRegistry, account: str) -> TestClient:
    app = create_app(registry.settings(), token_hasher=fast_token_hasher())
    return TestClient(app, headers={"Authorization": f"Bearer {registry.tokens[account]}"})


def _case_ready_for_the_court(registry: WorkbenchRegistry) -> str:
    """A fresh domestic case in Kota Semarang with every step before the court's, by the social feed."""
    engine = create_engine_for(registry.url)
    with engine.connect() as connection:
        child, adopter = (
            connection.execute(select(Person.ref).order_by(Person.id.desc()).limit(2)).scalars().all()
        )
    engine.dispose()
    api = _api(registry, "social_worker")
    opened = api.post(
        "/api/v1/adoption-cases",
        json={
            "child_ref": child,
            "kind": "domestic",
            "adopter_ref": adopter,
            "region_code": "3374",
            "applied_on": "2024-11-01",
            "documents": [{"kind": "application", "number": "APP/2024/11"}],
        },
    )
    assert opened.status_code == 201, opened.text
    case = opened.json()["ref"]
    steps = [
        ("eligibility_check", date(2024, 11, 20), "passed", []),
        ("home_study", date(2024, 12, 10), None, [("home_study_report", "HS-1")]),
        ("temporary_care", CARE, None, [("care_permit", "CP-1")]),
        ("recommendation", add_months(CARE, 6), "passed", [("pipa_recommendation", "PIPA-1")]),
    ]
    for name, on, outcome, documents in steps:
        body: dict[str, object] = {
            "step": name,
            "occurred_on": on.isoformat(),
            "documents": [{"kind": k, "number": n} for k, n in documents],
        }
        if outcome:
            body["outcome"] = outcome
        taken = api.post(f"/api/v1/adoption-cases/{case}/steps", json=body)
        assert taken.status_code == 201, taken.text
    return str(case)


def _clerk(registry: WorkbenchRegistry, username: str) -> None:
    """A court clerk's account acting as an official of its own in Kota Semarang, with a password."""
    engine = create_engine_for(registry.url)
    sessions = sessionmaker(engine, expire_on_commit=False)
    official = create(
        sessions,
        OPERATOR,
        "officials",
        ref=f"O-{username.upper().replace('.', '-')}",
        full_name="Panitera Uji",
        role="court_clerk",
        office="Pengadilan Negeri Semarang",
        region_code="3374",
    )
    with UnitOfWork(sessions) as uow:
        create_principal(
            uow,
            fast_token_hasher(),
            actor=OPERATOR,
            username=username,
            role=Role.COURT,
            region_scope="3374",
            official_ref=official,
        )
    with UnitOfWork(sessions) as uow:
        set_password(uow, actor=OPERATOR, username=username, password=PASSWORD)
    engine.dispose()


def _purpose(client: TestClient, username: str) -> str:
    log_in(client, username)
    csrf = csrf_of(client.get("/kerja").text)
    client.post(
        "/kerja/tujuan", data={"csrf": csrf, "purpose": "sidang 3/Pdt.P/2025"}, headers={"Origin": ORIGIN}
    )
    return csrf


def _states(html: str) -> dict[str, str]:
    found = {}
    for part in html.split('data-step="')[1:]:
        step = part.split('"')[0]
        found[step] = part.split('data-state="')[1].split('"')[0]
    return found


def test_the_checklist_shows_each_step_and_an_out_of_order_step_is_refused_with_its_reason(
    workbench: Workbench, with_passwords: WorkbenchRegistry
) -> None:
    case = _case_ready_for_the_court(with_passwords)
    registrar = workbench()
    csrf = _purpose(registrar, "registrar")
    page = registrar.get(f"/kerja/adoption-cases/{case}")
    assert page.status_code == 200
    states = _states(page.text)
    assert states["recommendation"] == "done" and states["court_ruling"] == "next"
    assert states["civil_registry_annotation"] == "blocked"
    refused = registrar.post(
        f"/kerja/adoption-cases/{case}/steps",
        data={
            "csrf": csrf,
            "step": "civil_registry_annotation",
            "occurred_on": "2025-08-20",
            "doc_akta_annotation": "AN-9",
        },
        headers={"Origin": ORIGIN},
    )
    assert refused.status_code == 409
    error = refused.text.split('data-error="step">')[1].split("<")[0]
    assert "court_ruling" in error  # the workflow's own reason names the missing step
    assert 'value="AN-9"' in refused.text  # the officer's input is kept


def test_a_court_ruling_recorded_in_the_workbench_waits_for_a_second_clerk(
    workbench: Workbench, with_passwords: WorkbenchRegistry
) -> None:
    case = _case_ready_for_the_court(with_passwords)
    _clerk(with_passwords, f"panitera.{case[-4:].lower()}.satu")
    _clerk(with_passwords, f"panitera.{case[-4:].lower()}.dua")
    first, second = workbench(), workbench()
    csrf = _purpose(first, f"panitera.{case[-4:].lower()}.satu")
    ruling_on = add_months(CARE, 7)
    recorded = first.post(
        f"/kerja/adoption-cases/{case}/steps",
        data={
            "csrf": csrf,
            "step": Step.COURT_RULING.value,
            "occurred_on": ruling_on.isoformat(),
            "outcome": "granted",
            "doc_court_ruling": "3/Pdt.P/2025/PN Smg",
        },
        headers={"Origin": ORIGIN},
    )
    assert recorded.status_code == 303, recorded.text
    mine = first.get(f"/kerja/adoption-cases/{case}")
    assert 'data-step="court_ruling" data-state="next" data-approval="pending"' in mine.text
    assert "data-decide-step" not in mine.text  # the recorder cannot approve
    assert "data-case-status>open<" in mine.text
    csrf2 = _purpose(second, f"panitera.{case[-4:].lower()}.dua")
    theirs = second.get(f"/kerja/adoption-cases/{case}")
    number = int(theirs.text.split('data-decide-step="')[1].split('"')[0])
    approved = second.post(
        f"/kerja/adoption-cases/{case}/steps/{number}/decision",
        data={"csrf": csrf2, "decision": "approve"},
        headers={"Origin": ORIGIN},
    )
    assert approved.status_code == 303
    after = second.get(f"/kerja/adoption-cases/{case}")
    assert "data-case-status>granted<" in after.text
    assert _states(after.text)["court_ruling"] == "done"
