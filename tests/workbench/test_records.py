"""Record forms (`/kerja/baru/{form}`): each kind of record created in the browser through the API's own
schema and use case, then readable; refusals inline (`data-error` at the field, the workflow's reason
at the top) with nothing written; roles, regions and CSRF; likely duplicates confirmed first; the NIK
checked as typed; a certificate issued from a birth and its PDF downloaded, audited."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import func, select

from jaga.access.models import AuditEntry
from jaga.db import create_engine_for
from jaga.registry import (
    KINDS,
    Birth,
    Institution,
    MissingReport,
    Person,
    Placement,
    Relinquishment,
)
from tests.workbench.conftest import ORIGIN, WorkbenchRegistry, csrf_of, log_in

Workbench = Callable[[], TestClient]
PURPOSE = "perkara 15/REC/2026"
TODAY = date.today()
SEMARANG_DISTRICT = "337401"  # a kecamatan of Kota Semarang, where the regional test accounts work


def _officer(workbench: Workbench, username: str) -> TestClient:
    client = workbench()
    log_in(client, username)
    csrf = csrf_of(client.get("/kerja").text)
    client.post("/kerja/tujuan", data={"csrf": csrf, "purpose": PURPOSE}, headers={"Origin": ORIGIN})
    return client


def _post(client: TestClient, form: str, fields: dict[str, str], *, csrf: bool = True) -> Any:
    token = csrf_of(client.get("/kerja").text) if csrf else ""
    return client.post(f"/kerja/baru/{form}", data={"csrf": token, **fields}, headers={"Origin": ORIGIN})


def _query(registry: WorkbenchRegistry, statement: Any) -> Any:
    engine = create_engine_for(registry.url)
    with engine.connect() as connection:
        found = connection.execute(statement).all()
    engine.dispose()
    return found


def _count(registry: WorkbenchRegistry, model: Any) -> int:
    return int(_query(registry, select(func.count()).select_from(model))[0][0])


def _nik(born: date, sex: str, serial: int = 9731) -> str:
    day = born.day + (40 if sex == "F" else 0)
    return f"{SEMARANG_DISTRICT}{day:02d}{born:%m%y}{serial:04d}"


def _a_mother(registry: WorkbenchRegistry, offset: int = 0) -> str:
    """A woman of the synthetic registry aged 20-40, a different one for each `offset`."""
    rows = _query(
        registry,
        select(Person.ref)
        .where(Person.sex == "F")
        .where(Person.birth_date.between(TODAY - timedelta(days=40 * 365), TODAY - timedelta(days=20 * 365)))
        .order_by(Person.id)
        .offset(offset)
        .limit(1),
    )
    return str(rows[0][0])


def _birth_fields(mother: str, born: date, name: str, sex: str = "F") -> dict[str, str]:
    return {
        "mother_ref": mother,
        "child_name": name,
        "child_sex": sex,
        "born_on": born.isoformat(),
        "place_kind": "home",
        "place_region_code": "33.74",
        "birth_weight_g": "3100",
    }


def _record_birth(workbench: Workbench, registry: WorkbenchRegistry, offset: int) -> tuple[str, str, str]:
    """A birth recorded through the form by a Semarang facility: (birth ref, child ref, mother ref)."""
    client = _officer(workbench, "facility-semarang")
    born = TODAY - timedelta(days=3 + offset)
    mother = _a_mother(registry, 10 + offset)
    answer = _post(client, "births", _birth_fields(mother, born, f"Putri Uji {offset}"))
    assert answer.status_code == 303, answer.text
    child = answer.headers["location"].split("/kerja/people/")[1].split("?")[0]
    found = _query(
        registry, select(Birth.ref).join(Person, Person.id == Birth.child_id).where(Person.ref == child)
    )
    return str(found[0][0]), child, mother


def test_the_form_is_derived_from_the_import_schema(workbench: Workbench) -> None:
    client = _officer(workbench, "facility-semarang")
    html = client.get("/kerja/baru/births?lang=en").text
    for column in KINDS["births"].columns:
        assert (f'name="{column}"' in html) == (column != "ref"), column  # a new record's ref is generated
    assert '<select id="child_sex" name="child_sex" required aria-required="true"' in html
    assert 'type="date" id="born_on"' in html and 'type="time" id="born_at_time"' in html
    assert 'min="300"' in html and 'max="7000"' in html  # birth_weight_g's bounds
    assert 'data-nik-url="/kerja/nik?lang=en"' in html and 'id="nik-check-child_nik"' in html
    assert "Kemendagri region code" in html  # help for region fields
    queue = client.get("/kerja").text
    assert 'data-record-link="births"' in queue and 'data-record-link="relinquishments"' not in queue


def test_a_birth_is_recorded_and_read_on_the_childs_timeline(
    workbench: Workbench, with_passwords: WorkbenchRegistry
) -> None:
    births, people = _count(with_passwords, Birth), _count(with_passwords, Person)
    client = _officer(workbench, "facility-semarang")
    born = TODAY - timedelta(days=2)
    fields = {
        **_birth_fields(_a_mother(with_passwords), born, "Annisa Rahmawati"),
        "child_nik": _nik(born, "M"),
    }
    answer = _post(client, "births", fields)
    assert answer.status_code == 303, answer.text
    # the NIK encodes a boy, the record says a girl: accepted, and the warning is carried to the page
    assert answer.headers["location"].startswith("/kerja/people/P-")
    assert "saved=births" in answer.headers["location"] and "nik_sex_differs" in answer.headers["location"]
    timeline = client.get(answer.headers["location"]).text
    assert "data-saved" in timeline and "data-warning" in timeline
    assert 'data-kind="birth"' in timeline and "Annisa Rahmawati" in timeline
    assert (_count(with_passwords, Birth), _count(with_passwords, Person)) == (births + 1, people + 1)


def test_an_invalid_birth_is_refused_at_its_fields_and_nothing_is_written(
    workbench: Workbench, with_passwords: WorkbenchRegistry
) -> None:
    births, people = _count(with_passwords, Birth), _count(with_passwords, Person)
    client = _officer(workbench, "facility-semarang")
    fields = {
        **_birth_fields(_a_mother(with_passwords), TODAY - timedelta(days=1), "Dewi Kartika"),
        "child_nik": "3374014101990000",  # serial 0000 is never issued
        "born_on": (TODAY + timedelta(days=30)).isoformat(),
    }
    answer = _post(client, "births", fields)
    assert answer.status_code == 422
    html = answer.text
    assert 'data-error="child_nik"' in html and 'data-error="born_on"' in html and 'data-error="form"' in html
    assert 'value="Dewi Kartika"' in html  # the officer's input is kept
    assert 'data-nik-check="invalid"' in html  # the NIK message, without JavaScript too
    refused = _post(
        client,
        "births",
        {**fields, "born_on": TODAY.isoformat(), "child_nik": "", "mother_ref": "P-TIDAKADA"},
    )
    assert refused.status_code == 422 and 'data-error="mother_ref"' in refused.text  # the use case's refusal
    assert (_count(with_passwords, Birth), _count(with_passwords, Person)) == (births, people)


def test_a_likely_duplicate_birth_is_shown_and_created_only_once_confirmed(
    workbench: Workbench, with_passwords: WorkbenchRegistry
) -> None:
    client = _officer(workbench, "facility-semarang")
    born = TODAY - timedelta(days=20)
    fields = _birth_fields(_a_mother(with_passwords, 1), born, "Bayu Saputra", sex="M")
    assert _post(client, "births", fields).status_code == 303
    births = _count(with_passwords, Birth)
    again = _post(client, "births", {**fields, "child_name": "Bayoe Saputra"})  # the same mother and day
    assert again.status_code == 409
    html = again.text
    assert 'data-matched="mother_and_birth_date"' in html and 'href="/kerja/people/P-' in html
    assert _count(with_passwords, Birth) == births
    listed = _query(
        with_passwords,
        select(AuditEntry.resource).where(AuditEntry.reason == PURPOSE, AuditEntry.action == "list"),
    )
    assert ("births",) in listed  # the candidates were read for the task's purpose
    confirmation = html.split('name="confirm_new" value="')[1].split('"')[0]
    twin = _post(client, "births", {**fields, "child_name": "Bayoe Saputra", "confirm_new": confirmation})
    assert twin.status_code == 303 and _count(with_passwords, Birth) == births + 1


def test_a_person_with_a_known_nik_is_confirmed_first(
    workbench: Workbench, with_passwords: WorkbenchRegistry
) -> None:
    [(nik, name, born)] = _query(
        with_passwords,
        select(Person.nik, Person.full_name, Person.birth_date)
        .where(Person.nik.is_not(None), Person.region_code.startswith("33"), Person.source_kind != "police")
        .limit(1),
    )
    client = _officer(workbench, "police")
    fields = {
        "source_kind": "police",
        "full_name": name,
        "nik": nik,
        "birth_date": born.isoformat(),
        "region_code": "33",
    }
    first = _post(client, "people", fields)
    assert first.status_code == 409 and 'data-matched="nik"' in first.text
    people = _count(with_passwords, Person)
    confirmation = first.text.split('name="confirm_new" value="')[1].split('"')[0]
    created = _post(client, "people", {**fields, "confirm_new": confirmation})
    assert created.status_code == 303 and _count(with_passwords, Person) == people + 1
    assert 'data-kind="person"' in client.get(created.headers["location"]).text


def test_a_civil_registration_then_a_certificate_and_its_pdf(
    workbench: Workbench, with_passwords: WorkbenchRegistry
) -> None:
    birth, child, _mother = _record_birth(workbench, with_passwords, 1)
    registrar = _officer(workbench, "registrar-semarang")
    timeline = registrar.get(f"/kerja/people/{child}").text
    assert f'href="/kerja/baru/birth-registrations/{birth}"' in timeline
    form = registrar.get(f"/kerja/baru/birth-registrations/{birth}").text
    assert f'value="{birth}"' in form  # the birth comes filled in from the timeline's link
    akta = f"3374-LU-{birth[-6:]}"
    registered = _post(
        registrar,
        "birth-registrations",
        {"birth_ref": birth, "akta_number": akta, "registered_on": TODAY.isoformat()},
    )
    assert registered.status_code == 303 and registered.headers["location"].startswith(
        f"/kerja/people/{child}"
    )
    assert _query(with_passwords, select(Birth.akta_number).where(Birth.ref == birth)) == [(akta,)]
    timeline = registrar.get(f"/kerja/people/{child}").text
    assert f'data-issue-certificate="{birth}"' in timeline
    issued = _post(registrar, "certificates", {"kind": "birth", "subject_ref": birth})
    assert issued.status_code == 303 and "saved=certificates" in issued.headers["location"]
    timeline = registrar.get(issued.headers["location"]).text
    certificate = timeline.split('data-certificate-pdf="')[1].split('"')[0]
    pdf = registrar.get(f"/kerja/certificates/{certificate}/pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert pdf.headers["content-type"] == "application/pdf" and pdf.headers["cache-control"] == "no-store"
    assert pdf.headers["content-disposition"] == f'attachment; filename="{certificate}.pdf"'
    audited = _query(
        with_passwords,
        select(AuditEntry.resource).where(
            AuditEntry.reason == PURPOSE, AuditEntry.channel.like("%certificates%pdf")
        ),
    )
    assert audited == [("certificates",)]
    outsider = _officer(workbench, "police-bali")
    assert outsider.get(f"/kerja/certificates/{certificate}/pdf").status_code == 403
    facility = _officer(workbench, "facility-semarang")
    assert facility.get(f"/kerja/certificates/{certificate}/pdf").status_code == 403


def test_a_relinquishment_needs_its_counselling_accounted_for(
    workbench: Workbench, with_passwords: WorkbenchRegistry
) -> None:
    _birth, child, mother = _record_birth(workbench, with_passwords, 2)
    before = _count(with_passwords, Relinquishment)
    social = _officer(workbench, "social-jateng")
    fields = {
        "mother_ref": mother,
        "child_ref": child,
        "occurred_on": TODAY.isoformat(),
        "region_code": "33.74",
    }
    refused = _post(social, "relinquishments", fields)
    assert refused.status_code == 422 and 'data-error="counselling_record"' in refused.text
    assert _count(with_passwords, Relinquishment) == before
    given = _post(social, "relinquishments", {**fields, "no_counselling": "1"})
    assert given.status_code == 303 and "no_counselling" in given.headers["location"]
    assert "soon_after_birth" in given.headers["location"]
    page = social.get(given.headers["location"]).text
    assert page.count("data-warning") >= 3 and 'data-kind="relinquishment"' in page
    assert _count(with_passwords, Relinquishment) == before + 1


def test_a_placement_and_a_missing_child_report(
    workbench: Workbench, with_passwords: WorkbenchRegistry
) -> None:
    _birth, child, _mother = _record_birth(workbench, with_passwords, 3)
    [(institution,)] = _query(
        with_passwords, select(Institution.ref).where(Institution.region_code.startswith("33")).limit(1)
    )
    placements, reports = _count(with_passwords, Placement), _count(with_passwords, MissingReport)
    social = _officer(workbench, "social-jateng")
    fields = {
        "child_ref": child,
        "kind": "institution",
        "institution_ref": institution,
        "from_date": TODAY.isoformat(),
        "region_code": "33.74",
    }
    unnamed = _post(social, "placements", {**fields, "institution_ref": ""})  # a rule across fields
    assert unnamed.status_code == 422 and 'data-error="institution_ref"' in unnamed.text
    placed = _post(social, "placements", fields)
    assert (
        placed.status_code == 303 and 'data-kind="placement"' in social.get(placed.headers["location"]).text
    )
    police = _officer(workbench, "police")
    report = {
        "child_ref": child,
        "police_unit": "Unit PPA Polrestabes Semarang",
        "last_seen_on": TODAY.isoformat(),
        "last_seen_region_code": "33.74",
    }
    filed = _post(police, "missing-reports", report)
    assert (
        filed.status_code == 303
        and 'data-kind="missing_report"' in police.get(filed.headers["location"]).text
    )
    again = _post(police, "missing-reports", report)
    assert again.status_code == 409 and 'data-matched="open_report"' in again.text  # confirmed first
    assert (_count(with_passwords, Placement), _count(with_passwords, MissingReport)) == (
        placements + 1,
        reports + 1,
    )


def test_a_licence_change(workbench: Workbench, with_passwords: WorkbenchRegistry) -> None:
    [(institution,)] = _query(
        with_passwords,
        select(Institution.ref)
        .where(Institution.licence_number.is_not(None), Institution.region_code.startswith("33"))
        .limit(1),
    )
    social = _officer(workbench, "social-jateng")
    changed = _post(social, "licences", {"institution_ref": institution, "licence_status": "suspended"})
    assert changed.status_code == 303 and changed.headers["location"].startswith(
        f"/kerja/baru/licences/{institution}"
    )
    assert "data-saved" in social.get(changed.headers["location"]).text
    assert _query(
        with_passwords, select(Institution.licence_status).where(Institution.ref == institution)
    ) == [("suspended",)]
    unknown = _post(social, "licences", {"institution_ref": "I-TIDAKADA", "licence_status": "revoked"})
    assert unknown.status_code == 404 and 'data-error="form"' in unknown.text


def test_roles_regions_and_forged_forms_are_refused(
    workbench: Workbench, with_passwords: WorkbenchRegistry
) -> None:
    births = _count(with_passwords, Birth)
    facility = _officer(workbench, "facility-semarang")
    assert facility.get("/kerja/baru/relinquishments").status_code == 403
    police = _officer(workbench, "police")
    fields = _birth_fields(_a_mother(with_passwords, 5), TODAY - timedelta(days=4), "Rina Wulandari")
    assert _post(police, "births", fields).status_code == 403  # the role may not record births
    outside = _post(facility, "births", {**fields, "place_region_code": "33.01"})  # Cilacap, not Semarang
    assert outside.status_code == 403 and 'data-error="form"' in outside.text and "33.01" in outside.text
    forged = _post(facility, "births", fields, csrf=False)
    assert forged.status_code == 403 and 'data-status="403"' in forged.text
    assert _count(with_passwords, Birth) == births
    assert facility.get("/kerja/baru/tidak-ada").status_code == 404


def test_the_nik_is_checked_as_it_is_typed(workbench: Workbench) -> None:
    client = _officer(workbench, "facility-semarang")
    born = TODAY - timedelta(days=5)
    csrf = csrf_of(client.get("/kerja").text)

    def check(nik: str, sex: str, *, token: str = csrf, lang: str = "") -> Any:
        fields = {
            "csrf": token,
            "nik_field": "child_nik",
            "child_nik": nik,
            "born_on": born.isoformat(),
            "child_sex": sex,
        }
        return client.post(f"/kerja/nik{lang}", data=fields, headers={"Origin": ORIGIN, "HX-Request": "true"})

    valid = check(_nik(born, "F"), "F")
    assert valid.status_code == 200 and 'data-nik-check="valid"' in valid.text and "NIK sah" in valid.text
    assert "<html" not in valid.text  # a fragment, swapped in under the field
    assert 'data-nik-check="inconsistent"' in check(_nik(born, "M"), "F").text
    invalid = check("33740112", "F", lang="?lang=en")
    assert 'data-nik-check="invalid"' in invalid.text and "has 8 digits, expected 16" in invalid.text
    assert check(_nik(born, "F"), "F", token="").status_code == 403


def test_an_adoption_case_is_opened_on_its_case_page(
    workbench: Workbench, with_passwords: WorkbenchRegistry
) -> None:
    _birth, child, _mother = _record_birth(workbench, with_passwords, 4)
    adopter = _a_mother(with_passwords, 30)
    court = _officer(workbench, "court-semarang")  # may write adoption steps, but not open a case
    assert 'data-record-link="adoption-cases"' not in court.get("/kerja").text
    social = _officer(workbench, "social-jateng")
    form = social.get(f"/kerja/baru/adoption-cases/{child}").text
    assert f'value="{child}"' in form and 'name="documents"' in form
    fields = {
        "child_ref": child,
        "kind": "domestic",
        "adopter_ref": adopter,
        "applied_on": TODAY.isoformat(),
        "documents": "application=APP/2026/77",
        "region_code": "33.74",
    }
    opened = _post(social, "adoption-cases", fields)
    assert opened.status_code == 303 and opened.headers["location"].startswith("/kerja/adoption-cases/")
    case = social.get(opened.headers["location"]).text
    assert "data-saved" in case and 'data-step="application" data-state="done"' in case
