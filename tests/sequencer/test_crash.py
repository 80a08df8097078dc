"""kill -9 in the middle of `jaga ledger integrate`, again and again: nothing committed is lost, every
checkpoint ever stored is a prefix of the final log (no fork), and the restart finishes the job."""

from __future__ import annotations

import base64
import csv
import json
import random
import signal
import sqlite3
import subprocess
import time
from contextlib import closing
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, create_engine, func, select
from sqlalchemy.engine import make_url

from jaga.bench.imports import write_files
from jaga.db import EventRecord, EventSequence, create_engine_for, session_factory
from jaga.ledger import open_checkpoint, parse_vkey, root_of, verify_consistency
from jaga.registry.models import Birth, Person
from jaga.sequencer import LedgerCheckpoint, LedgerState
from tests.cli_helpers import jaga, jaga_process
from tests.conftest import PreparedDatabase
from tests.sequencer.helpers import expected_leaves, fill_events

EVENTS = 60_000
BATCH = 1_000


def _state(engine: Engine) -> tuple[int, bytes, str | None, list[tuple[int, bytes]]]:
    with session_factory(engine)() as session:
        state = session.get(LedgerState, 1)
        assert state is not None
        signed = [(row.size, row.root) for row in session.scalars(select(LedgerCheckpoint))]
        return state.size, state.root, state.checkpoint, sorted(signed)


def _size(engine: Engine) -> int:
    with engine.connect() as connection:
        return int(connection.execute(select(LedgerState.size)).scalar_one())


def test_killing_the_sequencer_mid_append_loses_nothing_and_never_forks(
    throwaway_url: str, tmp_path: Path
) -> None:
    url, data = throwaway_url, tmp_path / "data"
    assert jaga(url, "ledger", "init", data_dir=data).exit_code == 0
    vkey = parse_vkey((data / "keys" / "ledger.vkey").read_text().strip())
    fill_events(url, EVENTS)
    leaves = expected_leaves(url)
    # A plain engine: jaga's own takes SQLite's write lock on BEGIN (IMMEDIATE), which would queue this
    # poll behind the sequencer's back-to-back transactions; a plain WAL reader never waits.
    engine = create_engine(url)
    kills = 0
    for _ in range(4):
        before = _size(engine)
        if before == len(leaves):
            break
        process = jaga_process(url, "ledger", "integrate", "--batch", str(BATCH), data_dir=data)
        deadline = time.monotonic() + 60
        # Kill as soon as this run has committed a batch: it is then in the middle of the next one.
        while _size(engine) == before and process.poll() is None and time.monotonic() < deadline:
            time.sleep(0.005)
        if process.poll() is None:
            process.send_signal(signal.SIGKILL)
            kills += 1
        process.communicate()
        size, root, note, _ = _state(engine)
        # What survived is a whole number of batches, its root is the root of exactly those events,
        # and the stored checkpoint signs it.
        assert size % BATCH == 0 or size == len(leaves)
        assert root == root_of(leaves[:size])
        assert note is not None
        checkpoint, _ = open_checkpoint(note, [vkey])
        assert (checkpoint.size, checkpoint.root) == (size, root)
    assert kills >= 2, "the sequencer finished before it could be killed: raise EVENTS"

    finish = jaga(url, "ledger", "integrate", data_dir=data)
    assert finish.exit_code == 0, finish.output
    size, root, _, signed = _state(engine)
    engine.dispose()
    assert size == len(leaves) >= EVENTS
    assert root == root_of(leaves)
    sizes = [s for s, _ in signed]
    assert sizes == sorted(set(sizes))
    for position, (old_size, old_root) in enumerate(signed):
        assert old_root == root_of(leaves[:old_size])  # every checkpoint ever signed is a prefix
        if old_size and position % 7 == 0:  # and the log proves it (a sample: each proof is a command)
            proved = json.loads(jaga(url, "ledger", "prove", "1", "--old-size", str(old_size)).output)
            proof = [base64.b64decode(h) for h in proved["proof"]]
            verify_consistency(old_size, size, proof, old_root, root)
    assert jaga(url, "ledger", "audit", data_dir=data).exit_code == 0
    assert base64.b64encode(root).decode() in jaga(url, "ledger", "checkpoint", data_dir=data).output


# --- kill -9 at random moments of imports and integrations, again and again -------------------------

LOOP_ITERATIONS = 14
LOOP_BIRTHS = 3_000  # per file: a few seconds of import, so that kills land before, during and after it
LOOP_SEED = 20_260_301


def _births_file(source: Path, target: Path, number: int) -> Path:
    """`source`'s births with refs and SKL numbers of their own (file `number`)."""
    with source.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    for row in rows[1:]:
        row[0] = row[0].replace("B-", f"B{number}-", 1)
        row[5] = row[5].replace("SKL/", f"SKL/{number}/", 1)
    with target.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows(rows)
    return target


def _registry_counts(url: str) -> dict[str, int]:
    engine = create_engine_for(url)
    try:
        with engine.connect() as connection:

            def count(query: Any) -> int:
                return int(connection.execute(query).scalar_one() or 0)

            return {
                "births": count(select(func.count()).select_from(Birth)),
                "people": count(select(func.count()).select_from(Person)),
                "events": count(select(func.count()).select_from(EventRecord)),
                "highest": count(select(func.max(EventRecord.seq))),
                "next_seq": count(select(EventSequence.next_seq)),
                "birth_events": count(
                    select(func.count()).select_from(EventRecord).where(EventRecord.kind == "birth.recorded")
                ),
                "person_events": count(
                    select(func.count()).select_from(EventRecord).where(EventRecord.kind == "person.recorded")
                ),
                "log_size": count(select(LedgerState.size)),
            }
    finally:
        engine.dispose()


def _births_of_file(url: str, number: int) -> int:
    engine = create_engine_for(url)
    try:
        with engine.connect() as connection:
            query = select(func.count()).select_from(Birth).where(Birth.ref.like(f"B{number}-%"))
            return int(connection.execute(query).scalar_one())
    finally:
        engine.dispose()


def _kill_at(
    processes: dict[str, subprocess.Popen[str]], moments: dict[str, float], started: float
) -> dict[str, str]:
    """SIGKILL each process named in `moments` that many seconds after `started` (if still running), let
    the others finish; whether each was killed or finished."""
    due = dict(moments)
    while due:
        elapsed = time.monotonic() - started
        for name, moment in list(due.items()):
            if processes[name].poll() is not None:
                del due[name]
            elif elapsed >= moment:
                processes[name].send_signal(signal.SIGKILL)
                del due[name]
        time.sleep(0.005)
    outcome = {}
    for name, process in processes.items():
        _, err = process.communicate(timeout=600)
        if process.returncode == -signal.SIGKILL:
            outcome[name] = "killed"
        else:
            assert process.returncode == 0, f"{name}: exit {process.returncode}: {err}"
            outcome[name] = "finished"
    return outcome


def _sequencer(url: str, data: Path) -> subprocess.Popen[str]:
    """`jaga ledger integrate --follow`, as it runs in production beside the imports."""
    return jaga_process(
        url, "ledger", "integrate", "--follow", "--interval", "0.2", "--batch", "500", data_dir=data
    )


@pytest.mark.slow
def test_kill_9_at_random_moments_of_imports_and_integrations_leaves_all_or_nothing_and_a_clean_audit(
    database: PreparedDatabase, throwaway_url: str, tmp_path: Path, tokens: dict[str, str]
) -> None:
    """Each round starts an import of a new births file and `jaga ledger integrate --follow` side by side
    and kill -9s the import, the sequencer or both at a random moment (spread from start-up to past the
    end; the sequencer, which never ends by itself, dies with the import or shortly after). After every
    round: the file is in the database wholly or not at all, every row has its event and the events are
    gapless, the log never runs ahead of the events, and once integrate has resumed the audit is clean."""
    url, data = throwaway_url, tmp_path / "data"
    assert jaga(url, "ledger", "init", data_dir=data).exit_code == 0
    facilities, people, first = write_files(tmp_path, LOOP_BIRTHS)
    assert jaga(url, "import", "facilities", str(facilities), token=tokens["admin"]).exit_code == 0
    assert jaga(url, "import", "people", str(people), token=tokens["facility"]).exit_code == 0

    # Calibration: how long an uninterrupted import takes here beside the sequencer, start-up included.
    started = time.monotonic()
    path = _births_file(first, tmp_path / "b0.csv", 0)
    processes = {
        "import": jaga_process(url, "import", "births", str(path), token=tokens["facility"], data_dir=data)
    }
    sequencer = _sequencer(url, data)
    assert _kill_at(processes, {}, started) == {"import": "finished"}
    duration = time.monotonic() - started
    sequencer.send_signal(signal.SIGKILL)
    sequencer.communicate()
    expected = {0: LOOP_BIRTHS}

    rng = random.Random(LOOP_SEED)
    rounds: list[str] = []
    for number in range(1, LOOP_ITERATIONS + 1):
        path = _births_file(first, tmp_path / f"b{number}.csv", number)
        # Stratified: round n kills in the n-th slice of (0, 1.5 x duration), so that the moments cover
        # start-up, the writes, the commit and the time after it. The sequencer runs with --follow, so it
        # is always killed: with the import, at the same moment, or a little after (mid-append, often).
        moment = duration * 1.5 * (number - 1 + rng.random()) / LOOP_ITERATIONS
        victim = rng.choice(["import", "integrate", "both"])
        later = moment + rng.uniform(0.2, 2.0)
        started = time.monotonic()
        processes = {
            "import": jaga_process(
                url, "import", "births", str(path), token=tokens["facility"], data_dir=data
            ),
            "integrate": _sequencer(url, data),
        }
        moments = {
            "import": {"import": moment, "integrate": later},
            "integrate": {"integrate": moment},
            "both": {"import": moment, "integrate": moment},
        }[victim]
        outcome = _kill_at(processes, moments, started)  # an import not named finishes

        written = _births_of_file(url, number)
        assert written in (0, LOOP_BIRTHS), f"round {number}: {written} of {LOOP_BIRTHS} births survived"
        if outcome["import"] == "finished":
            assert written == LOOP_BIRTHS
        elif written:
            outcome["import"] = "killed after its commit"
        expected[number] = written
        counts = _registry_counts(url)
        assert counts["births"] == sum(expected.values())
        assert counts["people"] == LOOP_BIRTHS // 2 + counts["births"]  # mothers, and a child per birth
        assert counts["birth_events"] == counts["births"] and counts["person_events"] == counts["people"]
        assert counts["highest"] == counts["events"] == counts["next_seq"] - 1  # gapless, no fork
        assert counts["log_size"] <= counts["events"]
        if database.dialect == "sqlite":
            with closing(sqlite3.connect(str(make_url(url).database))) as raw:
                assert raw.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        resumed = jaga(url, "ledger", "integrate", data_dir=data)
        assert resumed.exit_code == 0, resumed.output
        audited = jaga(url, "ledger", "audit", data_dir=data)
        assert audited.exit_code == 0, audited.output
        assert f"log size {counts['events']}:" in audited.output and " 0 events not yet" in audited.output
        killed_at = f"{moment:5.2f} s" + (f" (integrate {later:5.2f} s)" if victim == "import" else "")
        rounds.append(
            f"round {number:2d}: kill {victim:9s} at {killed_at:24s} of {duration:.2f} s: import "
            f"{outcome['import']} ({written} births), integrate {outcome['integrate']}, "
            f"log {counts['log_size']} of {counts['events']} events -> resumed to {counts['events']}, audit clean"
        )
    print(f"\n{database.dialect}: " + "\n".join(rounds))  # the figures, with pytest -s
    assert sum("import killed (0" in line for line in rounds) >= 3, "too few kills landed mid-import"
    assert any("import finished" in line or "after its commit" in line for line in rounds)
