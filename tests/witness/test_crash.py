"""kill -9 of `jaga witness serve` in the middle of requests, again and again: the size it recorded never
goes backwards, is never below a size it acknowledged with a cosignature, and its state file is never
torn; after each restart the protocol reports the same size."""

from __future__ import annotations

import random
import threading
import time
from pathlib import Path

import httpx2 as httpx

from jaga.ledger import open_checkpoint
from jaga.ledger.witness_protocol import AddCheckpoint
from jaga.witness import Witness
from tests.witness.servers import MemoryLog, WitnessServer

ROUNDS = 6


def _on_disk(folder: Path, log: MemoryLog) -> int:
    files = list((folder / "logs").glob("*.checkpoint"))
    if not files:
        return 0
    checkpoint, _ = open_checkpoint(files[0].read_text(encoding="utf-8"), [log.signer.verifier()])
    return checkpoint.size


def _reported(server: WitnessServer, log: MemoryLog) -> int:
    # A request from the full tree's size can only match if the witness holds exactly that size.
    answer = server.post(AddCheckpoint(log.tree.size, (), log.note(log.tree.size)).body())
    if answer.status_code == 200:
        return log.tree.size
    assert answer.status_code == 409, answer.text
    return int(answer.text)


def test_killing_the_witness_mid_request_never_rolls_it_back(tmp_path: Path) -> None:
    log = MemoryLog("log.test/crash", leaves=20_000)
    Witness.create(tmp_path, "witness.test/crash")
    server = WitnessServer(tmp_path, [log.vkey])
    rng = random.Random(18)
    acknowledged = 0  # the largest size the witness answered 200 for
    recorded = 0
    kills = 0
    for _ in range(ROUNDS):
        server.start()
        assert _reported(server, log) == recorded
        stop = threading.Event()
        acks: list[int] = []
        refused: list[str] = []

        def push(start: int, stop: threading.Event, acks: list[int], refused: list[str]) -> None:
            old = start
            while not stop.is_set() and old < log.tree.size:
                new = min(log.tree.size, old + rng.randint(1, 40))
                try:
                    answer = server.post(log.request(old, new), timeout=5)
                except httpx.TransportError:
                    return  # killed mid-request
                if answer.status_code != 200:
                    refused.append(f"{answer.status_code} {answer.text}")
                    return
                acks.append(new)
                old = new

        client = threading.Thread(target=push, args=(recorded, stop, acks, refused))
        client.start()
        time.sleep(rng.uniform(0.2, 1.0))
        server.kill()
        kills += 1
        stop.set()
        client.join(timeout=10)
        assert not refused, refused
        on_disk = _on_disk(tmp_path, log)  # parses and verifies: never a torn file
        if acks:
            acknowledged = max(acknowledged, *acks)
        assert on_disk >= recorded, f"rolled back from {recorded} to {on_disk}"
        assert on_disk >= acknowledged, f"acknowledged {acknowledged} but recorded only {on_disk}"
        recorded = on_disk
    server.start()
    try:
        assert _reported(server, log) == recorded
    finally:
        server.stop()
    assert kills == ROUNDS
    assert recorded > 0  # the rounds made progress, so the kills really came mid-stream


def test_the_memory_survives_a_restart(tmp_path: Path) -> None:
    log = MemoryLog("log.test/restart")
    Witness.create(tmp_path, "witness.test/w1")
    server = WitnessServer(tmp_path, [log.vkey]).start()
    try:
        assert server.post(log.request(0, 42)).status_code == 200
        server.kill()
        server.start()
        assert _reported(server, log) == 42
        # The recorded checkpoint is the log's signed note, verifiable by anyone.
        state = next((tmp_path / "logs").glob("*.checkpoint")).read_text()
        assert open_checkpoint(state, [log.signer.verifier()])[0].size == 42
    finally:
        server.stop()
