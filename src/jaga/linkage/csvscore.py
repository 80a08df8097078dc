"""Scoring and writing for `jaga link csv`: the engine trains and predicts from the feature tables, the pairs
(with their explanations) go to Parquet, then `pairs.csv` is written sorted and `clusters.csv` in file
order, batch by batch.
"""

from __future__ import annotations

import csv
import time
import uuid
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq
from splink import DuckDBAPI
from splink.internals.database_api import DatabaseAPISubClass

from jaga.files import atomic_text
from jaga.linkage.blocks import add_keys
from jaga.linkage.clusters import Edge, cluster
from jaga.linkage.csvread import Input, Progress, stream
from jaga.linkage.engines import Engine, EngineResources, db_api, spark_session
from jaga.linkage.explain import explain, summary
from jaga.linkage.link import RunOptions, family_alone_is_not_identity, level_labels, train
from jaga.linkage.model import LinkType
from jaga.spreadsheet import SafeCsvWriter

_PAIRS_SCHEMA = pa.schema(
    [
        ("seq", pa.int64()),
        ("left_id", pa.string()),
        ("right_id", pa.string()),
        ("left_file", pa.string()),
        ("right_file", pa.string()),
        ("match_probability", pa.float64()),
        ("match_weight", pa.float64()),
        ("explanation", pa.string()),
    ]
)


def _present(con: duckdb.DuckDBPyConnection, parquet: Path) -> set[str]:
    """Feature columns with at least one value (as `present_columns`, counted by DuckDB)."""
    names = [r[0] for r in con.execute("DESCRIBE SELECT * FROM read_parquet(?)", [str(parquet)]).fetchall()]
    counts = con.execute(
        "SELECT " + ", ".join(f'count("{n}")' for n in names) + " FROM read_parquet(?)", [str(parquet)]
    ).fetchone()
    assert counts is not None
    return {name for name, count in zip(names, counts, strict=True) if count}


def predict(
    con: duckdb.DuckDBPyConnection,
    inputs: list[Input],
    engine: Engine,
    resources: EngineResources,
    threshold: float,
    folder: Path,
    progress: Progress,
    timings: dict[str, float],
    *,
    two_files: bool,
) -> tuple[Path, list[str]]:
    """Train and predict on the engine; the pairs (with explanations) as a Parquet file of `_PAIRS_SCHEMA`."""
    started = time.perf_counter()
    progress.stage("training the model")
    columns = set.intersection(*(_present(con, i.features) for i in inputs if i.features))
    options = RunOptions(engine=engine, resources=resources, keep_threshold=threshold)
    tables = [f"input_{n}" for n in range(len(inputs))]
    for table, item in zip(tables, inputs, strict=True):
        con.execute(f"CREATE TABLE {table} AS SELECT * FROM read_parquet(?)", [str(item.features)])
    # Large blocks split, so that the pairs stay near-linear in the records (`blocks.py`).
    columns |= add_keys(con, tables, columns)
    api: DatabaseAPISubClass
    if engine == Engine.DUCKDB:
        api = DuckDBAPI(connection=con)
        frames = [api.register(table) for table in tables]
    else:
        keyed = [folder / f"{table}.parquet" for table in tables]
        for table, path in zip(tables, keyed, strict=True):
            con.execute(f"COPY {table} TO '{path}' (FORMAT parquet)")
            con.execute(f"DROP TABLE {table}")
        api = db_api(engine, resources)
        spark = spark_session(resources)
        # Spark's temporary views outlive a run in the process-wide session: a name of this run's own, so
        # that a second run in one process never meets the first's `input_0`. The display name, which
        # Splink writes into `source_dataset`, stays `input_N`.
        run = uuid.uuid4().hex
        frames = [
            api.register(
                spark.read.parquet(str(path)),
                table_name=f"jaga_{run}_input_{n}",
                dataset_display_name=f"input_{n}",
            )
            for n, path in enumerate(keyed)
        ]
    link_type: LinkType = "link_only" if two_files else "dedupe_only"
    notes: list[str] = []
    timings["train: load"] = time.perf_counter() - started
    linker = train(api, frames, columns, link_type=link_type, options=options, notes=notes, timings=timings)
    levels = level_labels(linker)

    started = time.perf_counter()
    progress.stage("blocking and scoring pairs")
    predictions = linker.inference.predict(threshold_match_probability=threshold)
    timings["predict: blocking and scoring"] = time.perf_counter() - started
    started = time.perf_counter()
    if engine == Engine.DUCKDB:
        query = f"SELECT * FROM {predictions.physical_name}"
    else:
        spilled = folder / "predictions.parquet"
        predictions.as_spark_dataframe().write.parquet(str(spilled))
        query = f"SELECT * FROM read_parquet('{spilled}/*.parquet')"
    pairs = folder / "pairs.parquet"
    seq = 0
    with pq.ParquetWriter(pairs, _PAIRS_SCHEMA) as writer:
        reader = stream(con, query)
        for batch in reader:
            table = pa.Table.from_batches([batch])
            if "gamma_family_id" in table.column_names:
                table = family_alone_is_not_identity(table, keep_threshold=threshold)
            # Only what the explanation and the ids need: the matching columns (name tokens, addresses)
            # made Python objects of every pair for nothing.
            needed = ("unique_id_l", "unique_id_r", "source_dataset_l", "match_probability", "match_weight")
            rows = table.select(
                [c for c in table.column_names if c in needed or c.startswith(("gamma_", "mw_"))]
            ).to_pylist()
            out: dict[str, list[Any]] = {name: [] for name in _PAIRS_SCHEMA.names}
            for pair in rows:
                a, b = pair["unique_id_l"], pair["unique_id_r"]
                files = ("left", "right" if two_files else "left")
                if two_files and str(pair.get("source_dataset_l", "")).endswith("1"):
                    a, b = b, a  # keep the left file's record on the left
                out["seq"].append(seq)
                out["left_id"].append(a)
                out["right_id"].append(b)
                out["left_file"].append(files[0])
                out["right_file"].append(files[1])
                out["match_probability"].append(pair["match_probability"])
                out["match_weight"].append(pair["match_weight"])
                out["explanation"].append(summary(explain(pair, levels)))
                seq += 1
            writer.write_table(pa.Table.from_pydict(out, schema=_PAIRS_SCHEMA))
    timings["predict: explanations"] = time.perf_counter() - started
    return pairs, notes


def write_pairs(con: duckdb.DuckDBPyConnection, pairs: Path, out: Path, progress: Progress) -> int:
    total = con.execute("SELECT count(*) FROM read_parquet(?)", [str(pairs)]).fetchone()
    progress.stage(f"writing {out.name}", int(total[0]) if total else None)
    written = 0
    reader = stream(
        con,
        "SELECT left_id, right_id, match_probability, match_weight, explanation FROM read_parquet(?) "
        # Ties broken by the ids, so that the file is the same from run to run.
        "ORDER BY match_probability DESC, match_weight DESC, left_id, right_id",
        [str(pairs)],
    )
    with atomic_text(out, newline="") as handle:  # 0600, whole or not at all
        writer = SafeCsvWriter(csv.writer(handle))
        writer.writerow(["left_id", "right_id", "match_probability", "match_weight", "explanation"])
        for batch in reader:
            for a, b, probability, weight, text in zip(*batch.to_pydict().values(), strict=True):
                writer.writerow([a, b, f"{probability:.6f}", f"{weight:.3f}", text])
            written += batch.num_rows
            progress.advance(batch.num_rows)
    return written


def write_clusters(
    con: duckdb.DuckDBPyConnection,
    path: Path,
    inputs: list[Input],
    pairs: Path,
    threshold: float,
    progress: Progress,
    timings: dict[str, float],
) -> int:
    """Every record's cluster, numbered in file order; only records in a pair are held in memory."""
    progress.stage("clustering")
    started = time.perf_counter()

    def key(source: str, identifier: str) -> str:
        return f"{source}\x1f{identifier}"

    edges = [
        Edge(key(lf, a), key(rf, b), p)
        for a, b, lf, rf, p in con.execute(
            "SELECT left_id, right_id, left_file, right_file, match_probability FROM read_parquet(?)",
            [str(pairs)],
        ).fetchall()
    ]
    members = {e.left for e in edges} | {e.right for e in edges}
    niks: dict[str, str | None] = {}
    for item in inputs:
        for identifier, nik in con.execute(
            "SELECT unique_id, nik FROM read_parquet(?) WHERE nik IS NOT NULL", [str(item.features)]
        ).fetchall():
            member = key(item.source, identifier)
            if member in members:
                niks[member] = nik
    clusters = cluster(members, edges, threshold=threshold, niks=niks)
    del edges
    timings["clustering"] = time.perf_counter() - started
    started = time.perf_counter()
    numbers: dict[str, int] = {}  # only clusters of several records; a lone record's number is used once
    issued = 0
    progress.stage(f"writing {path.name}", sum(i.records for i in inputs))
    with atomic_text(path, newline="") as handle:
        writer = SafeCsvWriter(csv.writer(handle))
        writer.writerow(["cluster_id", "file", "id"])
        for item in inputs:
            reader = stream(con, "SELECT unique_id FROM read_parquet(?)", [str(item.features)])
            for batch in reader:
                for identifier in batch.column(0).to_pylist():
                    root = clusters.get(key(item.source, identifier))
                    if root is None:
                        issued += 1
                        number = issued
                    else:
                        number = numbers.get(root) or 0
                        if not number:
                            issued += 1
                            number = numbers[root] = issued
                    writer.writerow([number, item.source, identifier])
                progress.advance(batch.num_rows)
    timings["write clusters"] = time.perf_counter() - started
    return issued
