"""The workbench's field pages through a test client, on both databases, on a registry filled by `jaga
synth` (after the whole pipeline) into which two field devices sent, through the real commands, a person
whose NIK the civil registry holds under another name: two conflicts in the queue. The queue and its
filters, the diff with the legal-status fields marked, a decision each way with its reason, the devices
with enrol and revoke, and the role, region, purpose, audit and CSRF rules on every route."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from jaga.access import AuditEntry
from jaga.db import create_engine_for
from jaga.field import FieldConflict, FieldDevice, init_node
from jaga.field.node import VKEY_FILE
from jaga.registry import Person
from tests.field.conftest import field_conflict_in_registry
from tests.workbench.conftest import (  # noqa: F401 (fixtures)
    ORIGIN,
    WorkbenchRegistry,
    csrf_of,
    log_in,
    wb_clock,
    with_passwords,
    workbench,
    workbench_folder,
)

pytestmark = pytest.mark.slow
Workbench = Callable[[], TestClient]
PURPOSE = "pemeriksaan konflik lapangan mingguan"


@dataclass
class Held:
    url: str
    conflicts: list[int]  # two open nik-registered conflicts, from two devices
    devices: list[str]
    central_ref: str  # the civil registry's record holding the NIK


@pytest.fixture(scope="module")
def held(with_passwords: WorkbenchRegistry, tmp_path_factory: pytest.TempPathFactory) -> Held:  # noqa: F811
    url = with_passwords.url
    for _ in range(2):
        field_conflict_in_registry(url, with_passwords.tokens, tmp_path_factory.mktemp("field-pages"))
    engine = create_engine_for(url)
    with engine.connect() as connection:
        rows = connection.execute(
            select(FieldConflict.id, FieldConflict.device_id, FieldConflict.diff).order_by(FieldConflict.id)
        ).all()
        central = json.loads(rows[0].diff)[0]["central_ref"]
    engine.dispose()
    assert len(rows) == 2
    return Held(url, [r.id for r in rows], [r.device_id for r in rows], central)


def _start(workbench: Workbench, username: str, *, purpose: str | None = PURPOSE) -> TestClient:  # noqa: F811
    client = workbench()
    assert log_in(client, username).status_code == 303  # type: ignore[attr-defined]
    if purpose is not None:
        csrf = csrf_of(client.get("/kerja").text)
        done = client.post(
            "/kerja/tujuan", data={"csrf": csrf, "purpose": purpose}, headers={"Origin": ORIGIN}
        )
        assert done.status_code == 303
    return client


def _audits(url: str, channel: str) -> list[tuple[str, list[int]]]:
    engine = create_engine_for(url)
    with engine.connect() as connection:
        rows = connection.execute(
            select(AuditEntry.reason, AuditEntry.record_ids).where(AuditEntry.channel == channel)
        ).all()
    engine.dispose()
    return [(r.reason, json.loads(r.record_ids)) for r in rows]


def _conflict_rows(html: str) -> list[int]:
    return [int(found) for found in re.findall(r'<tr data-field-conflict="(\d+)"', html)]


def test_the_queue_lists_held_events_with_their_reason_audited_with_the_task_purpose(
    workbench: Workbench,  # noqa: F811
    held: Held,
) -> None:
    client = _start(workbench, "registrar")
    page = client.get("/kerja/field")
    assert page.status_code == 200, page.text
    assert page.headers["cache-control"] == "no-store"
    assert _conflict_rows(page.text) == held.conflicts
    assert "NIK ini sudah tercatat di data pusat" in page.text  # the reason, in Indonesian
    assert (
        'data-field-legal-differs="full_name"' in page.text
    )  # the name differs, and it is a legal-status field
    assert 'href="/kerja/field"' in page.text  # the navigation's entry for this role
    assert held.conflicts[0] in _audits(held.url, "workbench GET /kerja/field")[-1][1]
    assert {reason for reason, _ in _audits(held.url, "workbench GET /kerja/field")} == {PURPOSE}
    english = client.get("/kerja/field?lang=en")
    assert "the NIK is already registered centrally" in english.text and "Field conflicts" in english.text


def test_the_queue_filters_by_kind_office_device_and_status_and_refuses_bad_filters(
    workbench: Workbench,  # noqa: F811
    held: Held,
) -> None:
    client = _start(workbench, "social_worker")
    assert _conflict_rows(client.get("/kerja/field?kind=nik-registered").text) == held.conflicts
    assert _conflict_rows(client.get("/kerja/field?kind=content-mismatch").text) == []
    assert _conflict_rows(client.get(f"/kerja/field?device={held.devices[1]}").text) == held.conflicts[1:]
    assert _conflict_rows(client.get("/kerja/field?office=PKM-SYNTH").text) == held.conflicts
    assert _conflict_rows(client.get("/kerja/field?office=PKM-LAIN").text) == []
    assert _conflict_rows(client.get("/kerja/field?status=applied").text) == []
    for bad in ("kind=merged", "status=closed", "device=../etc", "office=" + "x" * 65):
        answer = client.get(f"/kerja/field?{bad}")
        assert answer.status_code == 422, bad
        assert "Traceback" not in answer.text


def test_without_a_purpose_nothing_is_read_and_the_officer_is_asked_for_one(
    workbench: Workbench,  # noqa: F811
    held: Held,
) -> None:
    before = len(_audits(held.url, "workbench GET /kerja/field/conflicts/{id}"))
    client = _start(workbench, "social_worker", purpose=None)
    for path in ("/kerja/field", f"/kerja/field/conflicts/{held.conflicts[0]}"):
        page = client.get(path)
        assert page.status_code == 200 and "data-purpose-form" in page.text
        assert "data-field-diff" not in page.text and "Nama Lapangan Berbeda" not in page.text
    assert len(_audits(held.url, "workbench GET /kerja/field/conflicts/{id}")) == before


def test_roles_and_regions_are_checked_on_every_route(
    workbench: Workbench,  # noqa: F811
    held: Held,
) -> None:
    first = held.conflicts[0]
    for username in ("facility", "admin", "police", "court"):
        client = _start(workbench, username)
        assert client.get("/kerja/field").status_code == 403, username
        assert client.get(f"/kerja/field/conflicts/{first}").status_code == 403, username
        assert 'href="/kerja/field"' not in client.get("/kerja").text, username
    semarang = _start(workbench, "registrar-semarang")  # Kota Semarang; the devices are the province's
    assert _conflict_rows(semarang.get("/kerja/field").text) == []
    assert semarang.get(f"/kerja/field/conflicts/{first}").status_code == 403
    auditor = _start(workbench, "auditor")  # reads the queue; decides nothing
    page = auditor.get(f"/kerja/field/conflicts/{first}")
    assert page.status_code == 200 and "data-field-resolve-form" not in page.text
    decided = auditor.post(
        f"/kerja/field/conflicts/{first}",
        data={"csrf": csrf_of(page.text), "decision": "dismiss", "reason": "oversight only"},
        headers={"Origin": ORIGIN},
    )
    assert decided.status_code == 403
    registrar = _start(workbench, "registrar")
    assert registrar.get("/kerja/field/conflicts/999999").status_code == 404
    assert registrar.get("/kerja/field/conflicts/0").status_code == 422
    assert registrar.get("/kerja/field/conflicts/nope").status_code == 422
    for path in ("/kerja/field/devices",):
        assert registrar.get(path).status_code == 403
    anonymous = workbench()
    assert anonymous.get("/kerja/field").status_code == 303  # to the login page


def test_the_diff_shows_each_field_and_marks_legal_status_and_the_read_is_audited(
    workbench: Workbench,  # noqa: F811
    held: Held,
) -> None:
    first = held.conflicts[0]
    client = _start(workbench, "social-jateng")
    page = client.get(f"/kerja/field/conflicts/{first}")
    assert page.status_code == 200, page.text
    html = page.text
    name_row = re.search(r'<tr data-field-diff="full_name"[^>]*>', html)
    assert name_row is not None
    assert 'data-field-differs="true"' in name_row.group(0) and 'data-field-legal="true"' in name_row.group(0)
    nik_row = re.search(r'<tr data-field-diff="nik"[^>]*>', html)
    assert nik_row is not None and 'data-field-differs="false"' in nik_row.group(0)
    assert "Nama Lapangan Berbeda" in html and held.central_ref in html
    assert "data-field-legal-notice" in html and "tidak pernah digabungkan secara otomatis" in html
    assert "data-field-apply" in html and "data-field-dismiss" in html
    audits = _audits(held.url, "workbench GET /kerja/field/conflicts/{id}")
    assert (PURPOSE, [first]) in audits
    english = client.get(f"/kerja/field/conflicts/{first}?lang=en")
    assert "never merged automatically" in english.text and "Full name" in english.text


def test_a_supervisor_decides_each_conflict_with_a_reason_and_the_central_record_is_untouched(
    workbench: Workbench,  # noqa: F811
    held: Held,
) -> None:
    first, second = held.conflicts
    client = _start(workbench, "social_worker")
    page = client.get(f"/kerja/field/conflicts/{first}")
    csrf = csrf_of(page.text)
    path = f"/kerja/field/conflicts/{first}"
    no_reason = client.post(
        path, data={"csrf": csrf, "decision": "apply", "reason": " "}, headers={"Origin": ORIGIN}
    )
    assert no_reason.status_code == 422 and 'data-error="resolve"' in no_reason.text
    assert "tuliskan alasan keputusan" in no_reason.text
    no_choice = client.post(
        path, data={"csrf": csrf, "decision": "merge", "reason": "checked"}, headers={"Origin": ORIGIN}
    )
    assert no_choice.status_code == 422 and 'data-field-status="open"' in no_choice.text
    forged = client.post(
        path,
        data={"csrf": "0" * 32, "decision": "dismiss", "reason": "checked KK"},
        headers={"Origin": ORIGIN},
    )
    assert forged.status_code == 403
    elsewhere = client.post(
        path,
        data={"csrf": csrf, "decision": "dismiss", "reason": "checked KK"},
        headers={"Origin": "https://evil.example"},
    )
    assert elsewhere.status_code == 403
    dismissed = client.post(
        path,
        data={"csrf": csrf, "decision": "dismiss", "reason": "same child, KK checked"},
        headers={"Origin": ORIGIN},
    )
    assert dismissed.status_code == 303 and dismissed.headers["location"] == path
    shown = client.get(path).text
    assert 'data-field-status="dismissed"' in shown and "same child, KK checked" in shown
    assert "data-field-resolve-form" not in shown
    again = client.post(
        path, data={"csrf": csrf, "decision": "apply", "reason": "second look"}, headers={"Origin": ORIGIN}
    )
    assert again.status_code == 409 and "sudah" in again.text  # shown on the page, in Indonesian
    applied = client.post(
        f"/kerja/field/conflicts/{second}?lang=en",
        data={"csrf": csrf, "decision": "apply", "reason": "a different child; NIK typed wrongly centrally"},
        headers={"Origin": ORIGIN},
    )
    assert applied.status_code == 303 and applied.headers["location"].endswith("?lang=en")
    shown = client.get(f"/kerja/field/conflicts/{second}").text
    ref = re.search(r'data-field-record="([^"]+)"', shown)
    assert 'data-field-status="applied"' in shown and ref is not None
    engine = create_engine_for(held.url)
    with engine.connect() as connection:
        names = dict(
            connection.execute(
                select(Person.ref, Person.full_name).where(Person.ref.in_([held.central_ref, ref.group(1)]))
            ).all()
        )
    engine.dispose()
    assert names[ref.group(1)] == "Nama Lapangan Berbeda"  # written beside the central record
    assert names[held.central_ref] != "Nama Lapangan Berbeda"  # which nothing merged into
    filtered = client.get("/kerja/field?status=all").text
    assert _conflict_rows(filtered) == held.conflicts


def test_an_admin_sees_enrols_and_revokes_devices_with_reasons(
    workbench: Workbench,  # noqa: F811
    held: Held,
    tmp_path: Path,
) -> None:
    admin = _start(workbench, "admin", purpose=None)  # no child's record here: no purpose needed
    page = admin.get("/kerja/field/devices")
    assert page.status_code == 200, page.text
    for device in held.devices:
        row = re.search(rf'<tr id="device-{re.escape(device)}"[^>]*>', page.text)
        assert row is not None and 'data-field-revoked="false"' in row.group(0)
        assert 'data-field-last-seq="1"' in row.group(0)
    assert "synthetic outreach team" in page.text and 'href="/kerja/field/devices"' in page.text
    assert 'href="/kerja/field"' not in page.text  # admins read no child's record
    csrf = csrf_of(page.text)
    init_node(tmp_path / "node", server="https://jaga.test", office="PKM-BARU", officer="facility")
    vkey = (tmp_path / "node" / VKEY_FILE).read_text()
    form = {
        "csrf": csrf,
        "vkey": vkey,
        "office": "PKM-BARU",
        "region": "33.74",
        "reason": "new outreach team",
    }
    bad_key = admin.post(
        "/kerja/field/devices", data={**form, "vkey": "not a key"}, headers={"Origin": ORIGIN}
    )
    assert bad_key.status_code == 422 and 'data-error="enrol"' in bad_key.text
    assert "PKM-BARU" in bad_key.text  # what was typed is kept
    national = admin.post("/kerja/field/devices", data={**form, "region": ""}, headers={"Origin": ORIGIN})
    assert national.status_code == 422 and "mencakup seluruh negeri" in national.text
    short = admin.post("/kerja/field/devices", data={**form, "reason": "x"}, headers={"Origin": ORIGIN})
    assert short.status_code == 422 and 'data-error="enrol"' in short.text
    nowhere = admin.post("/kerja/field/devices", data={**form, "region": "99.99"}, headers={"Origin": ORIGIN})
    assert nowhere.status_code in (404, 422) and "Traceback" not in nowhere.text
    enrolled = admin.post("/kerja/field/devices", data=form, headers={"Origin": ORIGIN})
    assert enrolled.status_code == 303, enrolled.text
    device = enrolled.headers["location"].split("#device-")[1]
    twice = admin.post("/kerja/field/devices", data=form, headers={"Origin": ORIGIN})
    assert twice.status_code == 409 and 'data-error="enrol"' in twice.text
    bali = _start(workbench, "admin-bali", purpose=None)
    assert 'data-field-device="' not in bali.get("/kerja/field/devices").text  # none in Bali
    outside = bali.post(
        "/kerja/field/devices/" + device + "/revoke",
        data={"csrf": csrf_of(bali.get("/kerja/field/devices").text), "reason": "not ours"},
        headers={"Origin": ORIGIN},
    )
    assert outside.status_code == 403
    revoke = f"/kerja/field/devices/{device}/revoke"
    unreasoned = admin.post(revoke, data={"csrf": csrf, "reason": ""}, headers={"Origin": ORIGIN})
    assert unreasoned.status_code == 422 and 'data-error="revoke"' in unreasoned.text
    assert admin.post(revoke, data={"reason": "lost phone"}, headers={"Origin": ORIGIN}).status_code == 403
    assert (
        admin.post(
            "/kerja/field/devices/FD-NONE/revoke",
            data={"csrf": csrf, "reason": "lost phone"},
            headers={"Origin": ORIGIN},
        ).status_code
        == 404
    )
    assert admin.post(
        "/kerja/field/devices/..%2Fx/revoke",
        data={"csrf": csrf, "reason": "lost phone"},
        headers={"Origin": ORIGIN},
    ).status_code in (404, 422)
    revoked = admin.post(
        revoke, data={"csrf": csrf, "reason": "phone lost on the ferry"}, headers={"Origin": ORIGIN}
    )
    assert revoked.status_code == 303
    shown = admin.get("/kerja/field/devices").text
    row = re.search(rf'<tr id="device-{re.escape(device)}"[^>]*>', shown)
    assert row is not None and 'data-field-revoked="true"' in row.group(0)
    assert "phone lost on the ferry" in shown and f'data-field-revoke-form="{device}"' not in shown
    engine = create_engine_for(held.url)
    with engine.connect() as connection:
        stored = connection.execute(select(FieldDevice).where(FieldDevice.device_id == device)).one()
    engine.dispose()
    assert stored.revoke_reason == "phone lost on the ferry" and stored.region_code == "3374"
