"""Reading the registry into frames: the fast paths give exactly what the plain row-by-row read gives."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from datetime import UTC, date, datetime, time
from pathlib import Path

import polars as pl
import pytest
from polars.testing import assert_frame_equal
from sqlalchemy.orm import Session

from jaga.db import create_engine_for, session_factory
from jaga.flags import frames as frames_module
from jaga.flags.frames import TABLES, frame_columns, load_frames, polars_type, read_table
from jaga.regions import upgrade_and_seed
from tests.factories.flags import Rows


def _plain(session: Session, name: str) -> pl.DataFrame:
    """The reference: every row through the DBAPI cursor, typed by polars from Python values."""
    table = TABLES[name]
    sqlite = session.get_bind().dialect.name == "sqlite"
    target = {c.name: polars_type(c) for c in frame_columns(table)}
    textual = {n for n, k in target.items() if sqlite and k.is_temporal()}
    schema = {n: (pl.String() if n in textual else k) for n, k in target.items()}
    frame = frames_module._read_rows(session, table, schema)
    return frame.with_columns(frames_module._parse_text(n, target[n]) for n in textual)


def _awkward_people(rows: Rows, source: str = "") -> None:
    rows.person(address="", phone=None, nik=None, birth_date=None, sex=None)
    rows.person(
        address=None,
        phone="",
        nik="3374015508900001",
        source_ref=source,
        birth_date=date(1990, 8, 15),
        sex="F",
    )
    rows.person(address="Jl. Pemuda\n12, RT 3", phone=".")
    rows.person(
        address="  spaces  ",
        religion="islam",
        birth_date=date(2001, 1, 2),
        sex="M",
        created_at=datetime(2026, 1, 1, 12, 30, 5, 123456, tzinfo=UTC),
    )


def test_people_read_fast_equal_the_plain_read(session: Session, rows: Rows) -> None:
    _awkward_people(rows)
    session.flush()
    fast = read_table(session, TABLES["people"])
    assert fast.height == 4
    assert_frame_equal(fast, _plain(session, "people"))
    assert fast["address"].to_list()[:2] == ["", None]
    assert fast["phone"].to_list()[:2] == [None, ""]
    assert "full_name" not in fast.columns  # no detector reads names: left out (UNREAD)


@pytest.mark.parametrize("separator", ["\x1e", "\x1f", "\x1e\x1f"])
def test_a_value_holding_a_separator_is_still_read_exactly(
    session: Session, rows: Rows, separator: str
) -> None:
    _awkward_people(rows)
    rows.person(address=f"before{separator}after", phone=f"{separator}")
    session.flush()
    fast = read_table(session, TABLES["people"])
    assert fast.height == 5
    assert fast["address"].to_list()[-1] == f"before{separator}after"
    assert_frame_equal(fast, _plain(session, "people"))


def test_every_table_reads_as_the_plain_read(session: Session, rows: Rows) -> None:
    mother = rows.person(birth_date=date(1970, 1, 1), sex="F")
    child = rows.person(birth_date=date(2025, 5, 1))
    rows.birth(mother=mother, child=child, born_on=date(2025, 5, 1), born_at_time=time(23, 59, 1))
    session.flush()
    loaded = load_frames(session)
    for name in TABLES:
        assert_frame_equal(getattr(loaded, name), _plain(session, name), check_row_order=True)


@pytest.mark.parametrize("batch_rows", [2, 100_000])
def test_a_run_reads_sqlite_through_adbc_as_the_plain_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, batch_rows: int
) -> None:
    pytest.importorskip("adbc_driver_sqlite")
    # Small batches: a later batch whose first rows are all NULL in a column must keep its type.
    monkeypatch.setattr(frames_module, "ADBC_BATCH_ROWS", batch_rows)
    engine = create_engine_for(f"sqlite:///{tmp_path / 'registry.db'}")
    upgrade_and_seed(engine)
    sessions = session_factory(engine)
    with sessions() as session:
        rows = Rows(session)
        for batch in range(3):
            _awkward_people(rows, source=f"batch {batch}")
        mother = rows.person(birth_date=date(1970, 1, 1), sex="F")
        rows.birth(mother=mother, born_on=date(2025, 5, 1), born_at_time=time(23, 59, 1))
        rows.birth(mother=mother, born_on=date(2025, 6, 1), registered_on=date(2025, 9, 1))
        session.commit()
    with sessions() as session:
        assert frames_module._adbc_path(session) is not None
        fast = load_frames(session, own_snapshot=True)
        plain = load_frames(session)
    engine.dispose()
    assert fast.people.height == 15 and fast.births.height == 2
    for name in TABLES:
        assert_frame_equal(getattr(fast, name), getattr(plain, name))


def test_without_the_adbc_driver_a_run_reads_through_the_session(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    engine = create_engine_for(f"sqlite:///{tmp_path / 'registry.db'}")
    upgrade_and_seed(engine)
    with session_factory(engine)() as session:
        _awkward_people(Rows(session))
        session.commit()
        monkeypatch.setattr(frames_module.importlib.util, "find_spec", lambda name: None)
        assert frames_module._adbc_path(session) is None
        loaded = load_frames(session, own_snapshot=True)
    engine.dispose()
    assert loaded.people.height == 4


def test_what_the_engine_writes_after_an_adbc_read_is_seen_by_the_next_read(tmp_path: Path) -> None:
    """ADBC brings a second SQLite library into the process; closing its connection must not delete the
    WAL under the engine's pooled connections (their later writes would be seen by no new connection)."""
    pytest.importorskip("adbc_driver_sqlite")
    path = tmp_path / "registry.db"
    engine = create_engine_for(f"sqlite:///{path}")
    upgrade_and_seed(engine)
    sessions = session_factory(engine)
    with sessions() as session:
        rows = Rows(session)
        _awkward_people(rows)
        session.commit()
        first = load_frames(session, own_snapshot=True)  # the pooled connection stays open meanwhile
        _awkward_people(rows, source="after the read")
        session.commit()
    with sessions() as session:
        second = load_frames(session, own_snapshot=True)
    with closing(sqlite3.connect(path)) as other:  # a new connection of the standard library's SQLite
        (count,) = other.execute("SELECT count(*) FROM people").fetchone()
    engine.dispose()
    assert first.people.height == 4 and second.people.height == 8 and count == 8
