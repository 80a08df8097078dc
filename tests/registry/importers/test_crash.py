"""A crash at any moment leaves the database and the event log consistent: kill -9 an import midway."""

from __future__ import annotations

import signal
import sqlite3
import time
from contextlib import closing
from pathlib import Path

from sqlalchemy import create_engine, func, select, text
from sqlalchemy.engine import make_url

from jaga.bench.imports import write_files
from jaga.db import EventRecord, EventSequence, create_engine_for
from jaga.registry.models import Birth, Person
from tests.cli_helpers import jaga, jaga_process
from tests.conftest import POSTGRES_SERVER, PreparedDatabase

BIRTHS = 20_000


def _writing(url: str) -> bool:
    """Whether some transaction is writing to the database right now."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        # A writer holds SQLite's write lock from its first write to its commit: if this connection cannot
        # take it at once, an import transaction is open and uncommitted. (The WAL's size said so only when
        # the page cache spilled before the commit, which it need not: the kill then came too late.)
        with closing(sqlite3.connect(str(parsed.database), timeout=0, isolation_level=None)) as probe:
            try:
                probe.execute("BEGIN IMMEDIATE")
            except sqlite3.OperationalError:
                return True
            probe.execute("ROLLBACK")
            return False
    admin = create_engine(POSTGRES_SERVER)
    try:
        with admin.connect() as connection:
            return bool(
                connection.execute(
                    text(
                        "SELECT count(*) FROM pg_stat_activity WHERE datname = :db AND backend_xid IS NOT NULL"
                    ),
                    {"db": parsed.database},
                ).scalar_one()
            )
    finally:
        admin.dispose()


def _state(url: str) -> tuple[int, int, int, int, int]:
    engine = create_engine_for(url)
    try:
        with engine.connect() as connection:
            births = connection.execute(select(func.count()).select_from(Birth)).scalar_one()
            people = connection.execute(select(func.count()).select_from(Person)).scalar_one()
            events = connection.execute(select(func.count()).select_from(EventRecord)).scalar_one()
            highest = connection.execute(select(func.max(EventRecord.seq))).scalar_one()
            next_seq = connection.execute(select(EventSequence.next_seq)).scalar_one()
        return births, people, events, highest, next_seq
    finally:
        engine.dispose()


def test_killing_an_import_midway_writes_nothing_and_the_log_stays_gapless(
    database: PreparedDatabase, throwaway_url: str, tmp_path: Path, tokens: dict[str, str]
) -> None:
    facilities, people, births = write_files(tmp_path, BIRTHS)
    assert jaga(throwaway_url, "import", "facilities", str(facilities), token=tokens["admin"]).exit_code == 0
    assert jaga(throwaway_url, "import", "people", str(people), token=tokens["facility"]).exit_code == 0
    before = _state(throwaway_url)

    process = jaga_process(
        throwaway_url, "import", "births", str(births), token=tokens["facility"], data_dir=tmp_path
    )
    deadline = time.monotonic() + 120
    while not _writing(throwaway_url):
        assert process.poll() is None, (
            "the import ended before it could be killed: " + process.communicate()[1]
        )
        assert time.monotonic() < deadline, "the import never started writing"
        time.sleep(0.05)
    process.send_signal(signal.SIGKILL)
    process.communicate()
    assert process.returncode == -signal.SIGKILL

    births_after, people_after, events, highest, next_seq = _state(throwaway_url)
    assert (births_after, people_after, events) == before[:3]  # nothing of the killed import survives
    assert highest == events and next_seq == events + 1  # the log has no gap and no fork
    if database.dialect == "sqlite":
        path = make_url(throwaway_url).database
        with closing(sqlite3.connect(str(path))) as raw:
            assert raw.execute("PRAGMA integrity_check").fetchone() == ("ok",)

    # The same file imports completely afterwards: no lock, no half-claimed ref is left behind.
    rerun = jaga(throwaway_url, "import", "births", str(births), token=tokens["facility"], data_dir=tmp_path)
    assert rerun.exit_code == 0, rerun.output
    births_final, _, events_final, highest_final, next_final = _state(throwaway_url)
    assert births_final == before[0] + BIRTHS
    assert events_final == before[2] + 2 * BIRTHS == highest_final == next_final - 1
