"""The workbench's search box: names (Indonesian normalisation), NIK, akta numbers and refs, in the
officer's region, asked for a purpose first and audited."""

from __future__ import annotations

from collections.abc import Callable

from fastapi.testclient import TestClient
from sqlalchemy import func, select

from jaga.access.models import AuditEntry
from jaga.db import create_engine_for
from jaga.registry import Birth, Person
from tests.workbench.conftest import ORIGIN, WorkbenchRegistry, csrf_of, log_in

Workbench = Callable[[], TestClient]


def _refs(html: str) -> list[str]:
    return [part.split('"')[0] for part in html.split('data-result-ref="')[1:]]


def _start(client: TestClient, username: str = "police") -> None:
    log_in(client, username)
    csrf = csrf_of(client.get("/kerja").text)
    client.post(
        "/kerja/tujuan", data={"csrf": csrf, "purpose": "pencarian LP/9/2026"}, headers={"Origin": ORIGIN}
    )


def test_search_by_name_nik_akta_and_ref_and_it_is_audited(
    workbench: Workbench, with_passwords: WorkbenchRegistry
) -> None:
    engine = create_engine_for(with_passwords.url)
    with engine.connect() as connection:
        person = connection.execute(
            select(Person.ref, Person.full_name, Person.nik).where(Person.nik.is_not(None)).limit(1)
        ).one()
        birth = connection.execute(
            select(Birth.ref, Birth.akta_number).where(Birth.akta_number.is_not(None)).limit(1)
        ).one()
        before = connection.execute(
            select(func.count())
            .select_from(AuditEntry)
            .where(AuditEntry.channel == "workbench GET /kerja/cari")
        ).scalar_one()
    client = workbench()
    _start(client)
    surname = person.full_name.split()[-1]
    by_name = client.get("/kerja/cari", params={"q": surname.upper()})  # case and spacing do not matter
    assert (by_name.status_code == 200 and person.ref in _refs(by_name.text)) or len(
        _refs(by_name.text)
    ) == 30
    assert person.ref in _refs(client.get("/kerja/cari", params={"q": person.nik}).text)
    assert person.ref in _refs(client.get("/kerja/cari", params={"q": person.ref}).text)
    assert birth.ref in _refs(client.get("/kerja/cari", params={"q": birth.akta_number}).text)
    assert client.get("/kerja/cari", params={"q": "ab"}).status_code == 422
    with engine.connect() as connection:
        after = connection.execute(
            select(func.count())
            .select_from(AuditEntry)
            .where(AuditEntry.channel == "workbench GET /kerja/cari")
        ).scalar_one()
        reasons = set(
            connection.execute(
                select(AuditEntry.reason).where(AuditEntry.channel == "workbench GET /kerja/cari")
            ).scalars()
        )
    engine.dispose()
    assert after > before and reasons == {"pencarian LP/9/2026"}


def test_search_stays_in_the_officers_region(workbench: Workbench, with_passwords: WorkbenchRegistry) -> None:
    engine = create_engine_for(with_passwords.url)
    with engine.connect() as connection:
        person = connection.execute(
            select(Person.ref, Person.nik)
            .where(Person.nik.is_not(None), Person.region_code.startswith("33"))
            .limit(1)
        ).one()
    engine.dispose()
    client = workbench()
    _start(client, "police-bali")
    answer = client.get("/kerja/cari", params={"q": person.nik})
    assert answer.status_code == 200 and _refs(answer.text) == [] and "data-empty" in answer.text


def test_a_search_asks_for_the_purpose_first(workbench: Workbench) -> None:
    client = workbench()
    log_in(client, "police")
    answer = client.get("/kerja/cari", params={"q": "Siti"})
    assert "data-purpose-form" in answer.text and "data-result-ref" not in answer.text
