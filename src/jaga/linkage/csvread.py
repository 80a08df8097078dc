"""Reading an agency's CSV file for `jaga link csv`: DuckDB reads it (every column as text) into a table and
checks its ids there; its feature rows are made `BATCH` records at a time and written to Parquet. Also the
column-role mapping the command line gives, and the progress protocol the stages report to.
"""

from __future__ import annotations

import codecs
import csv
import re
import sys
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, Protocol

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq

from jaga.errors import InvalidInput
from jaga.linkage.featurecolumns import feature_columns, role_values
from jaga.linkage.features import FeatureReport
from jaga.linkage.roles import IDENTITY_ROLES, NAME_ROLES, Role

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


class Silent:
    def stage(self, name: str, total: int | None = None) -> None:
        pass

    def advance(self, count: int) -> None:
        pass


BATCH = 50_000  # records per feature batch: a few tens of MB of Python objects at a time
# Python's str.strip() removes these (str.isspace); RE2 needs them spelt out.
_SPACE = r"[\s\p{Z}\x{0B}\x{1C}-\x{1F}\x{85}]"


def header_of(path: Path) -> list[str]:
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


def stream(con: duckdb.DuckDBPyConnection, sql: str, params: list[Any] | None = None) -> pa.RecordBatchReader:
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
    reader = stream(con, f"SELECT {select} FROM {table}")
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
class Input:
    path: Path
    source: str  # "left" or "right": the `file` column of clusters.csv
    header: list[str]
    records: int = 0
    features: Path | None = None  # Parquet


def make_features(
    con: duckdb.DuckDBPyConnection,
    item: Input,
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
    header = header_of(path)
    check_columns(path, header, mapping)
    con = duckdb.connect()
    try:
        _load(con, path, len(header), "raw")
        _check_ids(con, "raw", f"c{last_index(header, mapping.id_column)}", path, mapping.id_column)
        return pa.concat_tables(
            _feature_batches(con, "raw", header, mapping, source=source, report=report, today=today)
        )
    finally:
        con.close()


def last_index(header: list[str], name: str) -> int:
    return len(header) - 1 - header[::-1].index(name)


def check_columns(path: Path, header: list[str], mapping: Mapping) -> None:
    wanted = {mapping.id_column, *(c for columns in mapping.roles.values() for c in columns)}
    missing = sorted(wanted - set(header))
    if missing:
        named = ", ".join(repr(m) for m in missing)
        raise InvalidInput(f"{path.name} has no column {named} (its columns: {', '.join(header)})")
