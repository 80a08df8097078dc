"""The ledger status screen for auditors: the log's size, the events waiting, the latest checkpoint and
who signed it, the last `jaga ledger audit` (never run, clean, failed after tampering, stale); 403 for
officers without the audit right."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from fastapi.testclient import TestClient
from sqlalchemy import func, select, text
from typer.testing import CliRunner, Result

from jaga.cli import app
from jaga.db import EventRecord, create_engine_for
from jaga.sequencer.models import LedgerState
from tests.conftest import FixedClock
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


def _audit(registry: WorkbenchRegistry, *args: str) -> Result:
    """`jaga ledger audit` as the operator runs it on the server (its database, its key folder)."""
    env = {
        "JAGA_DATABASE_URL": registry.url,
        "JAGA_LEDGER_KEY_DIR": str(registry.keys),
        "JAGA_LEDGER_ORIGIN": PIPELINE_ORIGIN,
    }
    return CliRunner().invoke(app, ["ledger", "audit", *args], env=env)


def _last_audit(client: TestClient) -> str:
    page = client.get("/kerja/ledger")
    assert page.status_code == 200
    return page.text.split("data-last-audit=")[1].split("</dl>")[0].split("</p>")[0]


def test_the_last_audit_is_shown_never_then_clean_then_failed_after_tampering_then_stale(
    workbench: Workbench, with_passwords: WorkbenchRegistry, wb_clock: FixedClock
) -> None:
    client = workbench()
    log_in(client, "auditor")
    assert _last_audit(client).startswith('"never"')

    clean = _audit(with_passwords, "--by", "audit-malam")
    assert clean.exit_code == 0, clean.output
    shown = _last_audit(client)
    assert shown.startswith('"clean"') and "data-audit-stale" not in shown
    assert "data-audit-by>audit-malam<" in shown

    engine = create_engine_for(with_passwords.url)
    with engine.begin() as connection:
        row_id, name = connection.execute(text("SELECT id, name FROM facilities ORDER BY id LIMIT 1")).one()
        connection.execute(text("UPDATE facilities SET name = 'Klinik Lain' WHERE id = :i"), {"i": row_id})
    try:
        tampered = _audit(with_passwords)
        assert tampered.exit_code == 1
        assert f"facilities#{row_id} differs from its last event" in tampered.output
    finally:
        with engine.begin() as connection:
            connection.execute(
                text("UPDATE facilities SET name = :n WHERE id = :i"), {"n": name, "i": row_id}
            )
        engine.dispose()
    shown = _last_audit(client)
    assert shown.startswith('"failed"') and "1 masalah" in shown  # the count, never the problem itself
    assert f"facilities#{row_id}" not in shown and "data-audit-by>" in shown

    wb_clock.now += timedelta(days=3)  # nobody audited since: the result is stale
    stale = workbench()
    log_in(stale, "auditor")
    assert "data-audit-stale" in _last_audit(stale)
