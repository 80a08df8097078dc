"""Bulk birth import throughput, with every row's events written, on SQLite and PostgreSQL.

The files are generated here (valid mothers and births across real region codes), imported through the
same path as `jaga import` (validation, services, events, one transaction), and timed. The reference is
the same rows written with nothing but the database's own bulk path, in the same process and run.
"""

from __future__ import annotations

import csv
import random
import shutil
import sqlite3
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, closing, contextmanager
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any, cast

from rich.table import Table as RichTable
from sqlalchemy import Engine, Table, func, select
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

from jaga.access import OPERATOR, Role, TokenHasher, authenticate, create_principal
from jaga.bench.scratch import scratch_postgres
from jaga.cli_support import make_console
from jaga.db import EventRecord, UnitOfWork, create_engine_for, session_factory
from jaga.db.bulk import prepare_bulk_load
from jaga.regions import load_directory, upgrade_and_seed
from jaga.registry import KINDS, Birth, FileFormat, Person, run_import

console = make_console()


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


@dataclass
class Figures:
    births: int
    seconds: float
    events: int
    rows: int  # registry rows and events the births import wrote
    people_per_s: float
    reference_seconds: float

    @property
    def births_per_s(self) -> float:
        return self.births / self.seconds

    @property
    def rows_per_s(self) -> float:
        return self.rows / self.seconds

    @property
    def reference_rows_per_s(self) -> float:
        return self.rows / self.reference_seconds

    @property
    def ratio(self) -> float:
        """Our throughput over the reference's, for the same rows."""
        return self.reference_seconds / self.seconds


Snapshot = Callable[[], AbstractContextManager[str]]


def measure(url: str, files: tuple[Path, Path, Path], births: int, snapshot: Snapshot) -> Figures:
    """Import the files into the database at `url` and time the births; then write the very rows that
    import wrote into `snapshot()` (a copy of the database as it was before the births) with plain
    executemany or COPY, and time that too."""
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
    marks = _marks(sessions)
    engine.dispose()  # the snapshot copies the database: nobody may be connected
    with snapshot() as reference_url:
        engine = create_engine_for(url)
        sessions = session_factory(engine)
        started = time.perf_counter()
        summary = run_import(
            sessions,
            actor=facility,
            kind=KINDS["births"],
            path=birth_file,
            fmt=FileFormat.CSV,
            report_path=None,
        )
        seconds = time.perf_counter() - started
        assert summary.written == births, summary
        written = _rows_after(engine, marks)
        engine.dispose()
        reference_seconds = _write_plainly(reference_url, written)
    events = len(written[-1][2])
    return Figures(
        births=births,
        seconds=seconds,
        events=events,
        rows=sum(len(rows) for _, _, rows in written),
        people_per_s=(births // 2) / people_seconds,
        reference_seconds=reference_seconds,
    )


WrittenRows = list[tuple[Table, list[str], list[tuple[Any, ...]]]]


def _tables() -> list[tuple[Table, str]]:
    """The tables a birth import writes, in foreign-key order, with the key that orders their rows."""
    return [
        (cast(Table, Person.__table__), "id"),
        (cast(Table, Birth.__table__), "id"),
        (cast(Table, EventRecord.__table__), "seq"),
    ]


def _marks(sessions: sessionmaker[Session]) -> list[int]:
    with sessions() as session:
        return [
            session.scalar(select(func.coalesce(func.max(table.c[key]), 0))) or 0 for table, key in _tables()
        ]


def _rows_after(engine: Engine, marks: list[int]) -> WrittenRows:
    """The rows the import added, as the driver reads them (the stored form, ready to be written back)."""
    written: WrittenRows = []
    with engine.connect() as connection:
        cursor: Any = connection.connection.driver_connection.cursor()  # type: ignore[union-attr]
        for (table, key), mark in zip(_tables(), marks, strict=True):
            columns = [c.name for c in table.columns]
            cursor.execute(
                f"SELECT {', '.join(columns)} FROM {table.name} WHERE {key} > {int(mark)} ORDER BY {key}"
            )
            written.append((table, columns, [tuple(row) for row in cursor.fetchall()]))
        cursor.close()
    return written


def _write_plainly(url: str, written: WrittenRows) -> float:
    """Seconds to write `written` in one transaction: one executemany (SQLite) or COPY (PostgreSQL) per
    table, on an engine configured as jaga's own (foreign keys, WAL, the bulk page cache)."""
    engine = create_engine_for(url)
    try:
        with session_factory(engine)() as session:
            prepare_bulk_load(session)
            connection = session.connection()
            driver: Any = connection.connection.driver_connection
            started = time.perf_counter()
            for table, columns, rows in written:
                names = ", ".join(columns)
                if connection.dialect.name == "postgresql":
                    with (
                        driver.cursor() as cursor,
                        cursor.copy(f"COPY {table.name} ({names}) FROM STDIN") as copy,
                    ):
                        for row in rows:
                            copy.write_row(row)
                else:
                    marks = ", ".join("?" for _ in columns)
                    driver.executemany(f"INSERT INTO {table.name} ({names}) VALUES ({marks})", rows)
            session.commit()
            return time.perf_counter() - started
    finally:
        engine.dispose()


@contextmanager
def _sqlite_snapshot(path: Path, copy: Path) -> Iterator[str]:
    with closing(sqlite3.connect(path)) as raw:
        raw.execute("PRAGMA wal_checkpoint(TRUNCATE)")  # everything committed into the main file
    shutil.copyfile(path, copy)
    yield f"sqlite:///{copy}"


def run(*, births: int, postgres_url: str | None) -> None:
    results: dict[str, Figures] = {}
    with tempfile.TemporaryDirectory(prefix="jaga-bench-") as tmp:
        folder = Path(tmp)
        files = write_files(folder, births)
        console.print(f"importing {births:,} births ({births // 2:,} mothers) ...")
        database = folder / "bench.db"
        results["SQLite"] = measure(
            f"sqlite:///{database}",
            files,
            births,
            lambda: _sqlite_snapshot(database, folder / "reference.db"),
        )
        if postgres_url:
            with scratch_postgres(postgres_url) as scratch:
                name = make_url(scratch).database
                results["PostgreSQL"] = measure(
                    scratch, files, births, lambda: scratch_postgres(postgres_url, template=name)
                )
    table = RichTable("", *results)
    lines: list[tuple[str, Callable[[Figures], str]]] = [
        ("births imported (records)", lambda r: f"{r.births:,}"),
        ("seconds", lambda r: f"{r.seconds:.2f}"),
        ("births/s (records/s)", lambda r: f"{r.births_per_s:,.0f}"),
        ("rows+events/s (4 per birth)", lambda r: f"{r.rows_per_s:,.0f}"),
        ("events written", lambda r: f"{r.events:,}"),
        ("reference seconds", lambda r: f"{r.reference_seconds:.2f}"),
        ("reference rows/s", lambda r: f"{r.reference_rows_per_s:,.0f}"),
        ("reference births/s", lambda r: f"{r.births / r.reference_seconds:,.0f}"),
        ("ours / reference", lambda r: f"{r.ratio:.2f}"),
        ("people/s (mothers)", lambda r: f"{r.people_per_s:,.0f}"),
    ]
    for label, show in lines:
        table.add_row(label, *(show(r) for r in results.values()))
    console.print(table)
    console.print(
        "A record is one birth (its births row). Each is imported with validation and checks, with its "
        "child's person row and an event (canonical JSON, salted SHA-256 commitment) for each of the two, "
        "the whole file in one transaction: 4 rows per birth, all counted in rows+events/s."
    )
    console.print(
        "Reference: the same rows, read back after the import and written into a copy of the database as "
        "it was before it, one plain executemany (SQLite) or COPY (PostgreSQL) per table in one "
        "transaction, timed in this process and run. ours / reference = reference seconds / import seconds."
    )
