"""The child timeline: one person's story across agencies, scoped, audited with the task's purpose."""

from __future__ import annotations

from collections.abc import Callable

from fastapi.testclient import TestClient
from sqlalchemy import func, select

from jaga.access.models import AuditEntry
from jaga.db import create_engine_for
from tests.served_registry import child_given_up_and_placed
from tests.workbench.conftest import ORIGIN, WorkbenchRegistry, csrf_of, log_in

Workbench = Callable[[], TestClient]


def _with_purpose(client: TestClient, purpose: str = "perkara 3/PID/2026") -> None:
    csrf = csrf_of(client.get("/kerja").text)
    client.post("/kerja/tujuan", data={"csrf": csrf, "purpose": purpose}, headers={"Origin": ORIGIN})


def test_the_timeline_asks_for_a_purpose_first(
    workbench: Workbench, with_passwords: WorkbenchRegistry
) -> None:
    client = workbench()
    log_in(client, "police")
    ref = child_given_up_and_placed(with_passwords.url)
    answer = client.get(f"/kerja/people/{ref}")
    assert (
        answer.status_code == 200
        and "data-purpose-form" in answer.text
        and "data-record-ref" not in answer.text
    )
    csrf = csrf_of(answer.text)
    back = client.post(
        "/kerja/tujuan",
        data={"csrf": csrf, "purpose": "perkara 3/PID/2026", "back": f"/kerja/people/{ref}"},
        headers={"Origin": ORIGIN},
    )
    assert back.status_code == 303 and back.headers["location"] == f"/kerja/people/{ref}"


def test_the_timeline_joins_at_least_three_agencies_and_is_audited(
    workbench: Workbench, with_passwords: WorkbenchRegistry
) -> None:
    client = workbench()
    log_in(client, "police")
    _with_purpose(client)
    ref = child_given_up_and_placed(with_passwords.url)
    answer = client.get(f"/kerja/people/{ref}")
    assert answer.status_code == 200
    html = answer.text
    kinds = set(part.split('"')[0] for part in html.split('data-kind="')[1:])
    agencies = set(part.split('"')[0] for part in html.split('data-agency="')[1:])
    assert {"person", "relinquishment", "placement"} <= kinds
    assert len(agencies) >= 3, agencies
    assert 'data-in-log="yes"' in html  # the fixture integrated the log
    engine = create_engine_for(with_passwords.url)
    with engine.connect() as connection:
        audited = connection.execute(
            select(AuditEntry.resource, func.count())
            .where(AuditEntry.reason == "perkara 3/PID/2026", AuditEntry.channel.like("workbench%people%"))
            .group_by(AuditEntry.resource)
        ).all()
    engine.dispose()
    assert {"people", "relinquishments", "placements"} <= {row[0] for row in audited}


def test_a_person_outside_the_officers_region_is_refused(
    workbench: Workbench, with_passwords: WorkbenchRegistry
) -> None:
    client = workbench()
    log_in(client, "police-bali")  # scope 51; the synthetic province is 33
    _with_purpose(client)
    ref = child_given_up_and_placed(with_passwords.url)
    answer = client.get(f"/kerja/people/{ref}")
    assert answer.status_code == 403 and 'data-status="403"' in answer.text
    assert "data-record-ref" not in answer.text


def test_an_unknown_person_is_a_404_page(workbench: Workbench) -> None:
    client = workbench()
    log_in(client, "police")
    _with_purpose(client)
    answer = client.get("/kerja/people/P-TIDAKADA00")
    assert answer.status_code == 404 and 'data-status="404"' in answer.text
