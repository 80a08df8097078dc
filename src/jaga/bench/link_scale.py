"""`jaga bench link-scale`: time and peak memory of `jaga link csv` at 100k, 1M and 10M records.

Each run is a separate process (`python -m jaga link csv ...`, exactly as a user runs it), started by a
small runner and waited for with `os.wait4`, whose resource usage is that process's own: its peak
resident set size (ru_maxrss) is the honest figure, the benchmark's own memory not included. The
reference, plain Splink as its docs recommend (`jaga.bench.scale_reference`), runs the same way on the
same files in the same run, up to `--reference-up-to` records. Files come from `jaga.bench.scale_data`
(column-wise, with planted duplicates); pairwise precision and recall against its truth are printed too,
computed by DuckDB from the output files. Nothing here is a pass/fail threshold: the figures go to
docs/linkage.md ("Scale").
"""

from __future__ import annotations

import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import duckdb
from rich.table import Table

from jaga.bench import scale_data
from jaga.cli_support import make_console

console = make_console()
SCALE_MAP = (
    "given_name=given_name",
    "surname=surname",
    "date_of_birth=date_of_birth",
    "identifier=soc_sec_id",
    "address=street_number,address_1",
    "locality=suburb",
    "postcode=postcode",
    "state=state",
)


@dataclass(frozen=True)
class Measured:
    label: str
    records: str
    seconds: float
    cpu_seconds: float  # user + system: what the run costs on an idle machine, whatever the load
    peak_bytes: int
    exit_code: int
    pairs: int | None = None
    precision: float | None = None
    recall: float | None = None
    last_stage: str = ""
    stages: str = ""  # `link csv`'s own split of its time ("read 4.1 s, features 30.2 s, ...")


# Linux carries a process's peak RSS through fork and exec: a child forked from this bench process starts
# with the bench's resident pages counted, so its ru_maxrss is at least the bench's own size (seen: 470 MiB
# for `python -c pass` from a test process). A small interpreter in between forks the command itself, so
# the command starts from that interpreter's few MiB; it reports the command's own rusage to a file.
_RUNNER = """
import os, sys
pid = os.fork()
if pid == 0:
    os.execvp(sys.argv[2], sys.argv[2:])
_, status, usage = os.wait4(pid, 0)
with open(sys.argv[1], "w") as out:
    out.write(f"{usage.ru_maxrss} {usage.ru_utime + usage.ru_stime}")
sys.exit(os.waitstatus_to_exitcode(status))
"""


def measure(command: list[str], log: Path) -> tuple[float, float, int, int]:
    """Wall seconds, CPU seconds, peak RSS in bytes (of the process and its waited-for children) and exit
    code."""
    usage_file = log.with_name(log.name + ".usage")
    started = time.perf_counter()
    with log.open("w") as handle:
        child = subprocess.run(
            [sys.executable, "-c", _RUNNER, str(usage_file), *command],
            stdout=handle,
            stderr=subprocess.STDOUT,
            check=False,
        )
    seconds = time.perf_counter() - started
    peak_kib, cpu = usage_file.read_text().split()
    usage_file.unlink()
    return seconds, float(cpu), int(peak_kib) * 1024, child.returncode


def _last_stage(log: Path) -> str:
    stages = [
        line.strip() for line in log.read_text(errors="replace").splitlines() if line.startswith("stage:")
    ]
    return stages[-1].removeprefix("stage:").strip() if stages else ""


def _stages(log: Path) -> str:
    lines = [line.strip() for line in log.read_text(errors="replace").splitlines()]
    return next((line.removeprefix("time:").strip() for line in lines if line.startswith("time:")), "")


def _scores(pairs_sql: str, truths: list[Path]) -> tuple[int, float, float]:
    """Pairs, pairwise precision and recall of the pairs (left id, right id) against the files' truth."""
    con = duckdb.connect()
    truth = " UNION ALL ".join(
        f"SELECT * FROM read_csv('{t}', all_varchar = true, quote = '\"')" for t in truths
    )
    con.execute(f"CREATE TABLE truth AS {truth}")
    con.execute(f"CREATE TABLE found AS {pairs_sql}")
    row = con.execute(
        """
        SELECT (SELECT count(*) FROM found),
               (SELECT count(*) FROM found f JOIN truth a ON a.rec_id = f.l JOIN truth b ON b.rec_id = f.r
                WHERE a.person = b.person),
               (SELECT sum(n * (n - 1) / 2) FROM (SELECT count(*) AS n FROM truth GROUP BY person))
        """
    ).fetchone()
    con.close()
    assert row is not None
    found, correct, true = int(row[0]), int(row[1] or 0), int(row[2] or 0)
    return found, correct / found if found else 1.0, correct / true if true else 1.0


def _jaga(files: list[Path], folder: Path, label: str, records: str, memory_limit: str) -> Measured:
    pairs = folder / f"{label}-pairs.csv"
    log = folder / f"{label}.log"
    maps = [arg for role in SCALE_MAP for arg in ("--map", role)]
    command = [
        sys.executable, "-m", "jaga", "link", "csv", *map(str, files), "--id", "rec_id", *maps,
        "--out", str(pairs), "--clusters", str(folder / f"{label}-clusters.csv"),
        "--memory-limit", memory_limit,
    ]  # fmt: skip
    seconds, cpu, peak, code = measure(command, log)
    if code != 0:
        return Measured("jaga link csv", records, seconds, cpu, peak, code, last_stage=_last_stage(log))
    found, precision, recall = _scores(
        f"SELECT left_id AS l, right_id AS r FROM read_csv('{pairs}', all_varchar = true, quote = '\"')",
        [f.with_suffix(".truth.csv") for f in files],
    )
    return Measured(
        "jaga link csv", records, seconds, cpu, peak, code, found, precision, recall, stages=_stages(log)
    )


def _reference(file: Path, folder: Path, records: str) -> Measured:
    out = folder / f"reference-{file.stem}.parquet"
    command = [sys.executable, "-m", "jaga.bench.scale_reference", str(file), str(out), "2GB"]
    seconds, cpu, peak, code = measure(command, folder / f"reference-{file.stem}.log")
    if code != 0:
        return Measured("Splink (docs' settings)", records, seconds, cpu, peak, code)
    found, precision, recall = _scores(
        f"SELECT unique_id_l AS l, unique_id_r AS r FROM read_parquet('{out}')",
        [file.with_suffix(".truth.csv")],
    )
    return Measured("Splink (docs' settings)", records, seconds, cpu, peak, code, found, precision, recall)


def _dedupe_file(folder: Path, records: int, seed: int) -> Path:
    path = folder / f"dedupe-{records}-{seed}.csv"
    if not path.exists():
        started = time.perf_counter()
        scale_data.dedupe_file(records, path, seed=seed)
        console.print(f"generated {records:,} records in {time.perf_counter() - started:.0f} s", style="dim")
    return path


def _link_files(folder: Path, records: int, seed: int) -> list[Path]:
    left, right = folder / f"link-{records}-{seed}-a.csv", folder / f"link-{records}-{seed}-b.csv"
    if not right.exists():
        started = time.perf_counter()
        scale_data.link_files(records, left, right, seed=seed)
        console.print(
            f"generated 2 x {records:,} records in {time.perf_counter() - started:.0f} s", style="dim"
        )
    return [left, right]


def run(
    *,
    dedupe: list[int],
    link: list[int],
    reference_up_to: int,
    folder: Path,
    memory_limit: str,
    seed: int = 7,
) -> list[Measured]:
    folder.mkdir(parents=True, exist_ok=True)
    results: list[Measured] = []
    for records in (r for r in dedupe if r > 0):  # 0: none
        file = _dedupe_file(folder, records, seed)
        results.append(_jaga([file], folder, f"dedupe-{records}", f"{records:,}", memory_limit))
        _show(results[-1])
        if records <= reference_up_to:
            results.append(_reference(file, folder, f"{records:,}"))
            _show(results[-1])
    for records in (r for r in link if r > 0):
        files = _link_files(folder, records, seed)
        results.append(_jaga(files, folder, f"link-{records}", f"{records:,} x {records:,}", memory_limit))
        _show(results[-1])
    table = Table(
        "run", "records", "time", "CPU time", "peak RSS", "pairs", "precision", "recall", title="link-scale"
    )
    for r in results:
        table.add_row(
            r.label,
            r.records,
            f"{r.seconds:.0f} s",
            f"{r.cpu_seconds:.0f} s",
            f"{r.peak_bytes / 2**30:.2f} GiB",
            f"{r.pairs:,}" if r.pairs is not None else f"exit {r.exit_code} ({r.last_stage or 'see log'})",
            f"{r.precision:.3f}" if r.precision is not None else "-",
            f"{r.recall:.3f}" if r.recall is not None else "-",
        )
    console.print(table)
    console.print(f"memory bound given to jaga: {memory_limit}; logs and outputs in {folder}", style="dim")
    return results


def _show(r: Measured) -> None:
    console.print(
        f"{r.label} on {r.records}: {r.seconds:.0f} s (CPU {r.cpu_seconds:.0f} s), "
        f"peak RSS {r.peak_bytes / 2**30:.2f} GiB, "
        f"exit {r.exit_code}"
        + (
            f", {r.pairs:,} pairs, precision {r.precision:.3f}, recall {r.recall:.3f}"
            if r.pairs is not None
            else ""
        ),
        highlight=False,
    )
    if r.stages:
        console.print(f"  stages: {r.stages}", style="dim", highlight=False)
