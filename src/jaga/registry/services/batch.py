"""What every registry write shares: a batch of validated rows in, rows and events out, problems named.

Each write use case is written once, for a batch: the API calls it with one row and commits, the importer
calls it with thousands and commits once at the end of the file. Rows are inserted with bulk SQL and their
events recorded with the exact state written, so both paths produce identical records and events.
"""

from __future__ import annotations

import json
import os
import secrets
import struct
import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from operator import itemgetter
from typing import Any, Literal, TypeVar

from sqlalchemy import ARRAY, ColumnElement, Table, Text, any_, bindparam, func, select
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session

from jaga.access import Action, Actor
from jaga.db import Base, EventKind, UnitOfWork
from jaga.db.bulk import insert_tuples
from jaga.db.canonical import iter_canonical_rows
from jaga.errors import (
    Conflict,
    DuplicateNik,
    DuplicateRef,
    FieldProblem,
    JagaError,
    OutOfRegion,
    PermissionDenied,
    RecordNotFound,
    RecordRejected,
)
from jaga.regions import format_code, within

Category = Literal["invalid", "conflict", "forbidden", "warning"]
T = TypeVar("T", bound=Base)

# Indonesia spans UTC+7 to UTC+9. "Today" for refusing future dates is taken in the easternmost zone
# (WIT), so a birth recorded this morning in Jayapura is never refused as being in the future.
LATEST_INDONESIAN_OFFSET = timedelta(hours=9)

_REF_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"  # Crockford base32: no I, L, O, U


@dataclass(frozen=True)
class RowProblem:
    """One problem with one row: which field, why, and what kind of refusal it is."""

    row: int
    field: str | None
    reason: str
    category: Category = "invalid"
    error: JagaError | None = None  # the precise error, re-raised as is for single-record calls


@dataclass
class BatchOutcome:
    ids: list[int] = field(default_factory=list)
    refs: list[str] = field(default_factory=list)
    problems: list[RowProblem] = field(default_factory=list)
    # Rows written with warnings (category "warning"): accepted, reported, never a reason to refuse.
    warnings: list[RowProblem] = field(default_factory=list)


@dataclass
class Batch:
    """The context of one write: unit of work, actor, and the clock's reading for this batch."""

    uow: UnitOfWork
    actor: Actor
    now: datetime = field(init=False)
    today: date = field(init=False)

    def __post_init__(self) -> None:
        self.now = self.uow.clock()
        self.today = (self.now.astimezone(UTC) + LATEST_INDONESIAN_OFFSET).date()

    @property
    def session(self) -> Session:
        return self.uow.session

    def jurisdiction(self, given: str | None, row: int, problems: list[RowProblem], what: str) -> str | None:
        """The record's region: as given (inside the actor's scope) or the actor's own scope."""
        region = given if given is not None else self.actor.region_scope
        if not region:
            problems.append(
                RowProblem(row, "region_code", "is required (your account covers the whole country)")
            )
            return None
        if not within(region, self.actor.region_scope):
            problems.append(outside_scope(row, "region_code", region, self.actor, what))
            return None
        return region


def outside_scope(row: int, field_name: str, region: str, actor: Actor, what: str) -> RowProblem:
    message = (
        f"{what} in region {format_code(region)} is outside your scope {format_code(actor.region_scope)}"
    )
    return RowProblem(row, field_name, message, "forbidden", OutOfRegion(message))


# Two characters for each 10 bits, lowest bits first: a bulk import makes a reference for every child.
_REF_PAIRS = [_REF_ALPHABET[n & 31] + _REF_ALPHABET[n >> 5] for n in range(1024)]


class _RandomBits(threading.local):
    """Random 50-bit numbers drawn 512 at a time: one system call per reference was a measurable part of
    a bulk import, which makes one for every child. Per thread, and emptied in a forked child, so that
    no two processes or threads ever hand out the same numbers."""

    def __init__(self) -> None:
        self.values: list[int] = []

    def take(self) -> int:
        if not self.values:
            self.values = [n >> 14 for n in struct.unpack("<512Q", secrets.token_bytes(512 * 8))]
        return self.values.pop()

    def forget(self) -> None:
        self.values = []


_RANDOM_BITS = _RandomBits()
# In a forked child only the forking thread exists, and this empties its numbers (the parent's own).
os.register_at_fork(after_in_child=_RANDOM_BITS.forget)


def new_ref(prefix: str) -> str:
    """A fresh public reference, e.g. `B-7QK2M9XR4T` (50 random bits, five at a time, lowest first)."""
    bits = _RANDOM_BITS.take()
    pairs = _REF_PAIRS
    return (
        f"{prefix}-{pairs[bits & 1023]}{pairs[(bits >> 10) & 1023]}{pairs[(bits >> 20) & 1023]}"
        f"{pairs[(bits >> 30) & 1023]}{pairs[bits >> 40]}"
    )


def one_of(session: Session, column: Any, values: Sequence[Any]) -> ColumnElement[bool]:
    """`column IN (values)`; on PostgreSQL `column = ANY(array)`, one parameter instead of thousands.

    An IN list of a batch's refs is a statement of thousands of placeholders, new for every batch, which
    psycopg parses in Python each time (it is too long for its statement cache): that was a tenth of a
    PostgreSQL import. On SQLite, `column IN (SELECT value FROM json_each(?))`: one parameter too (the
    values as one JSON text), and a statement SQLAlchemy compiles once; the plan probes the column's
    index per value. `values` are str or int. (PostgreSQL given the values as JSON too, unpacked by
    json_array_elements_text, was tried: it spares psycopg's quoting of the array, but the server's CPU
    time for an import rose by more than that saved.)
    """
    if session.get_bind().dialect.name == "postgresql":
        return column == any_(bindparam(None, list(values), type_=ARRAY(column.type)))  # type: ignore[no-any-return]
    # SQLite: the values as one JSON text, unpacked by json_each. An expanding parameter (`IN (?, ?, ...)`)
    # is compiled afresh for every batch, which cost more than the query itself.
    given = bindparam(None, json.dumps(list(values)), type_=Text)
    members = func.json_each(given).table_valued("value")
    return column.in_(select(members.c.value))  # type: ignore[no-any-return]


def lookup(session: Session, model: type[Base], refs: Iterable[str | None], *columns: Any) -> dict[str, Any]:
    """Rows of `model` by ref for the refs given (None ignored): ref -> row with `id`, `ref` and `columns`."""
    wanted = sorted({r for r in refs if r})
    found: dict[str, Any] = {}
    table_id, table_ref = model.id, model.ref  # type: ignore[attr-defined]
    connection = flushed_connection(session)
    for start in range(0, len(wanted), 5000):
        chunk = wanted[start : start + 5000]
        query = select(table_id, table_ref, *columns).where(one_of(session, table_ref, chunk))
        # all(): one fetchall, where iterating would fetch row by row through two drivers' layers.
        found.update((row.ref, row) for row in connection.execute(query).all())
    return found


def taken_values(session: Session, column: Any, values: Iterable[str | None]) -> set[str]:
    """Which of `values` already appear in `column`."""
    wanted = sorted({v for v in values if v})
    taken: set[str] = set()
    connection = flushed_connection(session)
    for start in range(0, len(wanted), 5000):
        chunk = wanted[start : start + 5000]
        taken.update(connection.scalars(select(column).where(one_of(session, column, chunk))).all())
    return taken


def flushed_connection(session: Session) -> Connection:
    """The session's connection, for queries that need no ORM objects (a bulk import makes thousands of
    lookups, and the ORM's loading of plain rows cost more than the queries), after the flush that
    `session.execute` would have made, so that they see the rows the session has pending."""
    session.flush()
    return session.connection()


class UniqueGuard:
    """Refuses a value already stored or already used earlier in the same batch."""

    def __init__(self, session: Session, column: Any, values: Iterable[str | None], label: str) -> None:
        values = list(values)
        self._taken = taken_values(session, column, values)
        self._label = label

    def claim(self, value: str | None, row: int, field_name: str, problems: list[RowProblem]) -> None:
        if value is None:
            return
        if value in self._taken:
            message = f"{self._label} {value!r} is already in use"
            error: JagaError = DuplicateRef(message) if field_name.endswith("ref") else Conflict(message)
            problems.append(RowProblem(row, field_name, message, "conflict", error))
        self._taken.add(value)


def owned(batch: Batch, model: type[T], ref: str, label: str, action: Action) -> T:
    """The record `ref`, for an update by the actor (RoleNotAllowed, RecordNotFound, OutOfRegion)."""
    batch.actor.require(action)
    found: Any = batch.session.execute(select(model).where(model.ref == ref)).scalar_one_or_none()  # type: ignore[attr-defined]
    if found is None:
        raise RecordNotFound(label, ref)
    batch.actor.require_region(found.region_code, what=f"{label} {ref}")
    record: T = found
    return record


def missing_ref(row: int, field_name: str, kind: str, ref: str) -> RowProblem:
    return RowProblem(row, field_name, f"no {kind} with ref {ref!r}")


def insert_rows(
    batch: Batch, model: type[Base], rows: Sequence[dict[str, Any]], kind: EventKind
) -> list[int]:
    """Insert complete rows with bulk SQL and record one event per row with exactly the state written."""
    if not rows:
        return []
    table = model.__table__
    assert isinstance(table, Table)
    columns = [c.name for c in table.columns if c.name != "id"]
    expected = set(columns)
    for values in rows:
        if values.keys() != expected:
            missing, extra = expected - set(values), set(values) - expected
            raise AssertionError(f"{table.name} row: missing {sorted(missing)}, unexpected {sorted(extra)}")
    ids = allocate_ids(batch.session, table, len(rows))
    # Known ids instead of INSERT ... RETURNING: the multi-row RETURNING statement is one huge query that
    # psycopg re-parses in Python for every batch (too long for its query cache), and it rules out COPY.
    pick = itemgetter(*columns)
    tuples = [(row_id, *pick(values)) for row_id, values in zip(ids, rows, strict=True)]
    names = ["id", *columns]
    insert_tuples(batch.session, table, names, tuples)
    # The event's state is the row as written, id included, serialised as `record_state` would read it.
    batch.uow.record_payloads(
        kind, str(table.name), ids, iter_canonical_rows(names, tuples), actor_id=batch.actor.principal_id
    )
    return ids


def allocate_ids(session: Session, table: Any, count: int) -> list[int]:
    """`count` fresh primary keys for `table`, taken the way the database would take them itself.

    PostgreSQL: from the column's own sequence, so later single inserts never collide. SQLite: above the
    current maximum, which is safe because every jaga transaction there holds the write lock from its
    first statement (BEGIN IMMEDIATE).
    """
    connection = session.connection()
    if connection.dialect.name == "postgresql":
        # On the driver's cursor: SQLAlchemy's result processing of a thousand ids cost more than the query.
        driver: Any = connection.connection.driver_connection
        with driver.cursor() as cursor:
            cursor.execute("SELECT pg_get_serial_sequence(%s, 'id')", (table.name,))
            (sequence,) = cursor.fetchone()
            cursor.execute("SELECT nextval(%s) FROM generate_series(1, %s)", (sequence, count))
            return [value for (value,) in cursor.fetchall()]
    highest = session.execute(select(func.coalesce(func.max(table.c.id), 0))).scalar_one()
    return list(range(highest + 1, highest + 1 + count))


def raise_first(kind: str, problems: Sequence[RowProblem]) -> None:
    """Turn a single record's problems into the one error its caller should see.

    Refusals by permission come first (403), then conflicts with stored records (409), then the
    record's own validation problems, all of them together (422).
    """
    if not problems:
        return
    for category in ("forbidden", "conflict"):
        for problem in problems:
            if problem.category == category:
                if problem.error is not None:
                    raise problem.error
                raise (PermissionDenied if category == "forbidden" else Conflict)(
                    f"{problem.field or kind}: {problem.reason}"
                )
    for problem in problems:
        if problem.error is not None and not isinstance(problem.error, RecordRejected):
            raise problem.error
    raise RecordRejected(kind, [FieldProblem(p.field, p.reason) for p in problems])


def duplicate_nik(row: int, field_name: str) -> RowProblem:
    message = "this NIK is already recorded by the same source"
    return RowProblem(row, field_name, message, "conflict", DuplicateNik(message))
