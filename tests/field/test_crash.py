"""kill -9 of the server in the middle of a field import loses nothing and writes nothing twice: the
batch is one transaction, so after the kill the device's events are all there or none, and sending the
same batch again ends with every record exactly once and the chain head where it should be."""

from __future__ import annotations

import signal
import time
from pathlib import Path

import pytest
from sqlalchemy import func, select

from jaga.db import create_engine_for
from jaga.field import FieldDevice, FieldEvent, Node
from jaga.field.node import export_batch, record
from jaga.registry import Person
from tests.cli_helpers import jaga, jaga_process
from tests.conftest import PreparedDatabase
from tests.field.conftest import COURIER, NOW, OFFICER, mother_row
from tests.registry.importers.test_crash import _writing

pytestmark = pytest.mark.slow  # kills real import processes
EVENTS = 6000  # enough that applying them outlasts the wait below on a quiet machine too


def _state(url: str, device: str) -> tuple[int, int, int]:
    engine = create_engine_for(url)
    try:
        with engine.connect() as connection:
            received = connection.execute(
                select(func.count()).select_from(FieldEvent).where(FieldEvent.device_id == device)
            ).scalar_one()
            people = connection.execute(
                select(func.count()).select_from(Person).where(Person.source_kind == "facility")
            ).scalar_one()
            head = connection.execute(
                select(FieldDevice.last_seq).where(FieldDevice.device_id == device)
            ).scalar_one()
            return int(received), int(people), int(head)
    finally:
        engine.dispose()


def test_a_kill_during_a_field_import_loses_nothing(
    database: PreparedDatabase, throwaway_url: str, node: Node, tmp_path: Path
) -> None:
    url = throwaway_url
    enrolled = jaga(url, "field", "enrol", "--device-vkey", str(node.folder / "device.vkey"), "--office", "PKM",
                    "--reason", "outreach", "--region", "3374", token=database.tokens["admin"])  # fmt: skip
    assert enrolled.exit_code == 0, enrolled.output
    rows = [mother_row(serial=n) for n in range(1, EVENTS + 1)]
    record(node, "people", rows, officer=OFFICER, now=NOW, from_file=False)
    batch = tmp_path / "batch.jaga"
    export_batch(node, batch, now=NOW)
    process = jaga_process(url, "field", "import", str(batch), token=database.tokens[COURIER])
    deadline = time.monotonic() + 120
    # Kill inside the import's own transaction (which applies EVENTS records), not the login's short one:
    # wait until a write transaction is open at least 0.3 s after the first write was seen. (A fixed sleep
    # could land between the two, while the batch's signatures are checked, or after a quick commit.)
    first_write: float | None = None
    while process.poll() is None and time.monotonic() < deadline:
        if _writing(url):
            first_write = first_write or time.monotonic()
            if time.monotonic() - first_write >= 0.3:
                break
        time.sleep(0.02)
    killed = process.poll() is None and _writing(url)
    if killed:
        process.send_signal(signal.SIGKILL)
    _, stderr = process.communicate()  # reaps it and closes its pipes
    assert killed, "the import ended before it could be killed: " + stderr
    after_kill = _state(url, node.info.device)
    assert after_kill == (0, 0, 0), after_kill
    again = jaga(url, "field", "import", str(batch), token=database.tokens[COURIER])
    assert again.exit_code == 0, again.output
    assert _state(url, node.info.device) == (EVENTS, EVENTS, EVENTS)
    assert f"{EVENTS} applied" in again.output  # the kill left nothing half-written
