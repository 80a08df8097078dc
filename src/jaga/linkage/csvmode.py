"""`jaga link csv`: linkage for agencies that bring spreadsheets instead of a registry.

One file deduplicates it; two files link them (a record of one to records of the other). Columns are
given roles on the command line (`--map full_name=NAMA --map date_of_birth=TGL_LAHIR`); a role given
several columns joins them in order. Output: the pairs above the threshold with their probability and
reasons, and optionally every record's cluster.

It streams, so that ten million records fit a stated memory bound: DuckDB reads the CSV files (every
column as text) into a database file in a temporary folder and checks the ids there; the features are
made in batches of `csvread.BATCH` records (jaga's name handling is Python) and written to Parquet; the engine
(DuckDB with a memory limit and a spill folder, or Spark) trains and predicts from those files; the pairs
and clusters are written from DuckDB batch by batch. Python holds one batch, the scored pairs' ids for
clustering, and nothing of the size of the files. The reading and features are `csvread`, the scoring
and writing `csvscore`; this module runs them in one temporary folder under one memory bound.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import duckdb

from jaga.errors import InvalidInput
from jaga.linkage.csvread import (
    Input,
    Mapping,
    Progress,
    Silent,
    check_columns,
    header_of,
    last_index,
    make_features,
    parse_mapping,
    read_file,
)
from jaga.linkage.csvscore import predict, write_clusters, write_pairs
from jaga.linkage.engines import Engine, EngineResources
from jaga.linkage.features import FeatureReport
from jaga.linkage.resources import resource_problem
from jaga.linkage.workdir import run_folder

__all__ = ["CsvResult", "Mapping", "Progress", "link_files", "memory_bytes", "parse_mapping", "read_file"]


DEFAULT_MEMORY_LIMIT = "4GiB"
# DuckDB's buffers get this share of the bound; the rest is Python, Splink and one batch of features.
DUCKDB_SHARE = 0.5


def memory_bytes(text: str) -> int:
    """`4GiB`, `4GB`, `512MB`, `4g` -> bytes (GB and GiB both count in 1024s, as DuckDB does)."""
    match = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*([KMGT])(?:i?B)?\s*", text, flags=re.IGNORECASE)
    if not match:
        raise InvalidInput(f"--memory-limit {text!r}: expected a size such as 4GiB or 512MB")
    power = "KMGT".index(match[2].upper()) + 1
    return int(float(match[1]) * 1024**power)


@dataclass(frozen=True)
class CsvResult:
    records: int
    pairs_written: int
    clusters: int
    report: FeatureReport
    notes: list[str]
    timings: dict[str, float] = field(default_factory=dict)


def link_files(
    left: Path,
    right: Path | None,
    mapping: Mapping,
    *,
    out: Path,
    clusters_out: Path | None,
    threshold: float,
    engine: Engine,
    today: date,
    resources: EngineResources | None = None,
    memory_limit: str = DEFAULT_MEMORY_LIMIT,
    progress: Progress | None = None,
) -> CsvResult:
    if not 0 < threshold < 1:
        raise InvalidInput("--threshold is a match probability between 0 and 1")
    bound = memory_bytes(memory_limit)
    progress = progress or Silent()
    resources = resources or EngineResources()
    inputs = [Input(left, "left", header_of(left))]
    if right is not None:
        inputs.append(Input(right, "right", header_of(right)))
    for item in inputs:
        check_columns(item.path, item.header, mapping)
        # DictReader semantics: a repeated header name means its last column.
        item.header = [
            name if i == last_index(item.header, name) else "" for i, name in enumerate(item.header)
        ]
    timings: dict[str, float] = {}
    with run_folder() as folder:  # named by pid, so that a killed run's folder is swept by the next
        con = duckdb.connect(str(folder / "work.duckdb"))
        try:
            con.execute(f"SET memory_limit = '{max(256, int(bound * DUCKDB_SHARE) // 2**20)}MB'")
            con.execute(f"SET temp_directory = '{folder / 'spill'}'")
            con.execute("SET preserve_insertion_order = true")
            report = FeatureReport()
            for item in inputs:
                make_features(
                    con, item, mapping, folder, report=report, today=today, progress=progress, timings=timings
                )
            pairs, notes = predict(
                con,
                inputs,
                engine,
                resources,
                threshold,
                folder,
                progress,
                timings,
                two_files=right is not None,
            )
            started = time.perf_counter()
            written = write_pairs(con, pairs, out, progress)
            timings["write pairs"] = time.perf_counter() - started
            identities = 0
            if clusters_out is not None:
                identities = write_clusters(con, clusters_out, inputs, pairs, threshold, progress, timings)
        except Exception as exc:  # only memory and disk become a clear refusal; the rest is re-raised
            problem = resource_problem(exc, memory_limit=memory_limit)
            if problem is None:
                raise
            raise problem from exc
        finally:
            con.close()
    return CsvResult(sum(i.records for i in inputs), written, identities, report, notes, timings)
