"""jaga's network cosignatures checked by an independent implementation: Go's golang.org/x/mod/sumdb/note
(with a tlog-cosignature v1 verifier written from the spec in tests/witness/go/verify_cosigned.go).

Go and x/mod come from Debian (`scripts/ensure-go`); without them this skips, unless JAGA_REQUIRE_GO=1.
"""

from __future__ import annotations

import base64
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from jaga.ledger import Cosigner
from jaga.witness import Witness
from tests.sequencer.test_go_interop import build_go
from tests.witness.servers import MemoryLog, WitnessServer

SOURCE = Path(__file__).parent / "go" / "verify_cosigned.go"


@pytest.fixture(scope="module")
def verify_cosigned(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_go(SOURCE, tmp_path_factory.mktemp("go-verify-cosigned"))


@pytest.fixture(scope="module")
def cosigned(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[MemoryLog, str, list[str]]]:
    """A checkpoint cosigned over HTTP by two `jaga witness serve` processes: (log, note, witness vkeys)."""
    log = MemoryLog("log.test/go")
    servers, vkeys = [], []
    for name in ("w1", "w2"):
        folder = tmp_path_factory.mktemp(name)
        vkeys.append(Witness.create(folder, f"witness.test/{name}").cosigner.verifier().vkey())
        servers.append(WitnessServer(folder, [log.vkey]).start())
    try:
        lines = ""
        for server in servers:
            assert server.post(log.request(0, 64)).status_code == 200
            answer = server.post(log.request(64, 250))  # with a real consistency proof
            assert answer.status_code == 200, answer.text
            lines += answer.text
        yield log, log.note(250) + lines, vkeys
    finally:
        for server in servers:
            server.stop()


def _run(binary: Path, note: str, tmp_path: Path, *vkeys: str) -> subprocess.CompletedProcess[str]:
    path = tmp_path / "note"
    path.write_text(note, encoding="utf-8")
    return subprocess.run([str(binary), str(path), *vkeys], capture_output=True, text=True, timeout=60)


def test_go_verifies_jaga_network_cosignatures(
    verify_cosigned: Path, cosigned: tuple[MemoryLog, str, list[str]], tmp_path: Path
) -> None:
    log, note, vkeys = cosigned
    result = _run(verify_cosigned, note, tmp_path, log.vkey, *vkeys)
    assert result.returncode == 0, result.stderr
    names = [item.split("@")[0] for item in result.stdout.strip().removeprefix("ok witnesses=").split(",")]
    assert names == ["witness.test/w1", "witness.test/w2"]


def test_go_rejects_a_cosignature_with_an_altered_timestamp(
    verify_cosigned: Path, cosigned: tuple[MemoryLog, str, list[str]], tmp_path: Path
) -> None:
    log, note, vkeys = cosigned
    head, last = note.rstrip("\n").rsplit("\n", 1)
    name, blob = last.rsplit(" ", 1)
    raw = bytearray(base64.b64decode(blob))
    raw[11] ^= 1  # the timestamp's last byte (after the 4-byte key ID): the signature no longer matches
    tampered = f"{head}\n{name} {base64.b64encode(bytes(raw)).decode()}\n"
    result = _run(verify_cosigned, tampered, tmp_path, log.vkey, *vkeys)
    assert result.returncode == 1, result.stdout
    assert "invalid signature" in result.stderr


def test_go_ignores_a_cosignature_by_an_unknown_witness(
    verify_cosigned: Path, cosigned: tuple[MemoryLog, str, list[str]], tmp_path: Path
) -> None:
    log, note, _ = cosigned
    stranger = Cosigner.generate("witness.test/w1").verifier().vkey()  # same name, another key
    result = _run(verify_cosigned, note, tmp_path, log.vkey, stranger)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "ok witnesses="
