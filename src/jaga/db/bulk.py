"""Bulk inserts of complete rows: COPY on PostgreSQL, executemany on the driver's cursor elsewhere.

COPY is PostgreSQL's own bulk-load path; through psycopg it is several times faster than even a pipelined
executemany. On SQLite the rows go to the sqlite3 cursor's executemany directly: SQLAlchemy's own
executemany spends more time building and processing parameter dictionaries than SQLite spends writing
the rows. Both bypass SQLAlchemy's statement execution, so the values are converted here the way it would
convert them: on SQLite with each column type's bind processor (dates and times become the same text
SQLAlchemy stores), on PostgreSQL with the TypeDecorators (such as UtcDateTime) only, as psycopg adapts the
plain types itself. Either way the statement runs on the session's connection, inside its transaction.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from functools import lru_cache
from typing import Any

from sqlalchemy import FromClause, Table, insert
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import Session
from sqlalchemy.types import TypeDecorator, TypeEngine

from jaga.db.engine import RESTORE_CACHE_SIZE

# SQLite's page cache for a bulk load (KiB; the default is 2 MiB). A load writes into eleven indexes on
# three tables; once their pages no longer fit in the cache, each insert rereads pages from the operating
# system and the transaction spills dirty pages into the WAL before it commits. Memory only: durability
# (WAL, synchronous, one transaction) is untouched.
BULK_CACHE_KIB = 256 * 1024


def prepare_bulk_load(session: Session) -> None:
    """Prepare the session's connection for a large transaction of bulk inserts (it begins here).

    On SQLite the page cache becomes BULK_CACHE_KIB; elsewhere nothing changes. The connection gets its
    own setting back when it returns to the pool (see `jaga.db.engine`), so the large cache lasts as long
    as the transaction holds the connection, and nobody else's connection is ever affected.
    """
    connection = session.connection()
    if connection.dialect.name != "sqlite":
        return
    pooled = connection.connection
    driver: Any = pooled.driver_connection
    if RESTORE_CACHE_SIZE not in pooled.info:
        (previous,) = driver.execute("PRAGMA cache_size").fetchone()
        pooled.info[RESTORE_CACHE_SIZE] = int(previous)
    driver.execute(f"PRAGMA cache_size = -{BULK_CACHE_KIB}")


def bulk_insert(session: Session, table: FromClause, rows: Sequence[dict[str, Any]]) -> None:
    """Insert `rows` (each with every column, ids included) into `table` in the session's transaction."""
    if not rows:
        return
    assert isinstance(table, Table)
    names = [c.name for c in table.columns if c.name in rows[0]]
    insert_tuples(session, table, names, [tuple(row[name] for name in names) for row in rows])


def insert_tuples(
    session: Session, table: FromClause, columns: Sequence[str], rows: Iterable[Sequence[Any]]
) -> None:
    """Insert `rows`, each a sequence of values for `columns` in that order, into `table`.

    `rows` may be an iterator: PostgreSQL then receives each row as it is made, and works on the rows
    already sent while the next ones are computed (the bulk import makes its events this way).
    """
    if isinstance(rows, Sequence) and not rows:
        return
    assert isinstance(table, Table)
    connection = session.connection()
    dialect = connection.dialect
    if dialect.name not in ("sqlite", "postgresql"):
        session.execute(insert(table), [dict(zip(columns, row, strict=True)) for row in rows])
        return
    converters = _converters(table, tuple(columns), dialect)
    if any(convert is not None for convert in converters):
        rows = _converted(rows, converters) if isinstance(rows, Sequence) else _converting(rows, converters)
    driver: Any = connection.connection.driver_connection
    quote = dialect.identifier_preparer.quote
    names = ", ".join(quote(name) for name in columns)
    if dialect.name == "postgresql":
        with driver.cursor() as cursor, cursor.copy(f"COPY {quote(table.name)} ({names}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
        return
    cursor = driver.cursor()
    try:
        marks = ", ".join("?" for _ in columns)
        cursor.executemany(f"INSERT INTO {quote(table.name)} ({names}) VALUES ({marks})", rows)
    finally:
        cursor.close()


_NOTHING = object()


class _Converter:
    """A column's conversion to what the driver is given, remembering what it has converted: a bulk load
    repeats the same dates and timestamps (a batch's creation time, days of birth) row after row."""

    REMEMBERED = 65_536  # distinct values; then it starts afresh

    def __init__(self, process: Callable[[Any], Any]) -> None:
        self._process = process
        self._seen: dict[Any, Any] = {}

    def one(self, value: Any) -> Any:
        if value is None:
            return None
        key = (type(value), value, getattr(value, "tzinfo", None))  # see `column`
        try:
            return self._seen[key]
        except KeyError:
            if len(self._seen) > self.REMEMBERED:
                self._seen.clear()
            converted = self._seen[key] = self._process(value)
            return converted
        except TypeError:
            return self._process(value)

    def column(self, values: Sequence[Any]) -> list[Any]:
        seen, process = self._seen, self._process
        if len(seen) > self.REMEMBERED:
            seen.clear()
        converted: list[Any] = []
        last: Any = None
        last_converted: Any = None
        for value in values:
            if value is None:
                converted.append(None)
            elif value is last:
                converted.append(last_converted)
            else:
                # The key includes the time zone: equal instants in different zones are equal values,
                # but a type that stores the wall-clock time must not give one of them the other's text.
                key = (type(value), value, getattr(value, "tzinfo", None))
                try:
                    result = seen[key]
                except KeyError:
                    result = seen[key] = process(value)
                except TypeError:  # an unhashable value (a JSON document): converted every time
                    result = process(value)
                converted.append(result)
                last, last_converted = value, result
        return converted


@lru_cache(maxsize=256)
def _converters(table: Table, columns: tuple[str, ...], dialect: Dialect) -> tuple[_Converter | None, ...]:
    return tuple(_converter(table.c[name].type, dialect) for name in columns)


def _converter(type_: TypeEngine[Any], dialect: Dialect) -> _Converter | None:
    if dialect.name == "postgresql":
        if not isinstance(type_, TypeDecorator):
            return None
        decorator = type_
        return _Converter(lambda value: decorator.process_bind_param(value, dialect))
    processor = type_.dialect_impl(dialect).bind_processor(dialect)
    return _Converter(processor) if processor is not None else None


def _converted(rows: Sequence[Sequence[Any]], converters: Sequence[_Converter | None]) -> list[Sequence[Any]]:
    """The rows with their values converted, column by column (only the columns that need it)."""
    columns: list[Sequence[Any]] = list(zip(*rows, strict=True))
    for index, convert in enumerate(converters):
        if convert is not None:
            columns[index] = convert.column(columns[index])
    return list(zip(*columns, strict=True))


def _converting(
    rows: Iterable[Sequence[Any]], converters: Sequence[_Converter | None]
) -> Iterator[Sequence[Any]]:
    """The rows with their values converted, one row at a time.

    A value that is the very object of the row before (the events' common timestamp) takes that row's
    conversion without a lookup.
    """
    columns = [(index, convert) for index, convert in enumerate(converters) if convert is not None]
    if len(columns) == 1:  # the events: only their timestamp is converted
        ((index, convert),) = columns
        last: Any = _NOTHING
        last_converted: Any = None
        for row in rows:
            values = list(row)
            value = values[index]
            if value is not last:
                last, last_converted = value, convert.one(value)
            values[index] = last_converted
            yield values
        return
    for row in rows:
        values = list(row)
        for index, convert in columns:
            values[index] = convert.one(values[index])
        yield values
