"""`jaga ledger export-tiles` output checked by an independent implementation: Go's golang.org/x/mod.

tests/sequencer/go/verify_tiles.go verifies the checkpoint's signature with sumdb/note, rebuilds the tree
hash from the tiles with sumdb/tlog (which authenticates every tile it reads), checks every entry bundle
against the level-0 tiles, and checks record and tree proofs that tlog computes from the tiles. Go and
x/mod come from Debian (golang-go, golang-golang-x-mod-dev; `scripts/ensure-go` installs them). Without
them these tests skip with a message, unless JAGA_REQUIRE_GO=1 (CI), which fails them.
"""

from __future__ import annotations

import base64
import os
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest

from jaga.sequencer import init_keys
from tests.cli_helpers import jaga
from tests.sequencer.helpers import fill_events

GOPATH = Path("/usr/share/gocode")
XMOD = GOPATH / "src" / "golang.org" / "x" / "mod" / "sumdb"
VERIFIER_SOURCE = Path(__file__).parent / "go" / "verify_tiles.go"

OLD_SIZE = 700
# More than 256 * 256 leaves: the tree has a full level-1 tile, a partial one and a level-2 tile.
NEW_SIZE = 66_000


def go_toolchain() -> str:
    """The `go` binary, provided Debian's x/mod sources are there too; skips (or fails in CI) otherwise."""
    go = shutil.which("go")
    missing = []
    if go is None:
        missing.append("the Go toolchain (Debian package 'golang-go')")
    if not ((XMOD / "tlog").is_dir() and (XMOD / "note").is_dir()):
        missing.append(f"golang.org/x/mod under {GOPATH} (Debian package 'golang-golang-x-mod-dev')")
    if missing or go is None:
        message = f"Go interop check: {' and '.join(missing)} not installed: run scripts/ensure-go"
        if os.environ.get("JAGA_REQUIRE_GO") == "1":
            pytest.fail(f"JAGA_REQUIRE_GO=1 but {message}")
        pytest.skip(message)
    return go


def go_env(cache: Path) -> dict[str, str]:
    env = {**os.environ, "GO111MODULE": "off", "GOPATH": str(GOPATH), "GOCACHE": str(cache)}
    env.pop("GOFLAGS", None)
    return env


def build_go(source: Path, work: Path) -> Path:
    """`source` built in `work` (GOPATH mode, Debian's x/mod, no downloads); the binary's path."""
    go = go_toolchain()
    shutil.copy(source, work / source.name)
    binary = work / source.stem
    built = subprocess.run(
        [go, "build", "-o", str(binary), source.name],
        cwd=work,
        env=go_env(work / "gocache"),
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert built.returncode == 0, f"go build failed:\n{built.stdout}{built.stderr}"
    return binary


@pytest.fixture(scope="session")
def verify_tiles(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """verify_tiles.go built once per session."""
    return build_go(VERIFIER_SOURCE, tmp_path_factory.mktemp("go-verify-tiles"))


@dataclass(frozen=True)
class ExportedLog:
    old: Path  # export at OLD_SIZE
    new: Path  # export at NEW_SIZE
    vkey: str
    checkpoint: str  # `jaga ledger checkpoint` after the second integration


@pytest.fixture(scope="module")
def exported(tmp_path_factory: pytest.TempPathFactory) -> ExportedLog:
    """A real log on a fresh SQLite database, exported at two sizes through the CLI."""
    tmp = tmp_path_factory.mktemp("go-interop-log")
    url = f"sqlite:///{tmp / 'log.db'}"
    data = tmp / "data"

    def ok(*args: str, data_dir: Path | None = data) -> str:
        result = jaga(url, *args, data_dir=data_dir)
        assert result.exit_code == 0, result.output
        return result.output

    ok("db", "upgrade", data_dir=None)
    ok("ledger", "init")
    fill_events(url, OLD_SIZE)
    ok("ledger", "integrate", "--batch", "250")
    ok("ledger", "export-tiles", str(tmp / "old"))
    fill_events(url, NEW_SIZE - OLD_SIZE)
    ok("ledger", "integrate", "--batch", "250")
    ok("ledger", "export-tiles", str(tmp / "new"))
    vkey = (data / "keys" / "ledger.vkey").read_text(encoding="utf-8").strip()
    return ExportedLog(tmp / "old", tmp / "new", vkey, ok("ledger", "checkpoint"))


def run_verifier(binary: Path, folder: Path, vkey: str, *old: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(binary), str(folder), vkey, *map(str, old)],
        capture_output=True,
        text=True,
        timeout=120,
    )


def fields(line: str) -> dict[str, str]:
    assert line.startswith("ok "), line
    return dict(field.split("=", 1) for field in line.split()[1:])


def test_go_xmod_verifies_exported_tiles(verify_tiles: Path, exported: ExportedLog) -> None:
    origin, size, root = exported.checkpoint.split("\n")[:3]
    assert int(size) == NEW_SIZE
    # The shapes that matter are really there: a partial level-1 tile and a level-2 tile.
    assert (exported.new / "tile" / "1" / "001.p" / "1").is_file()
    assert (exported.new / "tile" / "2" / "000.p" / "1").is_file()
    assert (exported.new / "checkpoint").read_text(encoding="utf-8") == exported.checkpoint

    result = run_verifier(verify_tiles, exported.new, exported.vkey, exported.old / "checkpoint")

    assert result.returncode == 0, result.stderr
    got = fields(result.stdout.strip())
    assert got["origin"] == origin
    assert got["size"] == size
    assert base64.b64decode(got["root"]) == base64.b64decode(root)
    assert got["entries"] == size
    assert int(got["records"]) >= 10
    assert got["consistency"] == f"{OLD_SIZE}->{NEW_SIZE}"


def test_go_xmod_verifies_the_old_export_alone(verify_tiles: Path, exported: ExportedLog) -> None:
    result = run_verifier(verify_tiles, exported.old, exported.vkey)

    assert result.returncode == 0, result.stderr
    assert fields(result.stdout.strip())["size"] == str(OLD_SIZE)


@pytest.mark.parametrize(
    "tile",
    [
        "tile/0/000",  # a full level-0 tile
        "tile/0/257.p/208",  # the partial level-0 tile at the right edge
        "tile/1/000",  # a full level-1 tile
        "tile/entries/100",  # an entry bundle (the level-0 tiles are fine, the entries are not)
    ],
)
def test_go_xmod_rejects_a_flipped_byte(
    verify_tiles: Path, exported: ExportedLog, tmp_path: Path, tile: str
) -> None:
    copy = tmp_path / "static"
    shutil.copytree(exported.new, copy)
    target = copy / tile
    data = bytearray(target.read_bytes())
    data[len(data) // 2] ^= 0x01
    target.write_bytes(bytes(data))

    result = run_verifier(verify_tiles, copy, exported.vkey, exported.old / "checkpoint")

    assert result.returncode == 1, result.stdout
    assert result.stderr.startswith("verify_tiles: "), result.stderr


def test_go_xmod_rejects_a_bad_signature_or_an_unknown_key(
    verify_tiles: Path, exported: ExportedLog, tmp_path: Path
) -> None:
    copy = tmp_path / "static"
    shutil.copytree(exported.new, copy)
    text, signatures = exported.checkpoint.split("\n\n", 1)
    name, signature = signatures.strip().rsplit(" ", 1)
    raw = bytearray(base64.b64decode(signature))
    raw[-1] ^= 0x01  # keep the key id, break the Ed25519 signature
    (copy / "checkpoint").write_text(
        f"{text}\n\n{name} {base64.b64encode(bytes(raw)).decode()}\n", encoding="utf-8"
    )

    tampered = run_verifier(verify_tiles, copy, exported.vkey)
    assert tampered.returncode == 1, tampered.stdout
    assert "invalid signature" in tampered.stderr

    origin = exported.checkpoint.split("\n", 1)[0]
    other_vkey = init_keys(tmp_path / "other-keys", origin).vkey
    unknown = run_verifier(verify_tiles, exported.new, other_vkey)
    assert unknown.returncode == 1, unknown.stdout
    assert "no verifiable signatures" in unknown.stderr

    # The old checkpoint must verify too.
    old = tmp_path / "old-checkpoint"
    old.write_text((copy / "checkpoint").read_text(encoding="utf-8"), encoding="utf-8")
    bad_old = run_verifier(verify_tiles, exported.new, exported.vkey, old)
    assert bad_old.returncode == 1, bad_old.stdout
    assert "old checkpoint signature" in bad_old.stderr
