"""The work queue `/kerja`: adoption steps waiting for the officer's role with the law's deadlines (late
ones marked), four-eyes approvals waiting for a second officer, and new tips from the public in the
officer's region; then one tip's page and its status form."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, timedelta

from fastapi.testclient import TestClient
from sqlalchemy import select

from jaga.db import create_engine_for
from jaga.registry import Person, Step, add_months
from jaga.tips import Tip
from tests.conftest import FixedClock
from tests.workbench.conftest import ORIGIN, WorkbenchRegistry, csrf_of, log_in
from tests.workbench.test_adoption import _api, _case_ready_for_the_court, _clerk

Workbench = Callable[[], TestClient]

# UU 23/2006 art. 47 (as amended by UU 24/2013), DOMAIN.md §3: an adoption is reported to the civil registry
# within 30 days of the court ruling.
ANNOTATION_DAYS = 30


def _start(client: TestClient, username: str, purpose: str = "antrean kerja harian") -> str:
    log_in(client, username)
    csrf = csrf_of(client.get("/kerja").text)
    client.post("/kerja/tujuan", data={"csrf": csrf, "purpose": purpose}, headers={"Origin": ORIGIN})
    return csrf


def _rows(html: str, kind: str) -> dict[str, str]:
    """Queue rows of `kind`, keyed by the case or tip ref: the row's opening tag."""
    rows = {}
    for tag in re.findall(rf'<tr data-queue-item="{kind}"[^>]*>', html):
        ref = re.search(r'data-(?:case|tip)-ref="([^"]+)"', tag)
        assert ref is not None
        rows[ref.group(1)] = tag
    return rows


def _granted_case(registry: WorkbenchRegistry, ruling_on: date) -> str:
    """A domestic case in Kota Semarang through to a granted court ruling on `ruling_on` (the feeds'
    accounts: their steps transcribe acts signed elsewhere, so they take effect as recorded)."""
    engine = create_engine_for(registry.url)
    with engine.connect() as connection:
        child, adopter = connection.execute(select(Person.ref).order_by(Person.id).limit(2)).scalars().all()
    engine.dispose()
    recommended = ruling_on - timedelta(days=20)
    care = add_months(recommended, -7)
    social, court = _api(registry, "social_worker"), _api(registry, "court")
    opened = social.post(
        "/api/v1/adoption-cases",
        json={
            "child_ref": child,
            "kind": "domestic",
            "adopter_ref": adopter,
            "region_code": "3374",
            "applied_on": (care - timedelta(days=60)).isoformat(),
            "documents": [{"kind": "application", "number": "APP/Q/1"}],
        },
    )
    assert opened.status_code == 201, opened.text
    case = str(opened.json()["ref"])
    steps = [
        (social, "eligibility_check", care - timedelta(days=40), "passed", []),
        (social, "home_study", care - timedelta(days=20), None, [("home_study_report", "HS-Q")]),
        (social, "temporary_care", care, None, [("care_permit", "CP-Q")]),
        (social, "recommendation", recommended, "passed", [("pipa_recommendation", "PIPA-Q")]),
        (court, "court_ruling", ruling_on, "granted", [("court_ruling", "9/Pdt.P/Q")]),
    ]
    for api, name, on, outcome, documents in steps:
        body: dict[str, object] = {
            "step": name,
            "occurred_on": on.isoformat(),
            "documents": [{"kind": k, "number": n} for k, n in documents],
        }
        if outcome:
            body["outcome"] = outcome
        taken = api.post(f"/api/v1/adoption-cases/{case}/steps", json=body)
        assert taken.status_code == 201, taken.text
    return case


def test_a_granted_case_waits_for_the_registrar_with_the_laws_deadline_and_is_marked_late_after_it(
    workbench: Workbench, with_passwords: WorkbenchRegistry, wb_clock: FixedClock
) -> None:
    ruling_on = date.today() - timedelta(days=10)
    case = _granted_case(with_passwords, ruling_on)
    deadline = ruling_on + timedelta(days=ANNOTATION_DAYS)

    registrar = workbench()
    _start(registrar, "registrar-semarang")
    page = registrar.get("/kerja")
    assert page.status_code == 200
    assert 'data-queue-item="adoptions"' in page.text
    row = _rows(page.text, "adoption")[case]
    assert 'data-step="civil_registry_annotation"' in row
    assert f'data-deadline="{deadline.isoformat()}"' in row and "data-overdue" not in row
    assert "UU 23/2006" in page.text.split(f'data-case-ref="{case}"')[1].split("</tr>")[0]
    dated = re.findall(r'data-deadline="([0-9-]+)"', page.text)
    assert dated == sorted(dated)  # nearest first
    # the court's step is done: the case is not in the court's queue
    court = workbench()
    _start(court, "court")
    assert case not in _rows(court.get("/kerja").text, "adoption")

    wb_clock.now += timedelta(days=ANNOTATION_DAYS)  # the ruling is now 40 days old
    late = workbench()
    _start(late, "registrar-semarang")
    page = late.get("/kerja")
    row = _rows(page.text, "adoption")[case]
    assert f'data-deadline="{deadline.isoformat()}"' in row and "data-overdue" in row
    assert "data-overdue-count" in page.text


def test_a_court_ruling_recorded_by_one_clerk_waits_in_the_other_clerks_queue(
    workbench: Workbench, with_passwords: WorkbenchRegistry
) -> None:
    case = _case_ready_for_the_court(with_passwords)
    first_name, second_name = (f"panitera.q{case[-4:].lower()}.{n}" for n in ("satu", "dua"))
    _clerk(with_passwords, first_name)
    _clerk(with_passwords, second_name)
    first = workbench()
    csrf = _start(first, first_name)
    assert 'data-step="court_ruling"' in _rows(first.get("/kerja").text, "adoption")[case]
    recorded = first.post(
        f"/kerja/adoption-cases/{case}/steps",
        data={
            "csrf": csrf,
            "step": Step.COURT_RULING.value,
            "occurred_on": date.today().isoformat(),
            "outcome": "granted",
            "doc_court_ruling": "4/Pdt.P/Q",
        },
        headers={"Origin": ORIGIN},
    )
    assert recorded.status_code == 303, recorded.text
    assert case not in _rows(first.get("/kerja").text, "adoption")  # its recorder cannot approve it
    second = workbench()
    _start(second, second_name)
    row = _rows(second.get("/kerja").text, "adoption")[case]
    assert 'data-step="court_ruling"' in row and 'data-approval="pending"' in row
    assert "data-deadline" not in row  # the docs give the court no period


def _submit_tip(client: TestClient, province: str, place: str, description: str) -> str:
    form = client.get("/lapor")
    token = re.search(r'name="token" value="([^"]+)"', form.text)
    assert token is not None
    sent = client.post(
        "/lapor",
        data={
            "platform": "facebook",
            "province": province,
            "place": place,
            "description": description,
            "token": token.group(1),
        },
    )
    assert sent.status_code == 201, sent.text
    return description


def _tip_ref(registry: WorkbenchRegistry, description: str) -> str:
    engine = create_engine_for(registry.url)
    with engine.connect() as connection:
        ref = connection.execute(select(Tip.ref).where(Tip.description == description)).scalar_one()
    engine.dispose()
    return str(ref)


def test_a_tip_sent_on_the_portal_waits_for_the_police_of_its_region_only(
    workbench: Workbench, with_passwords: WorkbenchRegistry
) -> None:
    public = workbench()
    bali = _tip_ref(
        with_passwords,
        _submit_tip(public, "51", "Tabanan", "Bayi perempuan dua hari ditawarkan 20 juta, ambil di Tabanan"),
    )
    java = _tip_ref(
        with_passwords,
        _submit_tip(public, "33", "Kota Semarang", "Akun jual bayi baru lahir, transfer dulu, Semarang"),
    )
    police_bali = workbench()
    _start(police_bali, "police-bali")
    page = police_bali.get("/kerja")
    assert 'data-queue-item="tips"' in page.text
    tips = _rows(page.text, "tip")
    assert bali in tips and java not in tips
    national = workbench()
    _start(national, "police")
    both = list(_rows(national.get("/kerja").text, "tip"))
    assert {bali, java} <= set(both) and both.index(java) < both.index(bali)  # newest first
    # roles that do not handle tips get no tips in their queue
    registrar = workbench()
    _start(registrar, "registrar")
    assert 'data-queue-item="tips"' not in registrar.get("/kerja").text

    opened = police_bali.get(f"/kerja/tips/{bali}")
    assert opened.status_code == 200
    assert 'data-tip-status="received"' in opened.text and "Tabanan" in opened.text
    assert police_bali.get(f"/kerja/tips/{java}").status_code == 403  # another region's tip
    csrf = csrf_of(opened.text)
    refused = police_bali.post(
        f"/kerja/tips/{bali}/status", data={"csrf": csrf, "status": "closed"}, headers={"Origin": ORIGIN}
    )
    assert refused.status_code == 422 and 'data-error="status"' in refused.text  # closing needs a note
    moved = police_bali.post(
        f"/kerja/tips/{bali}/status",
        data={"csrf": csrf, "status": "under_review", "note": "diteruskan ke Unit PPA Polres Tabanan"},
        headers={"Origin": ORIGIN},
    )
    assert moved.status_code == 303
    after = police_bali.get(f"/kerja/tips/{bali}")
    assert 'data-tip-status="under_review"' in after.text and "data-history-entry" in after.text
    assert bali not in _rows(police_bali.get("/kerja").text, "tip")  # no longer new


def test_the_tip_page_asks_for_the_purpose_and_refuses_roles_without_tips(
    workbench: Workbench, with_passwords: WorkbenchRegistry
) -> None:
    public = workbench()
    ref = _tip_ref(with_passwords, _submit_tip(public, "33", "Cilacap", "Bayi dijual lewat grup WA, Cilacap"))
    police = workbench()
    log_in(police, "police")
    asked = police.get(f"/kerja/tips/{ref}")
    assert asked.status_code == 200 and "data-purpose-form" in asked.text
    assert (
        "data-tip-ref" not in asked.text and "grup WA" not in asked.text
    )  # nothing of it before the purpose
    registrar = workbench()
    _start(registrar, "registrar")
    assert registrar.get(f"/kerja/tips/{ref}").status_code == 403
