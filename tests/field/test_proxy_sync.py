"""`jaga field sync` as a field office runs it, over a real bad link: the real server (`jaga serve`) behind
a TCP proxy that refuses connections, cuts requests, cuts answers after the server stored the batch and
goes silent past the client's timeout, at random (seeded). The real command line is run again and again
until it reports done; then every record is on the server exactly once, the device's chain head on the
server is its last event, and every outbox item is `sent`."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

from sqlalchemy import func, select

from jaga.db import create_engine_for
from jaga.field import FieldDevice, FieldEvent, Node
from jaga.field.node import record
from jaga.registry import Person
from tests.cli_helpers import jaga, jaga_process
from tests.conftest import PreparedDatabase
from tests.field.conftest import NOW, OFFICER, mother_row
from tests.field.net import FATES, ChaosProxy, JagaServer

RECORDS = 60
CHUNK = 7  # nine requests for the whole outbox
TIMEOUT = 2  # the client's --timeout; the proxy stalls longer than this


def enrol_over_cli(url: str, database: PreparedDatabase, node: Node) -> None:
    enrolled = jaga(url, "field", "enrol", "--device-vkey", str(node.folder / "device.vkey"), "--office",
                    "PKM-TUGU", "--reason", "outreach team", "--region", "3374",
                    token=database.tokens["admin"])  # fmt: skip
    assert enrolled.exit_code == 0, enrolled.output


def server_state(url: str, device: str) -> tuple[int, list[str], int]:
    """(field events held for the device, NIKs of the facility's people, the device's chain head)."""
    engine = create_engine_for(url)
    try:
        with engine.connect() as connection:
            received = connection.execute(
                select(func.count()).select_from(FieldEvent).where(FieldEvent.device_id == device)
            ).scalar_one()
            niks = connection.execute(select(Person.nik).where(Person.source_kind == "facility")).scalars()
            head = connection.execute(
                select(FieldDevice.last_seq).where(FieldDevice.device_id == device)
            ).scalar_one()
            return int(received), sorted(str(n) for n in niks), int(head)
    finally:
        engine.dispose()


def outbox_states(url: str, folder: Path) -> list[str]:
    listed = jaga(url, "field", "outbox", "--dir", str(folder), "--json")
    assert listed.exit_code == 0, listed.output
    return [str(item["state"]) for item in json.loads(listed.output)]


def run_sync(url: str, token: str, folder: Path, server: str) -> tuple[int, str]:
    """One real `jaga field sync` process; (exit code, its output). A hang fails the test (timeout)."""
    process = jaga_process(url, "field", "sync", "--dir", str(folder), "--server", server, "--chunk",
                           str(CHUNK), "--timeout", str(TIMEOUT), token=token,
                           data_dir=folder.parent)  # fmt: skip
    stdout, stderr = process.communicate(timeout=120)
    return process.returncode, stdout + stderr


def test_sync_through_a_proxy_that_cuts_connections_delivers_every_record_exactly_once(
    database: PreparedDatabase, throwaway_url: str, node: Node, tmp_path: Path
) -> None:
    url = throwaway_url
    enrol_over_cli(url, database, node)
    rows = [mother_row(serial=n) for n in range(1, RECORDS + 1)]
    for start in range(0, RECORDS, 20):  # three sittings
        record(node, "people", rows[start : start + 20], officer=OFFICER,
               now=NOW + timedelta(hours=start), from_file=False)  # fmt: skip
    weights = {"pass": 3, "refuse": 1, "cut-request": 1, "cut-answer": 2, "stall": 1}
    with (
        JagaServer(url, tmp_path) as server,
        ChaosProxy(server.port, seed=18, weights=weights, stall_seconds=TIMEOUT + 2) as proxy,
    ):
        outcomes: list[int] = []
        for _ in range(60):  # bounded: each round is one run of the command a field officer would type
            code, output = run_sync(url, database.tokens[OFFICER], node.folder, proxy.url)
            outcomes.append(code)
            # 7: the link failed, run again to resume. Anything else (a traceback is 1) is a bug.
            assert code in (0, 7), output
            if code == 0:
                break
    print(f"{len(outcomes)} runs of `jaga field sync`; connections: {dict(proxy.fates)}")  # for -rP
    assert outcomes[-1] == 0, f"not done after {len(outcomes)} runs"
    assert all(proxy.fates[fate] for fate in FATES), proxy.fates  # the link did fail in every way
    received, niks, head = server_state(url, node.info.device)
    assert received == RECORDS and head == RECORDS
    assert niks == sorted(r["nik"] for r in rows)  # each exactly once
    assert outbox_states(url, node.folder) == ["sent"] * RECORDS
