"""The ledger status screen for auditors: the log's size, the events waiting, the latest checkpoint and
who signed it; 403 for officers without the audit right."""

from __future__ import annotations

from collections.abc import Callable

from fastapi.testclient import TestClient
from sqlalchemy import func, select

from jaga.db import EventRecord, create_engine_for
from jaga.sequencer.models import LedgerState
from tests.synthetic_registry import PIPELINE_ORIGIN
from tests.workbench.conftest import WorkbenchRegistry, log_in

Workbench = Callable[[], TestClient]


def test_an_auditor_sees_the_log_the_waiting_events_and_the_signers(
    workbench: Workbench, with_passwords: WorkbenchRegistry
) -> None:
    engine = create_engine_for(with_passwords.url)
    with engine.connect() as connection:
        size = connection.execute(select(LedgerState.size)).scalar_one()
        events = connection.execute(select(func.count()).select_from(EventRecord)).scalar_one()
    engine.dispose()
    client = workbench()
    log_in(client, "auditor")
    page = client.get("/kerja/ledger")
    assert page.status_code == 200
    assert f"data-log-size>{size}<" in page.text
    assert f"data-waiting>{events - size}<" in page.text and events > size  # the passwords set since
    assert PIPELINE_ORIGIN in page.text.split("data-signers>")[1].split("<")[0]


def test_officers_without_the_audit_right_are_refused(workbench: Workbench) -> None:
    client = workbench()
    log_in(client, "police")
    assert client.get("/kerja/ledger").status_code == 403
