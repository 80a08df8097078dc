"""The registry as polars DataFrames, one per table, for the detectors.

Column names are the ORM column names exactly, so detectors are written against the models. Rows are read
with one plain SELECT per table through the DBAPI cursor (no ORM objects: at a million births the ORM
would cost minutes) and typed from the table definitions, so an empty table still has its columns.
SQLite hands dates back as ISO text; they are parsed column-wise by polars, not row by row in Python.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Any

import polars as pl
import sqlalchemy as sa
from sqlalchemy.orm import Session

from jaga.linkage.models import Identity
from jaga.registry.models import (
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

BATCH_ROWS = 200_000


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

    def sizes(self) -> dict[str, int]:
        """Rows per table (for progress reports and run records)."""
        return {f.name: getattr(self, f.name).height for f in fields(self)}


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
}


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
    """Every row of `table` as a typed DataFrame, columns in table order."""
    columns = list(table.columns)
    target = {c.name: polars_type(c) for c in columns}
    sqlite = session.get_bind().dialect.name == "sqlite"
    # SQLite stores dates, times and timestamps as text: read as text, parse per column afterwards.
    textual = {
        name for name, kind in target.items() if sqlite and isinstance(kind, pl.Date | pl.Datetime | pl.Time)
    }
    read_schema = {name: (pl.String() if name in textual else kind) for name, kind in target.items()}
    names = ", ".join(f'"{c.name}"' for c in columns)
    connection = session.connection()
    cursor = connection.connection.driver_connection.cursor()  # type: ignore[union-attr]
    try:
        # Table and column names come from the models, never from input.
        cursor.execute(f'SELECT {names} FROM "{table.name}" ORDER BY "{columns[0].name}"')
        parts = []
        while batch := cursor.fetchmany(BATCH_ROWS):
            parts.append(pl.DataFrame(batch, schema=read_schema, orient="row"))
    finally:
        cursor.close()
    frame = pl.concat(parts, how="vertical") if parts else pl.DataFrame(schema=read_schema)
    return frame.with_columns(_parse_text(name, target[name]) for name in textual)


def _parse_text(name: str, kind: pl.DataType) -> pl.Expr:
    column = pl.col(name)
    if isinstance(kind, pl.Date):
        return column.str.slice(0, 10).str.to_date("%Y-%m-%d")
    if isinstance(kind, pl.Time):
        return column.str.to_time("%H:%M:%S%.f", strict=False)
    return column.str.to_datetime(time_unit="us", strict=False)


def load_frames(session: Session) -> Frames:
    """Read every registry table the detectors use, in the session's transaction (one snapshot)."""
    return Frames(**{name: read_table(session, table) for name, table in TABLES.items()})
