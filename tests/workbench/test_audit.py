"""The audit screen: auditors see every read in their scope with unusual access marked; any other
officer sees their own reads, never anyone else's."""

from __future__ import annotations

from collections.abc import Callable

from fastapi.testclient import TestClient

from tests.workbench.conftest import ORIGIN, csrf_of, log_in

Workbench = Callable[[], TestClient]


def _read_flags_as(client: TestClient, username: str, purpose: str) -> None:
    log_in(client, username)
    csrf = csrf_of(client.get("/kerja").text)
    client.post("/kerja/tujuan", data={"csrf": csrf, "purpose": purpose}, headers={"Origin": ORIGIN})
    assert client.get("/kerja/flags?status=").status_code == 200


def test_an_auditor_sees_who_read_what_and_why(workbench: Workbench) -> None:
    _read_flags_as(workbench(), "police", "penyelidikan LP/77/2026")
    auditor = workbench()
    log_in(auditor, "auditor")
    page = auditor.get("/kerja/audit?username=police&resource=flags")
    assert page.status_code == 200
    entries = page.text.split("data-audit-entry=")[1:]
    assert entries and all("police" in e.split("</tr>")[0] for e in entries)
    assert "penyelidikan LP/77/2026" in page.text
    national = auditor.get("/kerja/audit")
    assert "data-audit-list" in national.text


def test_unusual_access_is_marked(workbench: Workbench) -> None:
    # The pipeline fixture's flag runs list flags of several provinces at once for national accounts; a
    # Bali account's read of a Central Java record is outside its region by definition.
    _read_flags_as(workbench(), "police", "telaah nasional")
    auditor = workbench()
    log_in(auditor, "auditor")
    unusual = auditor.get("/kerja/audit?unusual=true")
    rows = unusual.text.split("data-audit-entry=")[1:]
    assert rows and all("data-unusual=" in row.split(">")[0] for row in rows)


def test_an_officer_sees_only_their_own_reads(workbench: Workbench) -> None:
    _read_flags_as(workbench(), "police", "kasus milik polisi")
    social = workbench()
    _read_flags_as(social, "social_worker", "kasus milik peksos")
    own = social.get("/kerja/audit")
    assert own.status_code == 200 and "kasus milik peksos" in own.text
    assert "kasus milik polisi" not in own.text
    assert social.get("/kerja/audit?username=police").text.count("data-audit-entry=") == 0
