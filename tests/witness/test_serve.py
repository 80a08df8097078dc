"""`jaga witness serve` through real HTTP: every status code C2SP tlog-witness prescribes for
`POST /add-checkpoint`, the body and Content-Type of each, the cosignature it returns, and its memory
surviving a restart."""

from __future__ import annotations

import base64
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from jaga.ledger import CosignatureVerifier, Ed25519Signer, open_note, parse_vkey
from jaga.ledger.witness_protocol import AddCheckpoint
from jaga.witness import Witness
from jaga.witness.core import Refused
from tests.witness.servers import MemoryLog, WitnessServer

WITNESS_NAME = "witness.test/w1"


@pytest.fixture(scope="module")
def logs() -> dict[str, MemoryLog]:
    return {name: MemoryLog(f"log.test/{name}") for name in ("a", "b", "c", "d", "e", "f")}


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory, logs: dict[str, MemoryLog]) -> Iterator[WitnessServer]:
    folder = tmp_path_factory.mktemp("witness")
    Witness.create(folder, WITNESS_NAME)
    running = WitnessServer(folder, [log.vkey for log in logs.values()]).start()
    yield running
    running.stop()


def _witness_key(server: WitnessServer) -> CosignatureVerifier:
    key = parse_vkey((server.folder / "witness.vkey").read_text().strip())
    assert isinstance(key, CosignatureVerifier)
    return key


def _recorded(server: WitnessServer, log: MemoryLog) -> int:
    """The witness's size for the log, as the protocol reveals it: a 409 to a request from size 1."""
    answer = server.post(AddCheckpoint(log.tree.size, (), log.note(log.tree.size)).body())
    assert answer.status_code == 409, answer.text
    return int(answer.text)


def test_200_returns_a_timestamped_cosignature_and_records_the_checkpoint(
    server: WitnessServer, logs: dict[str, MemoryLog]
) -> None:
    log = logs["a"]
    before = int(time.time())
    answer = server.post(log.request(0, 10))
    assert answer.status_code == 200, answer.text
    assert answer.text.startswith("\u2014 witness.test/w1 ") and answer.text.endswith("\n")
    assert answer.text.count("\n") == 1
    # The note the log gets by appending the lines verifies with both keys (log and witness).
    note, good = open_note(log.note(10) + answer.text, [log.signer.verifier(), _witness_key(server)])
    assert {key.name for key in good} == {log.origin, WITNESS_NAME}
    stamp = _witness_key(server).timestamp(note.signatures[-1].signature)
    assert before <= stamp <= int(time.time())
    # Recorded: the next request must come from size 10, with a consistency proof.
    assert _recorded(server, log) == 10
    grown = server.post(log.request(10, 100))
    assert grown.status_code == 200, grown.text
    assert _recorded(server, log) == 100
    # The same checkpoint again (old size = size, same root): cosigned again.
    assert server.post(log.request(100, 100)).status_code == 200


def test_404_for_a_log_the_witness_does_not_know(server: WitnessServer) -> None:
    stranger = MemoryLog("unknown.test/log")
    answer = server.post(stranger.request(0, 5))
    assert answer.status_code == 404
    assert "unknown log origin" in answer.text


def test_403_without_a_signature_by_the_trusted_key(
    server: WitnessServer, logs: dict[str, MemoryLog]
) -> None:
    log = logs["b"]
    impostor = Ed25519Signer.generate(log.origin)  # same origin, another key
    forged = AddCheckpoint(0, (), log.note(5, impostor)).body()
    answer = server.post(forged)
    assert answer.status_code == 403, answer.text
    # A known key whose signature does not verify is refused too.
    text, signature = log.note(5).split("\n\n")
    name, blob = signature.strip().rsplit(" ", 1)
    raw = bytearray(base64.b64decode(blob))
    raw[-1] ^= 1
    broken = f"{text}\n\n{name} {base64.b64encode(bytes(raw)).decode()}\n"
    assert server.post(AddCheckpoint(0, (), broken).body()).status_code == 403
    # Nothing was recorded by either.
    assert server.post(log.request(0, 5)).status_code == 200


@pytest.mark.parametrize(
    "body",
    [
        b"old 7\n\n",  # old size greater than the checkpoint's (filled in below)
        b"old 007\n\n",  # leading zeros
        b"old -1\n\n",
        b"new 0\n\n",
        b"old 0\nnot base64!\n\n",
        b"old 0\n" + base64.b64encode(b"short") + b"\n\n",
        b"old 0\n",  # no empty line, no checkpoint
        b"old 0\n" + b"\n".join([base64.b64encode(bytes(32))] * 64) + b"\n\n",  # 64 proof lines
        b"\xff\xfe",
    ],
)
def test_400_for_a_malformed_request_or_an_old_size_beyond_the_checkpoint(
    server: WitnessServer, logs: dict[str, MemoryLog], body: bytes
) -> None:
    log = logs["c"]
    if body.endswith(b"\n\n"):
        body += log.note(5).encode()
    answer = server.post(body)
    assert answer.status_code == 400, answer.text


def test_409_carries_the_witness_size_as_text_x_tlog_size(
    server: WitnessServer, logs: dict[str, MemoryLog]
) -> None:
    log = logs["d"]
    first = server.post(log.request(3, 5))  # the witness has never seen the log: its size is 0
    assert first.status_code == 409
    assert first.headers["content-type"] == "text/x.tlog.size"
    assert first.text == "0\n"
    assert server.post(log.request(0, 20)).status_code == 200
    stale = server.post(log.request(10, 30))
    assert (stale.status_code, stale.text, stale.headers["content-type"]) == (409, "20\n", "text/x.tlog.size")
    # Same size, another root: a split view, also 409 (and the evidence is kept).
    fork = MemoryLog(log.origin, leaves=0)
    fork.signer = log.signer
    fork.tree.extend([f"forked {n}".encode() for n in range(300)])
    split = server.post(AddCheckpoint(20, (), fork.note(20)).body())
    assert (split.status_code, split.text) == (409, "20\n")
    assert list((server.folder / "evidence").glob("*-split-view.txt"))


def test_422_for_a_consistency_proof_that_does_not_verify(
    server: WitnessServer, logs: dict[str, MemoryLog]
) -> None:
    log = logs["e"]
    assert server.post(log.request(0, 17)).status_code == 200
    good = log.request(17, 90)
    request = AddCheckpoint(17, (), log.note(90))
    proof = list(_proof_of(good))
    proof[1] = bytes(32)
    assert server.post(AddCheckpoint(17, tuple(proof), request.checkpoint).body()).status_code == 422
    assert server.post(AddCheckpoint(17, tuple(proof[:-1]), request.checkpoint).body()).status_code == 422
    # A tree that does not extend the recorded one, with a proof that is right for that other tree.
    fork = MemoryLog(log.origin, leaves=0)
    fork.signer = log.signer
    fork.tree.extend([f"forked {n}".encode() for n in range(300)])
    assert server.post(fork.request(17, 90)).status_code == 422
    # A proof where the old size is 0 must be empty.
    unrecorded = logs["f"]
    assert server.post(AddCheckpoint(0, tuple(proof), unrecorded.note(90)).body()).status_code == 422
    # None of these moved the witness: the real proof still works.
    assert server.post(good).status_code == 200


def _proof_of(body: bytes) -> list[bytes]:
    head = body.decode().split("\n\n", 1)[0].split("\n")[1:]
    return [base64.b64decode(line) for line in head]


def test_concurrent_requests_never_roll_the_memory_back(tmp_path: Path) -> None:
    """The race the spec describes: requests from the same old size, for different new sizes, at once.
    Exactly one wins; the others get 409; the recorded size is the winner's, never a smaller one."""
    log = MemoryLog("log.test/race")
    witness = Witness.create(tmp_path, WITNESS_NAME)
    keys = [log.signer.verifier()]
    witness.add_checkpoint(log.request(0, 10), keys)

    def attempt(size: int) -> int:
        try:
            witness.add_checkpoint(log.request(10, size), keys)
            return size
        except Refused as refused:
            assert refused.status == 409
            return 0

    with ThreadPoolExecutor(max_workers=8) as pool:
        won = [size for size in pool.map(attempt, range(11, 60)) if size]
    assert len(won) == 1
    assert witness.recorded_size(log.origin, keys) == won[0]
