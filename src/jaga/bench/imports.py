"""Bulk birth import throughput, with every row's events written, on SQLite and PostgreSQL.

The files are generated here (valid mothers and births across real region codes), imported through the
same path as `jaga import` (validation, services, events, one transaction), and timed.
"""

from __future__ import annotations

import csv
import random
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

from rich.console import Console
from rich.table import Table
from sqlalchemy import func, select

from jaga.access import OPERATOR, Role, TokenHasher, authenticate, create_principal
from jaga.bench.scratch import scratch_postgres
from jaga.db import EventRecord, UnitOfWork, create_engine_for, session_factory
from jaga.regions import load_directory, upgrade_and_seed
from jaga.registry import KINDS, FileFormat, run_import

console = Console()


def write_files(folder: Path, births: int, seed: int = 7) -> tuple[Path, Path, Path]:
    """A facility, ~births/2 mothers and `births` births, as import files."""
    rng = random.Random(seed)
    districts = [r.code for r in load_directory().all() if r.level == 3]
    facilities = folder / "facilities.csv"
    with facilities.open("w", newline="", encoding="utf-8") as handle:
        w = csv.writer(handle)
        w.writerow(["ref", "name", "kind", "licence_number", "region_code"])
        w.writerow(["F-BENCH", "RSUD Bench", "hospital", "LIC-BENCH-1", "3374"])
    mothers = max(1, births // 2)
    people = folder / "people.csv"
    with people.open("w", newline="", encoding="utf-8") as handle:
        w = csv.writer(handle)
        w.writerow(
            ["ref", "source_kind", "source_ref", "full_name", "nik", "sex", "birth_date", "region_code"]
        )
        for i in range(mothers):
            born = date(1980, 1, 1) + timedelta(days=rng.randrange(0, 365 * 22))
            district = rng.choice(districts)
            nik = f"{district}{born.day + 40:02d}{born.month:02d}{born.year % 100:02d}{i % 9999 + 1:04d}"
            w.writerow(
                [f"M-{i}", "facility", "F-BENCH", f"Ibu Bench {i}", nik, "F", born.isoformat(), "3374"]
            )
    birth_file = folder / "births.csv"
    with birth_file.open("w", newline="", encoding="utf-8") as handle:
        w = csv.writer(handle)
        w.writerow(
            ["ref", "child_sex", "mother_ref", "born_on", "facility_ref", "skl_number", "birth_weight_g"]
        )
        for i in range(births):
            born_on = date(2022, 1, 1) + timedelta(days=rng.randrange(0, 900))
            w.writerow(
                [
                    f"B-{i}",
                    rng.choice("FM"),
                    f"M-{i % mothers}",
                    born_on.isoformat(),
                    "F-BENCH",
                    f"SKL/{i}",
                    rng.randrange(2200, 4300),
                ]
            )
    return facilities, people, birth_file


def measure(url: str, files: tuple[Path, Path, Path], births: int) -> dict[str, float]:
    engine = create_engine_for(url)
    upgrade_and_seed(engine)
    sessions = session_factory(engine)
    hasher = TokenHasher()
    with UnitOfWork(sessions) as uow:
        created = create_principal(
            uow, hasher, actor=OPERATOR, username="bench", role=Role.ADMIN, region_scope=""
        )
    with UnitOfWork(sessions) as uow:
        clinic = create_principal(
            uow, hasher, actor=OPERATOR, username="bench-clinic", role=Role.FACILITY, region_scope=""
        )
    with sessions() as session:
        admin = authenticate(session, hasher, created.token)
        facility = authenticate(session, hasher, clinic.token)
    facilities, people, birth_file = files
    run_import(
        sessions, actor=admin, kind=KINDS["facilities"], path=facilities, fmt=FileFormat.CSV, report_path=None
    )
    started = time.perf_counter()
    run_import(
        sessions, actor=facility, kind=KINDS["people"], path=people, fmt=FileFormat.CSV, report_path=None
    )
    people_seconds = time.perf_counter() - started
    with sessions() as session:
        events_before = session.scalar(select(func.count()).select_from(EventRecord)) or 0
    started = time.perf_counter()
    summary = run_import(
        sessions, actor=facility, kind=KINDS["births"], path=birth_file, fmt=FileFormat.CSV, report_path=None
    )
    seconds = time.perf_counter() - started
    with sessions() as session:
        events = (session.scalar(select(func.count()).select_from(EventRecord)) or 0) - events_before
    engine.dispose()
    assert summary.written == births, summary
    return {
        "births": births,
        "seconds": seconds,
        "births_per_s": births / seconds,
        "events": events,
        "people_per_s": (births // 2) / people_seconds,
    }


def run(*, births: int, postgres_url: str | None) -> None:
    with tempfile.TemporaryDirectory(prefix="jaga-bench-") as tmp:
        folder = Path(tmp)
        files = write_files(folder, births)
        results: dict[str, dict[str, float]] = {}
        console.print(f"importing {births:,} births ({births // 2:,} mothers) ...")
        results["SQLite"] = measure(f"sqlite:///{folder / 'bench.db'}", files, births)
        if postgres_url:
            with scratch_postgres(postgres_url) as scratch:
                results["PostgreSQL"] = measure(scratch, files, births)
    table = Table("database", "births", "seconds", "births/s", "events written", "people/s (mothers)")
    for db, r in results.items():
        table.add_row(
            db,
            f"{r['births']:,.0f}",
            f"{r['seconds']:.2f}",
            f"{r['births_per_s']:,.0f}",
            f"{r['events']:,.0f}",
            f"{r['people_per_s']:,.0f}",
        )
    console.print(table)
    console.print("each birth row writes 2 records (child person, birth) and 2 events in one transaction")
