"""How fast committed events enter the log from the database (the sequencer), on SQLite and PostgreSQL."""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

from rich.table import Table

from jaga.bench.scratch import scratch_postgres
from jaga.cli_support import make_console
from jaga.db import EventKind, UnitOfWork, create_engine_for, session_factory
from jaga.db.canonical import JsonValue
from jaga.db.migrate import upgrade
from jaga.sequencer import audit, init_keys, integrate

console = make_console()
ORIGIN = "bench.jaga/ledger"


def _fill(url: str, events: int) -> None:
    engine = create_engine_for(url)
    upgrade(engine)
    sessions = session_factory(engine)
    for first in range(0, events, 10_000):
        with UnitOfWork(sessions) as uow:
            for n in range(first, min(first + 10_000, events)):
                state: dict[str, JsonValue] = {"n": n, "note": "benchmark event"}
                uow.record_state(EventKind.FACILITY_REGISTERED, "bench", n + 1, state, actor_id=None)
            uow.commit()
    engine.dispose()


def measure(url: str, events: int, keys_folder: Path) -> dict[str, float]:
    _fill(url, events)
    engine = create_engine_for(url)
    sessions = session_factory(engine)
    keys = init_keys(keys_folder, ORIGIN)
    done = integrate(sessions, keys, origin=ORIGIN)
    started = time.perf_counter()
    with sessions() as session:
        report = audit(session, keys.verifiers(), origin=ORIGIN)
    audit_seconds = time.perf_counter() - started
    engine.dispose()
    if not report.clean or done.size != events:
        raise AssertionError(f"the benchmark log is not clean: {report.problems[:3]}")
    return {
        "events": events,
        "integrate_per_s": done.added / done.seconds,
        "audit_per_s": report.events_checked / audit_seconds,
    }


def run(*, events: int, postgres_url: str | None) -> None:
    results: dict[str, dict[str, float]] = {}
    with tempfile.TemporaryDirectory(prefix="jaga-bench-") as tmp:
        folder = Path(tmp)
        console.print(f"integrating {events:,} committed events into the log ...")
        results["SQLite"] = measure(f"sqlite:///{folder / 'bench.db'}", events, folder / "keys-sqlite")
        if postgres_url:
            with scratch_postgres(postgres_url) as scratch:
                results["PostgreSQL"] = measure(scratch, events, folder / "keys-postgres")
    table = Table("database", "events", "integrate (events/s)", "audit (events/s)")
    for name, r in results.items():
        table.add_row(name, f"{r['events']:,.0f}", f"{r['integrate_per_s']:,.0f}", f"{r['audit_per_s']:,.0f}")
    console.print(table)
    console.print("integrate: tiles, entry bundles and a signed checkpoint per 20,000-event transaction")
