"""`jaga link csv`: linkage for agencies that bring spreadsheets instead of a registry.

One file deduplicates it; two files link them (a record of one to records of the other). Columns are
given roles on the command line (`--map full_name=NAMA --map date_of_birth=TGL_LAHIR`); a role given
several columns joins them in order. Output: the pairs above the threshold with their probability and
reasons, and optionally every record's cluster.

It streams, so that ten million records fit a stated memory bound: DuckDB reads the CSV files (every
column as text) into a database file in a temporary folder and checks the ids there; the features are
made in batches of `BATCH` records (jaga's name handling is Python) and written to Parquet; the engine
(DuckDB with a memory limit and a spill folder, or Spark) trains and predicts from those files; the pairs
and clusters are written from DuckDB batch by batch. Python holds one batch, the scored pairs' ids for
clustering, and nothing of the size of the files.
"""

from __future__ import annotations

import codecs
import csv
import re
import sys
import time
import uuid
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, Protocol

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq
from splink import DuckDBAPI
from splink.internals.database_api import DatabaseAPISubClass

from jaga.errors import InvalidInput
from jaga.files import atomic_text
from jaga.linkage.clusters import Edge, cluster
from jaga.linkage.engines import Engine, EngineResources, db_api, spark_session
from jaga.linkage.explain import explain, summary
from jaga.linkage.features import FeatureReport, feature_columns, role_values
from jaga.linkage.link import RunOptions, family_alone_is_not_identity, level_labels, train
from jaga.linkage.model import LinkType
from jaga.linkage.roles import IDENTITY_ROLES, NAME_ROLES, Role
from jaga.linkage.workdir import run_folder
from jaga.spreadsheet import SafeCsvWriter

csv.field_size_limit(min(sys.maxsize, 2**31 - 1))  # agencies' address cells can be long


@dataclass(frozen=True)
class Mapping:
    id_column: str
    roles: dict[Role, tuple[str, ...]]


def parse_mapping(id_column: str, pairs: Sequence[str]) -> Mapping:
    """`ROLE=COLUMN[,COLUMN...]` pairs into roles; a role named twice gets both columns, in order."""
    roles: dict[Role, tuple[str, ...]] = {}
    known = ", ".join(r.value for r in Role)
    for pair in pairs:
        role_text, sep, columns_text = pair.partition("=")
        if not sep or not role_text.strip() or not columns_text.strip():
            raise InvalidInput(f"--map {pair!r}: expected ROLE=COLUMN (roles: {known})")
        try:
            role = Role(role_text.strip())
        except ValueError:
            raise InvalidInput(
                f"--map {pair!r}: unknown role {role_text.strip()!r} (roles: {known})"
            ) from None
        columns = tuple(c.strip() for c in columns_text.split(",") if c.strip())
        roles[role] = roles.get(role, ()) + columns
    if not pairs:
        raise InvalidInput(f"give at least one --map ROLE=COLUMN (roles: {known})")
    if not any(role in roles for role in (*NAME_ROLES, *IDENTITY_ROLES)):
        raise InvalidInput(
            "map a name (full_name, or given_name and surname), national_id or identifier: "
            "there is nothing to link on"
        )
    return Mapping(id_column, roles)


class Progress(Protocol):
    """Where `link_files` reports its stages (the CLI draws a bar; the core knows no terminal)."""

    def stage(self, name: str, total: int | None = None) -> None: ...

    def advance(self, count: int) -> None: ...


class _Silent:
    def stage(self, name: str, total: int | None = None) -> None:
        pass

    def advance(self, count: int) -> None:
        pass


BATCH = 50_000  # records per feature batch: a few tens of MB of Python objects at a time
DEFAULT_MEMORY_LIMIT = "4GiB"
# DuckDB's buffers get this share of the bound; the rest is Python, Splink and one batch of features.
DUCKDB_SHARE = 0.5
# Python's str.strip() removes these (str.isspace); RE2 needs them spelt out.
_SPACE = r"[\s\p{Z}\x{0B}\x{1C}-\x{1F}\x{85}]"


def memory_bytes(text: str) -> int:
    """`4GiB`, `4GB`, `512MB`, `4g` -> bytes (GB and GiB both count in 1024s, as DuckDB does)."""
    match = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*([KMGT])(?:i?B)?\s*", text, flags=re.IGNORECASE)
    if not match:
        raise InvalidInput(f"--memory-limit {text!r}: expected a size such as 4GiB or 512MB")
    power = "KMGT".index(match[2].upper()) + 1
    return int(float(match[1]) * 1024**power)


def _header(path: Path) -> list[str]:
    if not path.is_file():
        raise InvalidInput(f"{path} does not exist")
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            header = next(csv.reader(handle), None)
    except UnicodeDecodeError as exc:
        raise InvalidInput(f"{path.name} is not UTF-8 (byte {exc.start}); save it as UTF-8 CSV") from None
    except csv.Error as exc:
        raise InvalidInput(f"{path.name} is not readable CSV: {exc}") from None
    if not header:
        raise InvalidInput(f"{path.name} is empty: it needs a header row and records")
    return header


def _first_bad_byte(path: Path) -> int:
    """Where a file stops being UTF-8, read in blocks (DuckDB names the line, not the byte)."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    offset = 0
    with path.open("rb") as handle:
        while block := handle.read(1 << 20):
            try:
                decoder.decode(block)
            except UnicodeDecodeError as exc:
                return offset + exc.start
            offset += len(block)
        try:
            decoder.decode(b"", final=True)
        except UnicodeDecodeError as exc:
            return offset + exc.start
    return offset


def _load(con: duckdb.DuckDBPyConnection, path: Path, width: int, table: str) -> None:
    """The file into `table` (columns c0, c1 ... as text, in file order; its rowid is the record's number)."""
    columns = ", ".join(f"'c{i}': 'VARCHAR'" for i in range(width))
    sql = (
        f"CREATE TABLE {table} AS SELECT * FROM read_csv(?, header = true, delim = ',', quote = '\"', "
        f"escape = '\"', columns = {{{columns}}}, auto_detect = false, null_padding = true, "
        "strict_mode = false, encoding = 'utf-8'"
    )
    try:
        try:
            con.execute(sql + ")", [str(path)])
        except duckdb.Error as exc:
            # Short rows padded and line breaks inside quotes: only DuckDB's single-threaded reader does both.
            if "parallel=false" not in str(exc):
                raise
            con.execute(sql + ", parallel = false)", [str(path)])
    except duckdb.Error as exc:
        message = str(exc)
        if "unicode" in message.lower() or "utf-8" in message.lower():
            byte = _first_bad_byte(path)
            raise InvalidInput(f"{path.name} is not UTF-8 (byte {byte}); save it as UTF-8 CSV") from None
        line = re.search(r"Line:? (\d+)", message)
        # DuckDB's message quotes the offending line: personal data, so it is not passed on.
        where = f" near line {line[1]}" if line else ""
        raise InvalidInput(f"{path.name} is not readable CSV{where}") from None


def _check_ids(con: duckdb.DuckDBPyConnection, table: str, column: str, path: Path, id_name: str) -> int:
    """The record count; InvalidInput at the first empty or repeated id, as a line number of the file."""
    stripped = f"regexp_replace({column}, '^{_SPACE}+|{_SPACE}+$', '', 'g')"
    found = con.execute(
        f"""
        WITH ids AS (SELECT rowid AS n, coalesce({stripped}, '') AS id FROM {table}),
        empty AS (SELECT min(n) AS n FROM ids WHERE id = ''),
        repeated AS (
            SELECT n, id FROM (
                SELECT n, id, row_number() OVER (PARTITION BY id ORDER BY n) AS k FROM ids WHERE id <> ''
            ) WHERE k = 2 ORDER BY n LIMIT 1
        )
        SELECT (SELECT count(*) FROM ids), (SELECT n FROM empty), (SELECT n FROM repeated),
               (SELECT id FROM repeated)
        """
    ).fetchone()
    assert found is not None
    count, empty, repeated, identifier = found
    if empty is not None and (repeated is None or empty < repeated):
        raise InvalidInput(f"{path.name} line {empty + 2}: the id column {id_name!r} is empty")
    if repeated is not None:
        raise InvalidInput(f"{path.name} line {repeated + 2}: id {identifier!r} appears twice")
    if not count:
        raise InvalidInput(f"{path.name} has a header but no records")
    return int(count)


def _stream(
    con: duckdb.DuckDBPyConnection, sql: str, params: list[Any] | None = None
) -> pa.RecordBatchReader:
    """A query's rows `BATCH` at a time, on a cursor of its own (so `con` stays free meanwhile)."""
    reader = con.cursor().sql(sql, params=params).to_arrow_reader(BATCH)
    assert reader is not None
    return reader


def _feature_batches(
    con: duckdb.DuckDBPyConnection,
    table: str,
    header: list[str],
    mapping: Mapping,
    *,
    source: str,
    report: FeatureReport,
    today: date,
) -> Iterator[pa.Table]:
    """The table's feature rows, `BATCH` records at a time, in file order."""
    position = {
        name: i for i, name in enumerate(header)
    }  # a repeated header name: the last one, as DictReader
    wanted = [mapping.id_column, *dict.fromkeys(c for cs in mapping.roles.values() for c in cs)]
    select = ", ".join(f"c{position[name]}" for name in wanted)
    reader = _stream(con, f"SELECT {select} FROM {table}")
    joined = [(role, columns) for role, columns in mapping.roles.items() if role != Role.IDENTIFIER]
    identifier_columns = mapping.roles.get(Role.IDENTIFIER, ())
    for batch in reader:
        column_of = dict(zip(wanted, batch.columns, strict=True))
        # Each identifier column is its own identifier, never joined to the next.
        yield feature_columns(
            column_of[mapping.id_column],
            source,
            {role: role_values([column_of[c] for c in columns]) for role, columns in joined},
            today=today,
            report=report,
            identifiers=[column_of[c] for c in identifier_columns],
        )


@dataclass
class _Input:
    path: Path
    source: str  # "left" or "right": the `file` column of clusters.csv
    header: list[str]
    records: int = 0
    features: Path | None = None  # Parquet


def _features(
    con: duckdb.DuckDBPyConnection,
    item: _Input,
    mapping: Mapping,
    folder: Path,
    *,
    report: FeatureReport,
    today: date,
    progress: Progress,
    timings: dict[str, float],
) -> None:
    table = f"raw_{item.source}"
    progress.stage(f"reading {item.path.name}")
    started = time.perf_counter()
    _load(con, item.path, len(item.header), table)
    item.records = _check_ids(
        con, table, f"c{item.header.index(mapping.id_column)}", item.path, mapping.id_column
    )
    timings["read"] = timings.get("read", 0.0) + time.perf_counter() - started
    started = time.perf_counter()
    # A repeated header name maps to its last column (above), so the id column is found the same way.
    item.features = folder / f"features_{item.source}.parquet"
    progress.stage(f"features of {item.path.name}", item.records)
    writer: pq.ParquetWriter | None = None
    batches = _feature_batches(
        con, table, item.header, mapping, source=item.source, report=report, today=today
    )
    for batch in batches:
        if writer is None:
            writer = pq.ParquetWriter(item.features, batch.schema)
        writer.write_table(batch)
        progress.advance(batch.num_rows)
    assert writer is not None
    writer.close()
    con.execute(f"DROP TABLE {table}")
    timings["features"] = timings.get("features", 0.0) + time.perf_counter() - started


def read_file(path: Path, mapping: Mapping, *, source: str, report: FeatureReport, today: date) -> pa.Table:
    """A small CSV file's whole feature table (for benchmarks and tests; `link_files` streams instead);
    InvalidInput naming the file and the problem if it cannot be used."""
    header = _header(path)
    _check_columns(path, header, mapping)
    con = duckdb.connect()
    try:
        _load(con, path, len(header), "raw")
        _check_ids(con, "raw", f"c{_last_index(header, mapping.id_column)}", path, mapping.id_column)
        return pa.concat_tables(
            _feature_batches(con, "raw", header, mapping, source=source, report=report, today=today)
        )
    finally:
        con.close()


def _last_index(header: list[str], name: str) -> int:
    return len(header) - 1 - header[::-1].index(name)


def _check_columns(path: Path, header: list[str], mapping: Mapping) -> None:
    wanted = {mapping.id_column, *(c for columns in mapping.roles.values() for c in columns)}
    missing = sorted(wanted - set(header))
    if missing:
        named = ", ".join(repr(m) for m in missing)
        raise InvalidInput(f"{path.name} has no column {named} (its columns: {', '.join(header)})")


@dataclass(frozen=True)
class CsvResult:
    records: int
    pairs_written: int
    clusters: int
    report: FeatureReport
    notes: list[str]
    timings: dict[str, float] = field(default_factory=dict)


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
    progress = progress or _Silent()
    resources = resources or EngineResources()
    inputs = [_Input(left, "left", _header(left))]
    if right is not None:
        inputs.append(_Input(right, "right", _header(right)))
    for item in inputs:
        _check_columns(item.path, item.header, mapping)
        # DictReader semantics: a repeated header name means its last column.
        item.header = [
            name if i == _last_index(item.header, name) else "" for i, name in enumerate(item.header)
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
                _features(
                    con, item, mapping, folder, report=report, today=today, progress=progress, timings=timings
                )
            pairs, notes = _predict(
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
            written = _write_pairs(con, pairs, out, progress)
            timings["write pairs"] = time.perf_counter() - started
            identities = 0
            if clusters_out is not None:
                identities = _write_clusters(con, clusters_out, inputs, pairs, threshold, progress, timings)
        finally:
            con.close()
    return CsvResult(sum(i.records for i in inputs), written, identities, report, notes, timings)


def _predict(
    con: duckdb.DuckDBPyConnection,
    inputs: list[_Input],
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
    api: DatabaseAPISubClass
    if engine == Engine.DUCKDB:
        api = DuckDBAPI(connection=con)
        for n, item in enumerate(inputs):
            con.execute(f"CREATE TABLE input_{n} AS SELECT * FROM read_parquet(?)", [str(item.features)])
        frames = [api.register(f"input_{n}") for n in range(len(inputs))]
    else:
        api = db_api(engine, resources)
        spark = spark_session(resources)
        # Spark's temporary views outlive a run in the process-wide session: a name of this run's own, so
        # that a second run in one process never meets the first's `input_0`. The display name, which
        # Splink writes into `source_dataset`, stays `input_N`.
        run = uuid.uuid4().hex
        frames = [
            api.register(
                spark.read.parquet(str(item.features)),
                table_name=f"jaga_{run}_input_{n}",
                dataset_display_name=f"input_{n}",
            )
            for n, item in enumerate(inputs)
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
        reader = _stream(con, query)
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


def _write_pairs(con: duckdb.DuckDBPyConnection, pairs: Path, out: Path, progress: Progress) -> int:
    total = con.execute("SELECT count(*) FROM read_parquet(?)", [str(pairs)]).fetchone()
    progress.stage(f"writing {out.name}", int(total[0]) if total else None)
    written = 0
    reader = _stream(
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


def _write_clusters(
    con: duckdb.DuckDBPyConnection,
    path: Path,
    inputs: list[_Input],
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
            reader = _stream(con, "SELECT unique_id FROM read_parquet(?)", [str(item.features)])
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
