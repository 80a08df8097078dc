"""`jaga bench flags`: a registry of N synthetic births (with planted schemes), then `jaga flags run`
timed per stage: load, each detector, store.

The registry is built the way the demo builds it: `jaga synth`, then every file imported through the
same path as `jaga import`, as the role its manifest names. Building is slow at national scale, so
`--keep DIR` leaves the database there and `--database URL` times a registry built before (SQLite or
PostgreSQL), and `--copies N` multiplies a built registry N times in SQL (`--births 100000 --copies 10`:
a million births in minutes instead of the importer's hour; every copy holds other people).
"""

from __future__ import annotations

import os
import resource
import sqlite3
import tempfile
import time
from pathlib import Path
from typing import Any

from rich.table import Table

from jaga.access import OFFICIAL_ROLES, OPERATOR, Actor, Role, TokenHasher, authenticate, create_principal
from jaga.cli_support import make_console
from jaga.db import UnitOfWork, create_engine_for, session_factory
from jaga.db.migrate import upgrade
from jaga.flags.runs import refresh_one, run_flags
from jaga.regions import upgrade_and_seed
from jaga.registry import KINDS, FileFormat, run_import
from jaga.synth.generator import synthesise
from jaga.synth.output import files_in_order
from jaga.synth.scenario import Scenario

console = make_console()


def build_registry(url: str, *, births: int, seed: int, folder: Path) -> float:
    """Synthesise `births` and import them into a fresh registry at `url`; seconds taken."""
    started = time.perf_counter()
    synthesise(births=births, seed=seed, out=folder / "synth", scenario=Scenario(name="bench-flags"))
    engine = create_engine_for(url)
    upgrade_and_seed(engine)
    sessions = session_factory(engine)
    hasher = TokenHasher()
    actors: dict[str, Actor] = {}
    for role in Role:
        with UnitOfWork(sessions) as uow:
            created = create_principal(
                uow,
                hasher,
                actor=OPERATOR,
                username=f"bench-{role.value}".replace("_", "-"),
                role=role,
                region_scope="",
                feed="jaga synth" if role in OFFICIAL_ROLES else None,  # synthetic files: many officials
            )
        with sessions() as session:
            actors[role.value] = authenticate(session, hasher, created.token)
    for path, kind, importer in files_in_order(folder / "synth"):
        console.print(f"  importing {path.name} ...", style="dim")
        run_import(
            sessions,
            actor=actors[importer],
            kind=KINDS[kind],
            path=path,
            fmt=FileFormat.CSV,
            report_path=None,
        )
    engine.dispose()
    return time.perf_counter() - started


# Replicated tables, parents first; every other table (facilities, officials, institutions, ...) is shared.
REPLICATED = (
    "people",
    "births",
    "relinquishments",
    "placements",
    "adoption_cases",
    "adoption_steps",
    "missing_reports",
)


def replicate_registry(path: Path, copies: int) -> float:
    """Make the SQLite registry at `path` `copies` times as large for timing: every replicated table's rows
    copied with ids (and references between them) offset, unique text suffixed `~k` and the first serial
    digit of each NIK shifted, so each copy holds other people. Planted schemes are copied too. Seconds."""
    started = time.perf_counter()
    connection = sqlite3.connect(path)
    try:
        offsets = {t: connection.execute(f'SELECT max(id) FROM "{t}"').fetchone()[0] or 0 for t in REPLICATED}
        for table in REPLICATED:
            info = connection.execute(f'PRAGMA table_info("{table}")').fetchall()
            references = {r[3]: r[2] for r in connection.execute(f'PRAGMA foreign_key_list("{table}")')}
            unique: set[str] = set()
            for index in connection.execute(f'PRAGMA index_list("{table}")').fetchall():
                if index[2]:
                    unique |= {r[2] for r in connection.execute(f'PRAGMA index_info("{index[1]}")')}
            names = [row[1] for row in info]
            textual = {row[1] for row in info if not row[2].upper().startswith(("INT", "BIGINT"))}
            for k in range(1, copies):
                values = []
                for name in names:
                    if name == "id":
                        values.append(f"id + {k * offsets[table]}")
                    elif references.get(name) in offsets:
                        values.append(f'"{name}" + {k * offsets[references[name]]}')
                    elif name == "nik":
                        values.append(
                            "CASE WHEN length(nik) = 16 THEN substr(nik, 1, 12) || "
                            f"((substr(nik, 13, 1) + {k}) % 10) || substr(nik, 14) ELSE nik END"
                        )
                    elif name in unique and name in textual and name not in references:
                        values.append(f"\"{name}\" || '~{k}'")
                    else:
                        values.append(f'"{name}"')
                columns = ", ".join(f'"{n}"' for n in names)
                connection.execute(
                    f'INSERT INTO "{table}" ({columns}) SELECT {", ".join(values)} FROM "{table}" '
                    f"WHERE id <= {offsets[table]}"
                )
        connection.commit()
    finally:
        connection.close()
    return time.perf_counter() - started


def run(*, births: int, seed: int, database: str | None, keep: Path | None, copies: int = 1) -> None:
    with tempfile.TemporaryDirectory(prefix="jaga-bench-flags-") as tmp:
        folder = keep or Path(tmp)
        folder.mkdir(parents=True, exist_ok=True)
        url = database
        if url is None:
            url = f"sqlite:///{folder / 'registry.db'}"
            console.print(f"building a registry of {births:,} synthetic births ...")
            seconds = build_registry(url, births=births, seed=seed, folder=folder)
            console.print(f"built in {seconds:.0f} s", style="dim")
            if copies > 1:
                seconds = replicate_registry(folder / "registry.db", copies)
                console.print(f"replicated {copies} times in {seconds:.0f} s", style="dim")
        engine = create_engine_for(url)
        upgrade(engine)
        sessions = session_factory(engine)
        summary = run_flags(sessions, progress=lambda stage: console.print(f"  {stage} ...", style="dim"))
        one = _one_flag(sessions)
        engine.dispose()
    table = Table("stage", "seconds")
    for stage, seconds in summary.timings.items():
        table.add_row(stage, f"{seconds:.2f}")
    table.add_row("total", f"{summary.seconds:.2f}")
    console.print(table)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux
    console.print(
        f"{summary.rows['births']:,} births, {summary.rows['people']:,} person records; "
        f"{summary.found:,} flags ({summary.new:,} new); {os.cpu_count()} CPUs visible; "
        f"peak memory {peak:,.0f} MiB (this process, building included)",
        highlight=False,
    )
    if one:
        console.print(one, highlight=False)
    kinds = Table("kind", "flags")
    for kind, count in summary.by_kind.items():
        kinds.add_row(kind, f"{count:,}")
    console.print(kinds)


def _one_flag(sessions: Any) -> str | None:
    """What a confirmed face candidate costs its request: one report's missing_child_reappears flag
    refreshed (jaga.flags.runs.refresh_one), against a whole run in the same warm state (the first run
    above also paid for first imports and a cold cache, so it is no fair reference)."""
    from sqlalchemy import select

    from jaga.registry import MissingReport

    with sessions() as session:
        ref = session.scalar(select(MissingReport.ref).order_by(MissingReport.id).limit(1))
    if ref is None:
        return None
    started = time.perf_counter()
    run_flags(sessions)
    whole = time.perf_counter() - started
    started = time.perf_counter()
    refresh_one(sessions, kind="missing_child_reappears", subject_type="missing_report", subject_ref=ref)
    one = time.perf_counter() - started
    return (
        f"one report's missing_child_reappears flag (what a face confirmation runs): {one:.2f} s, "
        f"against {whole:.2f} s for a second whole run just before it ({one / whole:.0%})"
    )
