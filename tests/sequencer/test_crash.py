"""kill -9 in the middle of `jaga ledger integrate`, again and again: nothing committed is lost, every
checkpoint ever stored is a prefix of the final log (no fork), and the restart finishes the job."""

from __future__ import annotations

import base64
import json
import signal
import time
from pathlib import Path

from sqlalchemy import Engine, create_engine, select

from jaga.db import session_factory
from jaga.ledger import open_checkpoint, parse_vkey, root_of, verify_consistency
from jaga.sequencer import LedgerCheckpoint, LedgerState
from tests.cli_helpers import jaga, jaga_process
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
