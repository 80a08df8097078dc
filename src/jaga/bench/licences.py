"""How fast the public licence check (`/lembaga`) answers on a national registry, on SQLite and PostgreSQL.

Synthetic institutions, facilities and attendants across every regency are imported through `jaga import`'s
path; then typical searches are timed through `jaga.licences.search_licences`, the function the page
calls: the first run (which builds the process's catalogue of names) and the median of the next runs.
"""

from __future__ import annotations

import csv
import statistics
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from rich.table import Table

from jaga.access import OPERATOR
from jaga.bench.scratch import scratch_postgres
from jaga.cli_support import make_console
from jaga.db import UnitOfWork, create_engine_for, session_factory
from jaga.licences import LicenceQuery, RecordKind, search_licences
from jaga.regions import RegionLevel, load_directory, upgrade_and_seed
from jaga.registry import KINDS, FileFormat, run_import
from jaga.synth.census import group_shares
from jaga.synth.names import full_name
from jaga.synth.rand import Rand, cumulative

console = make_console()
REPEATS = 7

_WORDS = (
    "Kasih", "Bunda", "Harapan", "Mulia", "Sejahtera", "Permata", "Husada", "Insani", "Amanah", "Pelita",
    "Cahaya", "Tunas", "Bangsa", "Ceria", "Melati", "Anggrek", "Sentosa", "Mitra", "Citra", "Al Ihsan",
)  # fmt: skip
_INSTITUTION_PREFIXES = ("Yayasan", "LKSA", "Panti Asuhan", "Yay.", "Panti Sosial Asuhan Anak")
_FACILITY_PREFIXES = {
    "hospital": ("RSUD", "RSIA", "RS Islam", "RS Umum", "RS Bersalin"),
    "puskesmas": ("Puskesmas",),
    "clinic": ("Klinik Pratama", "Klinik Bersalin", "Klinik Ibu dan Anak"),
    "midwife_practice": ("Praktik Mandiri Bidan", "PMB", "BPM"),
}


def _write(path: Path, columns: list[str], rows: list[dict[str, Any]]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=columns)
        writer.writeheader()
        writer.writerows(rows)
    return path


def make_files(folder: Path, *, institutions: int, facilities: int, attendants: int, seed: int) -> list[Path]:
    """Import files of a national registry: every regency, names as Indonesia writes them."""
    rng = Rand(seed)
    directory = load_directory()
    regions = directory.all()
    regencies = [r for r in regions if r.level == RegionLevel.REGENCY]
    districts: dict[str, list[str]] = {}
    for region in regions:
        if region.level == RegionLevel.DISTRICT and region.parent_code is not None:
            districts.setdefault(region.parent_code, []).append(region.code)

    def pick(options: tuple[str, ...] | list[str]) -> str:
        return options[rng.integers(len(options))]

    def place() -> tuple[str, str]:
        regency = regencies[rng.integers(len(regencies))]
        return regency.name.removeprefix("Kab. ").removeprefix("Kota "), pick(districts[regency.code])

    rows: list[dict[str, Any]] = []
    for n in range(institutions):
        town, district = place()
        roll = rng.random()
        licensed = roll < 0.95
        start = date(2012, 1, 1) + timedelta(days=rng.integers(3000))
        rows.append(
            {
                "ref": f"I-BENCH-{n:07d}",
                "name": f"{pick(_INSTITUTION_PREFIXES)} {pick(_WORDS)} {pick(_WORDS)} {town}",
                "kind": "lksa" if rng.random() < 0.8 else "adoption_foundation",
                "licence_number": f"{district[:2]}/LKSA/{n:06d}" if licensed else None,
                "licence_issuer": "Dinas Sosial" if licensed else None,
                "licence_valid_from": start if licensed else None,
                "licence_valid_until": start + timedelta(days=365 * 5) if licensed else None,
                "licence_status": ("suspended" if roll < 0.05 else "active") if licensed else "none",
                "region_code": district,
            }
        )
    files = [_write(folder / "institutions.csv", KINDS["institutions"].columns, rows)]
    rows = []
    kinds = list(_FACILITY_PREFIXES)
    kind_cum = cumulative([0.1, 0.2, 0.4, 0.3])
    for n in range(facilities):
        town, district = place()
        kind = kinds[rng.weighted(kind_cum)]
        rows.append(
            {
                "ref": f"F-BENCH-{n:07d}",
                "name": f"{pick(_FACILITY_PREFIXES[kind])} {pick(_WORDS)} {town}",
                "kind": kind,
                "licence_number": f"{district[:4]}/{kind[:3].upper()}/{n:07d}",
                "region_code": district,
            }
        )
    files.append(_write(folder / "facilities.csv", KINDS["facilities"].columns, rows))
    rows = []
    for n in range(attendants):
        _, district = place()
        shares = group_shares(district[:2])
        group = list(shares)[rng.weighted(cumulative(list(shares.values())))]
        midwife = rng.random() < 0.8
        title = "Bidan " if midwife and rng.random() < 0.2 else ""
        rows.append(
            {
                "ref": f"A-BENCH-{n:07d}",
                "full_name": title + full_name(rng, group, "F" if midwife or rng.random() < 0.5 else "M"),
                "kind": "midwife" if midwife else "nurse",
                "registration_number": f"STR-{n:08d}",
                "region_code": district[:4],
            }
        )
    files.append(_write(folder / "attendants.csv", KINDS["attendants"].columns, rows))
    return files


def searches(institutions: Path) -> list[tuple[str, LicenceQuery]]:
    """(label, query): what families and officers type; the licence number is one the registry holds."""
    with institutions.open(encoding="utf-8") as handle:
        number = next(row["licence_number"] for row in csv.DictReader(handle) if row["licence_number"])
    return [
        ("name with an abbreviation", LicenceQuery("Yay. Kasih Bunda")),
        ("common personal name", LicenceQuery("Siti")),
        ("name and place in one box", LicenceQuery("bidan siti semarang")),
        ("licence number", LicenceQuery(number.lower().replace("/", " "))),
        ("region by name, no text", LicenceQuery(region="Semarang")),
        ("midwives by name in a province", LicenceQuery("Sri", kind=RecordKind.ATTENDANT, region="33")),
    ]


def measure(url: str, files: list[Path]) -> list[tuple[str, int, float, float]]:
    """(search, results, first run ms, median ms) for each of SEARCHES on the registry at `url`."""
    engine = create_engine_for(url)
    upgrade_and_seed(engine)
    sessions = session_factory(engine)
    for path in files:
        kind = KINDS[path.stem]
        summary = run_import(
            sessions, actor=OPERATOR, kind=kind, path=path, fmt=FileFormat.CSV, report_path=None
        )
        if summary.rejected:
            raise AssertionError(f"the benchmark's {path.name} was refused: {summary.first_problems[:3]}")
    figures = []
    for label, query in searches(files[0]):
        runs = []
        found = 0
        for _ in range(REPEATS + 1):
            with UnitOfWork(sessions) as uow:
                started = time.perf_counter()
                found = search_licences(uow, query).total
                runs.append((time.perf_counter() - started) * 1000)
        figures.append((label, found, runs[0], statistics.median(runs[1:])))
    engine.dispose()
    return figures


def run(*, institutions: int, facilities: int, attendants: int, seed: int, postgres_url: str | None) -> None:
    results: dict[str, list[tuple[str, int, float, float]]] = {}
    with tempfile.TemporaryDirectory(prefix="jaga-bench-") as tmp:
        folder = Path(tmp)
        console.print(
            f"registry: {institutions:,} institutions, {facilities:,} facilities, {attendants:,} attendants"
        )
        files = make_files(
            folder, institutions=institutions, facilities=facilities, attendants=attendants, seed=seed
        )
        results["SQLite"] = measure(f"sqlite:///{folder / 'bench.db'}", files)
        if postgres_url:
            with scratch_postgres(postgres_url) as scratch:
                results["PostgreSQL"] = measure(scratch, files)
    table = Table("database", "search", "results", "first (ms)", f"median of {REPEATS} (ms)")
    for database, rows in results.items():
        for label, found, first, median in rows:
            table.add_row(database, label, f"{found:,}", f"{first:,.0f}", f"{median:,.0f}")
    console.print(table)
    console.print(
        "first: the first search of each kind in this process reads every holder's name into its "
        "catalogue (jaga.licences.catalogue); median: the next runs, which only check for new rows."
    )
