"""The importer reads and validates the next chunks in a thread while it writes the current one.

The writes stay on the importing thread; these tests hold it to the promises that make the overlap safe:
the next chunk really is checked during a write, and a failure in a late chunk (the database's, or the
file's) still writes nothing, names the row, and leaves no reading thread behind.
"""

from __future__ import annotations

import dataclasses
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Self

import pytest
from pydantic import model_validator
from sqlalchemy import insert
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from jaga.access import Actor
from jaga.db import EventRecord
from jaga.errors import ImportFileInvalid, ImportRejected
from jaga.registry.importers import FileFormat, run_import
from jaga.registry.kinds import KINDS, Kind
from jaga.registry.models import Person
from jaga.registry.schemas.people import PersonIn
from jaga.registry.services.batch import Batch, BatchOutcome
from tests.registry.importers.test_import import (
    PEOPLE_HEADER,
    count,
    person_line,
    report_rows,
    write,
)

PEOPLE = KINDS["people"]


def _reading_threads() -> list[threading.Thread]:
    return [t for t in threading.enumerate() if t.name == "jaga-import-read"]


def _import(sessions: sessionmaker[Session], actor: Actor, kind: Kind, path: Path, tmp_path: Path) -> None:
    run_import(
        sessions,
        actor=actor,
        kind=kind,
        path=path,
        fmt=FileFormat.CSV,
        report_path=tmp_path / "report.csv",
        chunk_size=2,
    )


def _people(count_: int) -> str:
    return PEOPLE_HEADER + "".join(person_line(f"M-{n}") for n in range(1, count_ + 1))


def test_the_next_chunk_is_validated_while_the_current_one_is_written(
    sessions: sessionmaker[Session], actors: dict[str, Actor], tmp_path: Path
) -> None:
    third_row_checked = threading.Event()

    class Watched(PersonIn):
        @model_validator(mode="after")
        def _seen(self) -> Self:
            if self.ref == "M-3":  # the first row of the second chunk
                third_row_checked.set()
            return self

    waited: list[bool] = []

    def write_first_chunk_slowly(batch: Batch, rows: Sequence[tuple[int, Any]]) -> BatchOutcome:
        if not waited:
            # Without read-ahead the second chunk is only read once this returns: the wait times out.
            waited.append(third_row_checked.wait(timeout=30))
        return PEOPLE.write(batch, rows)

    kind = dataclasses.replace(PEOPLE, schema=Watched, write=write_first_chunk_slowly)
    _import(sessions, actors["facility"], kind, write(tmp_path, "people.csv", _people(4)), tmp_path)
    assert waited == [True]
    assert count(sessions, Person) == 4
    assert _reading_threads() == []


def test_a_database_error_in_a_late_chunk_writes_nothing(
    sessions: sessionmaker[Session], actors: dict[str, Actor], tmp_path: Path
) -> None:
    people, events = count(sessions, Person), count(sessions, EventRecord)
    calls: list[int] = []

    def fail_in_the_third_chunk(batch: Batch, rows: Sequence[tuple[int, Any]]) -> BatchOutcome:
        calls.append(len(rows))
        outcome = PEOPLE.write(batch, rows)
        if len(calls) == 3:  # a real constraint violation, raised by the database itself
            batch.session.execute(insert(Person).values(ref=None))
        return outcome

    kind = dataclasses.replace(PEOPLE, write=fail_in_the_third_chunk)
    with pytest.raises(IntegrityError):
        _import(sessions, actors["facility"], kind, write(tmp_path, "people.csv", _people(8)), tmp_path)
    assert calls == [2, 2, 2]  # the fourth chunk, read ahead, was never written
    assert (count(sessions, Person), count(sessions, EventRecord)) == (people, events)
    assert _reading_threads() == []


def test_a_bad_row_in_the_last_chunk_is_named_and_nothing_is_written(
    sessions: sessionmaker[Session], actors: dict[str, Actor], tmp_path: Path
) -> None:
    people = count(sessions, Person)
    content = _people(6) + person_line("M-7", born="1994-02-31")
    with pytest.raises(ImportRejected):
        _import(sessions, actors["facility"], PEOPLE, write(tmp_path, "people.csv", content), tmp_path)
    assert [(r["row"], r["column"]) for r in report_rows(tmp_path)] == [("7", "birth_date")]
    assert count(sessions, Person) == people
    assert _reading_threads() == []


def test_a_file_that_stops_being_utf8_in_a_late_chunk_writes_nothing(
    sessions: sessionmaker[Session], actors: dict[str, Actor], tmp_path: Path
) -> None:
    people = count(sessions, Person)
    # Far enough into the file that the reader's buffer has handed over the first chunks already.
    good = "".join(person_line(f"M-{n}", name="Sri Wahyuni " + "x" * 200) for n in range(1, 201))
    content = (PEOPLE_HEADER + good).encode("utf-8") + person_line("M-999", name="Müller").encode("latin-1")
    with pytest.raises(ImportFileInvalid, match="not UTF-8 text"):
        _import(sessions, actors["facility"], PEOPLE, write(tmp_path, "people.csv", content), tmp_path)
    assert count(sessions, Person) == people
    assert _reading_threads() == []
