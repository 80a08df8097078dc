"""The log's signing key on disk, and the signer's memory of the last checkpoint it signed.

`jaga ledger init` writes `ledger.key` (the signer key, mode 0600) and `ledger.vkey` (the verifier key
to publish) into the key folder; nothing writes them again, and they are never committed (the folder is
ignored by git). `ledger.signed` remembers the largest tree the key has signed: the key refuses to sign a
smaller tree, or another root for the same size, even if the database behind it is rolled back.
"""

from __future__ import annotations

import base64
import os
from dataclasses import dataclass
from pathlib import Path

from jaga.errors import (
    CheckpointRolledBack,
    Conflict,
    KeyFileInvalid,
    SigningKeyMissing,
)
from jaga.files import atomic_write
from jaga.ledger import Checkpoint, Ed25519Signer, LedgerError, Note, parse_skey, parse_vkey
from jaga.ledger.note import Verifier

KEY_FILE = "ledger.key"
VKEY_FILE = "ledger.vkey"
NEXT_KEY_FILE = "ledger.next.key"
NEXT_VKEY_FILE = "ledger.next.vkey"
RETIRED_FOLDER = "retired"
SIGNED_FILE = "ledger.signed"


@dataclass
class LedgerKeys:
    folder: Path
    signer: Ed25519Signer
    next_signer: Ed25519Signer | None = None  # during a rotation, checkpoints carry both signatures

    @property
    def vkey(self) -> str:
        return self.signer.verifier().vkey()

    def verifiers(self) -> list[Verifier]:
        """Every key this log has published: current, next and retired (old certificates need them)."""
        return published_verifiers(self.folder)

    def sign(self, checkpoint: Checkpoint) -> Note:
        """Sign unless the tree is smaller than, or forks from, the largest one this key has signed."""
        last = self._last_signed()
        if last is not None:
            size, root = last
            if checkpoint.size < size:
                raise CheckpointRolledBack(
                    f"refusing to sign tree size {checkpoint.size}: this key already signed size {size}"
                )
            if checkpoint.size == size and checkpoint.root != root:
                raise CheckpointRolledBack(
                    f"refusing to sign a second root for tree size {size}: that would fork the log"
                )
        signers = [self.signer] if self.next_signer is None else [self.signer, self.next_signer]
        note = checkpoint.sign(*signers)
        atomic_write(
            self.folder / SIGNED_FILE, f"{checkpoint.size} {base64.b64encode(checkpoint.root).decode()}\n"
        )
        return note

    def last_signed_size(self) -> int:
        """The largest tree size this key has signed (0 if none)."""
        last = self._last_signed()
        return last[0] if last is not None else 0

    def _last_signed(self) -> tuple[int, bytes] | None:
        path = self.folder / SIGNED_FILE
        if not path.exists():
            return None
        try:
            size_text, root_text = path.read_text(encoding="ascii").split()
            return int(size_text), base64.b64decode(root_text, validate=True)
        except (ValueError, UnicodeDecodeError) as exc:
            raise KeyFileInvalid(f"{path} is damaged; restore it from backup before signing again") from exc


def init_keys(folder: Path, origin: str, *, rotation: bool = False) -> LedgerKeys:
    """Create the log's key pair, or with `rotation` the next one; never overwrites a key."""
    key_file, vkey_file = (NEXT_KEY_FILE, NEXT_VKEY_FILE) if rotation else (KEY_FILE, VKEY_FILE)
    if rotation and not (folder / KEY_FILE).exists():
        raise SigningKeyMissing(f"no ledger key at {folder / KEY_FILE} to rotate from")
    if (folder / key_file).exists():
        raise Conflict(
            f"{folder / key_file} already exists; a log key is never overwritten (see docs/ledger.md)"
        )
    folder.mkdir(parents=True, exist_ok=True)
    os.chmod(folder, 0o700)
    signer = Ed25519Signer.generate(origin)
    atomic_write(folder / key_file, signer.skey() + "\n")
    atomic_write(folder / vkey_file, signer.verifier().vkey() + "\n", mode=0o644)
    return load_keys(folder)


def _load_signer(path: Path) -> Ed25519Signer:
    if path.stat().st_mode & 0o077:
        raise KeyFileInvalid(f"{path} is readable by other users; chmod 600 it")
    try:
        signer = parse_skey(path.read_text(encoding="ascii"))
    except Exception as exc:  # the key text never reaches a message
        raise KeyFileInvalid(f"{path} is not a valid signer key") from exc
    if not isinstance(signer, Ed25519Signer):
        raise KeyFileInvalid(f"{path} holds a witness key, not a log key")
    return signer


def load_keys(folder: Path) -> LedgerKeys:
    path = folder / KEY_FILE
    if not path.exists():
        raise SigningKeyMissing(f"no ledger key at {path}; run `jaga ledger init` first")
    signer = _load_signer(path)
    upcoming = folder / NEXT_KEY_FILE
    next_signer = _load_signer(upcoming) if upcoming.exists() else None
    if next_signer is not None and next_signer.name != signer.name:
        raise KeyFileInvalid(f"{upcoming} names another log ({next_signer.name!r}, not {signer.name!r})")
    return LedgerKeys(folder, signer, next_signer)


def promote_next_key(folder: Path) -> LedgerKeys:
    """End a rotation: the next key becomes the key; the old one's vkey is kept, its private key erased."""
    keys = load_keys(folder)
    if keys.next_signer is None:
        raise Conflict(f"no next key in {folder}; start a rotation with `jaga ledger init --rotate`")
    retired = folder / RETIRED_FOLDER
    retired.mkdir(exist_ok=True)
    old = keys.signer.verifier()
    atomic_write(retired / f"{old.key_id:08x}.vkey", old.vkey() + "\n", mode=0o644)
    os.replace(folder / NEXT_KEY_FILE, folder / KEY_FILE)
    os.replace(folder / NEXT_VKEY_FILE, folder / VKEY_FILE)
    return load_keys(folder)


def published_verifiers(folder: Path) -> list[Verifier]:
    """The log's verifier keys from their public files alone (an auditor needs no private key)."""
    paths = [folder / VKEY_FILE, folder / NEXT_VKEY_FILE, *sorted((folder / RETIRED_FOLDER).glob("*.vkey"))]
    found: list[Verifier] = []
    for path in paths:
        if path.exists():
            try:
                found.append(parse_vkey(path.read_text(encoding="ascii").strip()))
            except (LedgerError, UnicodeDecodeError) as exc:
                raise KeyFileInvalid(f"{path} is not a valid verifier key: {exc}") from exc
    if not found:
        raise SigningKeyMissing(f"no ledger verifier key in {folder}; run `jaga ledger init` first")
    return found
