"""`jaga bench field`: field events through `jaga field sync` over loopback, against the plain import
path in the same run, and the device's own cost of signing and chaining.

On a throwaway SQLite registry (one copy per path, from the same template): N mothers' records are
recorded on a field node (validated by the registry's schema, signed, chained) and synced over HTTP to
the real application served on a loopback port; the same N rows as a CSV go through `jaga import`'s
path into the other copy. On the device, recording is set against schema validation alone, so the
difference is what the signatures and the chain cost.
"""

from __future__ import annotations

import csv
import os
import shutil
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from rich.table import Table

from jaga.access import OPERATOR, Role, TokenHasher, authenticate, create_principal
from jaga.bench.server import served
from jaga.cli_support import make_console
from jaga.db import UnitOfWork, create_engine_for, session_factory
from jaga.field import enrol_device, init_node, open_node
from jaga.field.node import VKEY_FILE, record, sync, validate_rows
from jaga.field.transport import http_transport
from jaga.regions import upgrade_and_seed
from jaga.registry import KINDS, FileFormat, run_import
from jaga.settings import Settings

console = make_console()
OFFICER = "bench.bidan"


def _rows(count: int) -> list[dict[str, Any]]:
    rows = []
    for n in range(count):
        born = date(1980, 1, 1) + timedelta(days=n % 7000)
        district = ("337401", "337402", "337403", "337404")[(n // 9999) % 4]
        nik = f"{district}{born.day + 40:02d}{born.month:02d}{born.year % 100:02d}{n % 9999 + 1:04d}"
        rows.append({
            "ref": f"FB-{n:07d}", "source_kind": "facility", "full_name": "Siti Aminah", "nik": nik,
            "sex": "F", "birth_date": born.isoformat(), "region_code": "3374",
        })  # fmt: skip
    return rows


def _registry(folder: Path) -> tuple[str, dict[str, str]]:
    url = f"sqlite:///{folder / 'template.db'}"
    engine = create_engine_for(url)
    upgrade_and_seed(engine)
    tokens = {}
    for username, role in (("bench.admin", Role.ADMIN), (OFFICER, Role.FACILITY)):
        with UnitOfWork(session_factory(engine)) as uow:
            tokens[username] = create_principal(
                uow, TokenHasher(), actor=OPERATOR, username=username, role=role, region_scope="3374"
            ).token
    engine.dispose()
    return url, tokens


def _copy(folder: Path, name: str) -> str:
    shutil.copyfile(folder / "template.db", folder / name)
    return f"sqlite:///{folder / name}"


def run(*, records: int, chunk: int) -> dict[str, float]:
    with tempfile.TemporaryDirectory(prefix="jaga-bench-field-") as scratch:
        folder = Path(scratch)
        _, tokens = _registry(folder)
        rows = _rows(records)
        now = datetime.now(UTC)

        # The device: schema validation alone, then validation + signing + chaining + the outbox.
        node_dir = folder / "node"
        init_node(node_dir, server="http://127.0.0.1", office="PKM-BENCH", officer=OFFICER)
        node = open_node(node_dir)
        started = time.perf_counter()
        validate_rows("people", rows, today=now.date(), from_file=False)
        validate_seconds = time.perf_counter() - started
        started = time.perf_counter()
        record(node, "people", rows, officer=OFFICER, now=now, from_file=False)
        record_seconds = time.perf_counter() - started

        # Sync over loopback to the served application.
        sync_url = _copy(folder, "sync.db")
        engine = create_engine_for(sync_url)
        sessions = session_factory(engine)
        with sessions() as session:
            admin = authenticate(session, TokenHasher(), tokens["bench.admin"])
        with UnitOfWork(sessions) as uow:
            vkey = (node_dir / VKEY_FILE).read_text()
            enrol_device(uow, actor=admin, vkey=vkey, office="PKM-BENCH", reason="benchmark", region="3374")
        engine.dispose()
        settings = Settings(database_url=sync_url, environment="test", data_dir=folder / "data")
        with served(settings) as port:
            transport = http_transport(f"http://127.0.0.1:{port}", tokens[OFFICER], timeout=600, deadline=600)
            started = time.perf_counter()
            summary = sync(node, transport, now=now, chunk=chunk)
            sync_seconds = time.perf_counter() - started
        node.close()
        if summary.stopped or summary.sent != records:
            raise RuntimeError(f"the sync did not complete: {summary}")

        # The plain import path, same rows, same registry template, in this run.
        import_url = _copy(folder, "import.db")
        path = folder / "people.csv"
        with path.open("w", newline="", encoding="utf-8") as handle:
            writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
            writer.writeheader()
            writer.writerows(rows)
        engine = create_engine_for(import_url)
        with session_factory(engine)() as session:
            officer = authenticate(session, TokenHasher(), tokens[OFFICER])
        started = time.perf_counter()
        run_import(
            session_factory(engine), actor=officer, kind=KINDS["people"], path=path, fmt=FileFormat.CSV,
            report_path=None,
        )  # fmt: skip
        import_seconds = time.perf_counter() - started
        engine.dispose()

    figures = {
        "records": float(records),
        "device_validate_per_s": records / validate_seconds,
        "device_record_per_s": records / record_seconds,
        "sync_per_s": records / sync_seconds,
        "import_per_s": records / import_seconds,
    }
    table = Table("path", "records/s", "ratio", title=f"jaga bench field: {records} records, chunk {chunk}")
    table.add_row(
        "device: schema validation only", f"{figures['device_validate_per_s']:,.0f}", "1.00 (reference)"
    )
    table.add_row(
        "device: validate + sign + chain + outbox",
        f"{figures['device_record_per_s']:,.0f}",
        f"{validate_seconds / record_seconds:.2f}",
    )
    table.add_row("server: jaga import (plain path)", f"{figures['import_per_s']:,.0f}", "1.00 (reference)")
    table.add_row(
        "server: jaga field sync over loopback",
        f"{figures['sync_per_s']:,.0f}",
        f"{import_seconds / sync_seconds:.2f}",
    )
    console.print(table)
    console.print(
        f"load average {os.getloadavg()[0]:.2f} (figures are inflated by other load; compare ratios)"
    )
    return figures
