"""The registry as polars DataFrames, one per table, for the detectors.

Column names are the ORM column names exactly, so detectors are written against the models. Rows are read
with one plain SELECT per table through the DBAPI cursor (no ORM objects: at a million births the ORM
would cost minutes) and typed from the table definitions, so an empty table still has its columns.
SQLite hands dates back as ISO text; they are parsed column-wise by polars, not row by row in Python.
"""

from __future__ import annotations

import importlib
import importlib.util
import io
from collections.abc import Callable
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any, TypeVar

import polars as pl
import sqlalchemy as sa
from sqlalchemy.orm import Session

from jaga.linkage.models import Identity, LinkDecision
from jaga.registry import (
    AdoptionCase,
    AdoptionStep,
    Attendant,
    Birth,
    Facility,
    Institution,
    MissingReport,
    Official,
    Person,
    Placement,
    Relinquishment,
)
from jaga.tips import Tip, TipMatch

BATCH_ROWS = 200_000
T = TypeVar("T")


@dataclass(frozen=True)
class Frames:
    people: pl.DataFrame
    births: pl.DataFrame
    facilities: pl.DataFrame
    attendants: pl.DataFrame
    officials: pl.DataFrame
    institutions: pl.DataFrame
    relinquishments: pl.DataFrame
    placements: pl.DataFrame
    adoption_cases: pl.DataFrame
    adoption_steps: pl.DataFrame
    missing_reports: pl.DataFrame
    identities: pl.DataFrame  # person_id -> identity_id from the latest linkage run; empty before one
    link_decisions: pl.DataFrame  # reviewers' verdicts on pairs of person records (same | different)
    tips: pl.DataFrame  # anonymous tips: id, ref, region and status only (their content is never read)
    tip_matches: pl.DataFrame  # what each tip names in the registry (jaga.tips.matching)
    # What detectors derive from the tables and share (who is the same person, say), computed once a run.
    _derived: dict[str, Any] = field(default_factory=dict, init=False, repr=False, compare=False)

    def sizes(self) -> dict[str, int]:
        """Rows per table (for progress reports and run records)."""
        return {f.name: getattr(self, f.name).height for f in fields(self) if f.init}

    def derived(self, name: str, compute: Callable[[Frames], T]) -> T:
        """`compute(self)`, computed on the first call for `name` and kept with these frames."""
        if name not in self._derived:
            self._derived[name] = compute(self)
        value: T = self._derived[name]
        return value


TABLES: dict[str, sa.Table] = {
    "people": Person.__table__,  # type: ignore[dict-item]
    "births": Birth.__table__,  # type: ignore[dict-item]
    "facilities": Facility.__table__,  # type: ignore[dict-item]
    "attendants": Attendant.__table__,  # type: ignore[dict-item]
    "officials": Official.__table__,  # type: ignore[dict-item]
    "institutions": Institution.__table__,  # type: ignore[dict-item]
    "relinquishments": Relinquishment.__table__,  # type: ignore[dict-item]
    "placements": Placement.__table__,  # type: ignore[dict-item]
    "adoption_cases": AdoptionCase.__table__,  # type: ignore[dict-item]
    "adoption_steps": AdoptionStep.__table__,  # type: ignore[dict-item]
    "missing_reports": MissingReport.__table__,  # type: ignore[dict-item]
    "identities": Identity.__table__,  # type: ignore[dict-item]
    "link_decisions": LinkDecision.__table__,  # type: ignore[dict-item]
    "tips": Tip.__table__,  # type: ignore[dict-item]
    "tip_matches": TipMatch.__table__,  # type: ignore[dict-item]
}


# Columns of the two big tables that no detector reads, left out of the frames: at a million births the
# people table alone is three million rows, and reading its names, family-card numbers and timestamps
# would be a third of the load. A detector that needs one of them takes it off this list.
UNREAD: dict[str, frozenset[str]] = {
    "people": frozenset(
        # kk_number is read: the missing-child rule knows a renamed child by family card, birth date and sex
        {"created_at", "source_ref", "full_name", "name_normalised", "religion", "nationality"}
    ),
    # Tips: only which tip it is and where; what the tipster wrote stays out of every detector.
    "tips": frozenset(
        {
            "created_at",
            "receipt_key",
            "receipt_hash",
            "platform",
            "url",
            "handle",
            "phone",
            "place",
            "price_rupiah",
            "description",
            "screenshot_sha256",
            "status_note",
            "status_changed_at",
            "handled_by",
        }
    ),
    "births": frozenset(
        {
            "created_at",
            "born_at_time",
            "birth_weight_g",
            "plurality",
            "place_kind",
            "skl_number",
            "akta_number",
        }
    ),
}


def frame_columns(table: sa.Table) -> list[sa.Column[Any]]:
    """The columns of `table` that its frame holds, in table order."""
    unread = UNREAD.get(table.name, frozenset())
    return [c for c in table.columns if c.name not in unread]


def polars_type(column: sa.Column[Any]) -> pl.DataType:
    """The polars type for a column, from its SQLAlchemy type."""
    kind = column.type
    if isinstance(kind, sa.types.TypeDecorator):
        kind = kind.impl_instance
    if isinstance(kind, sa.Integer):  # Integer, BigInteger (and the SQLite variant)
        return pl.Int64()
    if isinstance(kind, sa.Float):
        return pl.Float64()
    if isinstance(kind, sa.Boolean):
        return pl.Boolean()
    if isinstance(kind, sa.DateTime):
        return pl.Datetime("us")
    if isinstance(kind, sa.Date):
        return pl.Date()
    if isinstance(kind, sa.Time):
        return pl.Time()
    return pl.String()


def read_table(session: Session, table: sa.Table) -> pl.DataFrame:
    """Every row of `table` as a typed DataFrame (its `frame_columns`), sorted by the first column."""
    target = {c.name: polars_type(c) for c in frame_columns(table)}
    if session.get_bind().dialect.name == "postgresql":
        frame = _read_copy(session, table, target)
    else:
        # SQLite stores dates, times and timestamps as text: read as text, parsed per column below.
        schema = {n: (pl.String() if k.is_temporal() else k) for n, k in target.items()}
        frame = _read_rows(session, table, schema)
    return _typed(frame, target)


def _typed(frame: pl.DataFrame, target: dict[str, pl.DataType]) -> pl.DataFrame:
    """Dates, times and timestamps read as text parsed; other columns cast to their type where needed."""
    return frame.with_columns(
        _parse_text(name, kind)
        if kind.is_temporal() and frame.schema[name] == pl.String()
        else pl.col(name).cast(kind)
        for name, kind in target.items()
        if frame.schema[name] != kind
    )


def _read_rows(session: Session, table: sa.Table, schema: dict[str, pl.DataType]) -> pl.DataFrame:
    """Through the DBAPI cursor, a batch of row tuples at a time."""
    columns = frame_columns(table)
    names = ", ".join(f'"{c.name}"' for c in columns)
    cursor = _driver_cursor(session)
    try:
        # Table and column names come from the models, never from input.
        cursor.execute(f'SELECT {names} FROM "{table.name}" ORDER BY "{columns[0].name}"')
        parts = []
        while batch := cursor.fetchmany(BATCH_ROWS):
            parts.append(pl.DataFrame(batch, schema=schema, orient="row"))
    finally:
        cursor.close()
    return pl.concat(parts, how="vertical") if parts else pl.DataFrame(schema=schema)


def _driver_cursor(session: Session) -> Any:
    return session.connection().connection.driver_connection.cursor()  # type: ignore[union-attr]


# SQLite through ADBC: rows go from SQLite into Arrow columns in C and never become Python objects, which
# is most of what reading a million-row table through the sqlite3 module costs (ADBC takes a third of the
# CPU time on the people table). The driver infers each column's type from the first batch of rows, so
# every query starts with one row of placeholders of the right types (dropped after), and text-like
# columns are cast to TEXT. It needs a connection of its own, so it is used only where the frames may be
# a snapshot of their own: `load_frames(..., own_snapshot=True)` on a session bound to an engine.
ADBC_BATCH_ROWS = 100_000


def _adbc_path(session: Session) -> str | None:
    """The database file when ADBC can read it (SQLite on a file, the driver installed), else None."""
    bind = session.get_bind()
    if not isinstance(bind, sa.Engine) or bind.dialect.name != "sqlite":
        return None
    path = bind.url.database
    if not path or path == ":memory:" or path.startswith("file:") or bind.url.query:
        return None
    # An optional driver: imported by name, so that type checks pass with it installed or not.
    if importlib.util.find_spec("adbc_driver_sqlite") is None:
        return None
    return path


def _read_adbc(path: str) -> dict[str, pl.DataFrame]:
    """Every table, read in one read transaction of an ADBC connection of its own (one snapshot)."""
    dbapi = importlib.import_module("adbc_driver_sqlite.dbapi")
    frames = {}
    # Read-only: ADBC bundles its own SQLite, and POSIX locks do not tell one library's connections from
    # another's in the same process. A read-write connection closing here took itself for the last one
    # and deleted the WAL under the engine's pooled connections: what they wrote afterwards (the flags,
    # then tips) stayed in a deleted file, unseen by any new connection until the pool closed (the next
    # flag run saw no tips; sqlite3 got "disk I/O error"). A read-only connection never deletes the WAL.
    uri = Path(path).absolute().as_uri() + "?mode=ro"
    with dbapi.connect(uri) as connection, connection.cursor() as cursor:
        cursor.adbc_statement.set_options(**{"adbc.sqlite.query.batch_rows": str(ADBC_BATCH_ROWS)})
        for name, table in TABLES.items():
            target = {c.name: polars_type(c) for c in frame_columns(table)}
            placeholders = ", ".join(f'{_placeholder(kind)} AS "{n}"' for n, kind in target.items())
            values = ", ".join(_adbc_column(name, kind) for name, kind in target.items())
            # Table and column names come from the models, never from input.
            cursor.execute(f'SELECT {placeholders} UNION ALL SELECT {values} FROM "{table.name}"')
            frame = pl.from_arrow(cursor.fetch_arrow_table())
            assert isinstance(frame, pl.DataFrame)
            frame = _typed(frame.slice(1), target)
            key = frame.columns[0]
            if not frame[key].is_sorted():
                frame = frame.sort(key, maintain_order=True)
            frames[name] = frame
    return frames


def _placeholder(kind: pl.DataType) -> str:
    if isinstance(kind, pl.Int64 | pl.Boolean):
        return "0"
    if isinstance(kind, pl.Float64):
        return "0.5"
    return "''"


def _adbc_column(name: str, kind: pl.DataType) -> str:
    if isinstance(kind, pl.Int64 | pl.Boolean | pl.Float64):
        return f'"{name}"'
    return f'CAST("{name}" AS TEXT)'


def _read_copy(session: Session, table: sa.Table, target: dict[str, pl.DataType]) -> pl.DataFrame:
    """PostgreSQL: the table as CSV through COPY, parsed by polars (NULL is an unquoted empty field, the
    empty string a quoted one, so the two stay apart). Dates, times and booleans come as text."""
    columns = frame_columns(table)
    names = ", ".join(f'"{c.name}"' for c in columns)
    # Table and column names come from the models, never from input.
    statement = (
        f'COPY (SELECT {names} FROM "{table.name}" ORDER BY "{columns[0].name}") TO STDOUT (FORMAT csv)'
    )
    buffer = io.BytesIO()
    cursor = _driver_cursor(session)
    try:
        with cursor.copy(statement) as copy:
            for chunk in copy:
                buffer.write(chunk)
    finally:
        cursor.close()
    schema = {
        n: (pl.String() if k.is_temporal() or isinstance(k, pl.Boolean) else k) for n, k in target.items()
    }
    if buffer.tell() == 0:
        return pl.DataFrame(schema=schema).with_columns(
            pl.col(n).cast(pl.Boolean) for n, k in target.items() if isinstance(k, pl.Boolean)
        )
    frame = pl.read_csv(buffer.getvalue(), has_header=False, schema=schema, quote_char='"')
    return frame.with_columns(
        (pl.col(n) == "t").alias(n) for n, k in target.items() if isinstance(k, pl.Boolean)
    )


def _parse_text(name: str, kind: pl.DataType) -> pl.Expr:
    column = pl.col(name)
    if isinstance(kind, pl.Date):
        return column.str.slice(0, 10).str.to_date("%Y-%m-%d")
    if isinstance(kind, pl.Time):
        return column.str.to_time("%H:%M:%S%.f", strict=False)
    return column.str.to_datetime(time_unit="us", strict=False)


def load_frames(session: Session, *, own_snapshot: bool = False) -> Frames:
    """Read every registry table the detectors use, in the session's transaction (one snapshot).

    `own_snapshot`: the caller has written nothing in the session, so the tables may instead be read in
    one read transaction of a connection of their own (still one snapshot), which is faster on SQLite.
    """
    path = _adbc_path(session) if own_snapshot else None
    if path is not None:
        return Frames(**_read_adbc(path))
    return Frames(**{name: read_table(session, table) for name, table in TABLES.items()})
