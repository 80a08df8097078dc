"""kill -9 of the field node in the middle of `jaga field sync` loses nothing and writes nothing twice.

A real `jaga field sync` process posts to the real server through a slow link (a proxy that holds each
connection a moment: the sync lasts long enough to be killed in its middle however loaded the machine
is). It is killed at different points, each found by watching state, not by a fixed sleep: just after
the server stored a chunk (its answer maybe still on the way), just after the node took an answer in,
and while a chunk is on the wire. After each kill the node's database is intact, its chain verifies, what
it counts as sent the server holds, and the server holds each event once; a last sync ends the job.
"""

from __future__ import annotations

import random
import signal
import sqlite3
import subprocess
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from jaga.field import Node
from jaga.field.chain import GENESIS, SignedEvent, read_envelope, verify_signature
from jaga.field.node import DATABASE_FILE, record
from jaga.ledger.note import Ed25519Signer
from tests.cli_helpers import jaga_process
from tests.conftest import PreparedDatabase
from tests.field.conftest import NOW, OFFICER, mother_row
from tests.field.net import ChaosProxy, JagaServer
from tests.field.test_proxy_sync import enrol_over_cli, outbox_states, run_sync, server_state

pytestmark = pytest.mark.slow  # real server and sync processes, killed again and again

RECORDS = 300
CHUNK = 10  # thirty requests, each held 0.3 s by the link


def _node_rows(folder: Path) -> list[tuple[int, str, str, str, str]]:
    """(seq, state, hash, envelope, signature) of every outbox item, read as another process would."""
    with sqlite3.connect(f"file:{folder / DATABASE_FILE}?mode=ro", uri=True, timeout=10) as db:
        return db.execute(
            "SELECT seq, state, hash, envelope, signature FROM field_outbox ORDER BY seq"
        ).fetchall()


def _sent(folder: Path) -> int:
    return sum(1 for row in _node_rows(folder) if row[1] == "sent")


def _on_the_wire(folder: Path, url: str, device: str) -> bool:
    """A chunk marked sending on the node that the server does not hold yet: a request in flight."""
    head = server_state(url, device)[2]
    return any(row[1] == "sending" and row[0] > head for row in _node_rows(folder))


def _check_node(folder: Path, signer: Ed25519Signer, url: str, device: str) -> int:
    """The node's database intact and its chain whole; what it counts as sent is on the server, once."""
    with sqlite3.connect(f"file:{folder / DATABASE_FILE}?mode=ro", uri=True, timeout=10) as db:
        assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    rows = _node_rows(folder)
    assert [row[0] for row in rows] == list(range(1, RECORDS + 1))
    prev, verifier = GENESIS, signer.verifier()
    for seq, state, digest, envelope, signature in rows:
        event = SignedEvent(envelope, signature)
        verify_signature(event, verifier, f"event {seq}")
        assert read_envelope(event, seq).prev == prev and event.hash == digest
        assert state in ("pending", "sending", "sent")
        prev = digest
    sent = [row[0] for row in rows if row[1] == "sent"]
    assert sent == list(range(1, len(sent) + 1))  # acknowledged in chain order, never past a gap
    received, niks, head = server_state(url, device)
    assert received == head >= len(sent)  # the node never counts as sent what the server lacks
    assert len(niks) == len(set(niks)) == head  # each stored event wrote its record once
    return head


def _kill_when(process: subprocess.Popen[str], ready: Callable[[], bool], jitter: float) -> None:
    deadline = time.monotonic() + 120
    while process.poll() is None and not ready():
        assert time.monotonic() < deadline, "the sync never reached the kill point"
        time.sleep(0.02)
    time.sleep(jitter)
    assert process.poll() is None, "the sync ended before the kill: " + process.communicate()[1]
    process.send_signal(signal.SIGKILL)
    process.communicate(timeout=30)


def test_a_kill_of_the_field_node_during_sync_loses_nothing(
    database: PreparedDatabase, throwaway_url: str, node: Node, tmp_path: Path
) -> None:
    url, device, token = throwaway_url, node.info.device, database.tokens[OFFICER]
    enrol_over_cli(url, database, node)
    rows = [mother_row(serial=n) for n in range(1, RECORDS + 1)]
    record(node, "people", rows, officer=OFFICER, now=NOW, from_file=False)
    jitter = random.Random(18)
    with JagaServer(url, tmp_path) as server, ChaosProxy(server.port, seed=18, delay=0.3) as proxy:

        def sync() -> subprocess.Popen[str]:
            return jaga_process(url, "field", "sync", "--dir", str(node.folder), "--server", proxy.url,
                                "--chunk", str(CHUNK), token=token, data_dir=tmp_path)  # fmt: skip

        kill_points: list[Callable[[int, int], Callable[[], bool]]] = [
            # the server stored a chunk of this run; its answer may still be on the way
            lambda head, _sent_: lambda: server_state(url, device)[2] >= head + CHUNK,
            # the node took the server's answer to a chunk of this run in
            lambda _head, sent: lambda: _sent(node.folder) >= sent + CHUNK,
            # a chunk of this run is marked sending and not yet stored: on the wire
            lambda head, _sent_: (
                lambda: server_state(url, device)[2] > head and _on_the_wire(node.folder, url, device)
            ),
        ]
        heads = []
        for point in kill_points * 2:
            head, sent = server_state(url, device)[2], _sent(node.folder)
            _kill_when(sync(), point(head, sent), jitter.uniform(0, 0.3))
            heads.append(_check_node(node.folder, node.signer, url, device))
        assert heads == sorted(heads) and 0 < heads[-1] < RECORDS  # every kill came mid-sync
        code, output = run_sync(url, token, node.folder, proxy.url)
        assert code == 0, output
    received, niks, head = server_state(url, device)
    assert received == head == RECORDS
    assert niks == sorted(r["nik"] for r in rows)  # every record exactly once
    assert outbox_states(url, node.folder) == ["sent"] * RECORDS
    _check_node(node.folder, node.signer, url, device)
