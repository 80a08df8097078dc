"""The log's signing key on disk, and the signer's memory of the last checkpoint it signed.

`jaga ledger init` writes `ledger.key` (the signer key, mode 0600) and `ledger.vkey` (the verifier key
to publish) into the key folder; nothing writes them again, and they are never committed (the folder is
ignored by git). `ledger.signed` remembers the largest tree the key has signed: the key refuses to sign a
smaller tree, or another root for the same size, even if the database behind it is rolled back.
"""

from __future__ import annotations

import base64
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

from jaga.errors import Conflict, JagaError, Unavailable
from jaga.ledger import Checkpoint, Ed25519Signer, Note, parse_skey

KEY_FILE = "ledger.key"
VKEY_FILE = "ledger.vkey"
SIGNED_FILE = "ledger.signed"


class SigningKeyMissing(Unavailable):
    problem = "signing-key-missing"
    title = "Ledger signing key missing"


class CheckpointRolledBack(Conflict):
    problem = "checkpoint-rolled-back"
    title = "Checkpoint would roll back"


class KeyFileInvalid(JagaError):
    status = 500
    exit_code = 7
    problem = "key-file-invalid"
    title = "Ledger key file invalid"


@dataclass
class LedgerKeys:
    folder: Path
    signer: Ed25519Signer

    @property
    def vkey(self) -> str:
        return self.signer.verifier().vkey()

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
        note = checkpoint.sign(self.signer)
        _atomic_write(
            self.folder / SIGNED_FILE, f"{checkpoint.size} {base64.b64encode(checkpoint.root).decode()}\n"
        )
        return note

    def _last_signed(self) -> tuple[int, bytes] | None:
        path = self.folder / SIGNED_FILE
        if not path.exists():
            return None
        try:
            size_text, root_text = path.read_text(encoding="ascii").split()
            return int(size_text), base64.b64decode(root_text, validate=True)
        except (ValueError, UnicodeDecodeError) as exc:
            raise KeyFileInvalid(f"{path} is damaged; restore it from backup before signing again") from exc


def _atomic_write(path: Path, text: str, mode: int = 0o600) -> None:
    descriptor, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temporary, mode)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def init_keys(folder: Path, origin: str) -> LedgerKeys:
    """Create the log's key pair; refuses to overwrite an existing key (rotation is a separate step)."""
    if (folder / KEY_FILE).exists():
        raise Conflict(
            f"{folder / KEY_FILE} already exists; a log key is never overwritten (see docs/ledger.md)"
        )
    folder.mkdir(parents=True, exist_ok=True)
    os.chmod(folder, 0o700)
    signer = Ed25519Signer.generate(origin)
    _atomic_write(folder / KEY_FILE, signer.skey() + "\n")
    _atomic_write(folder / VKEY_FILE, signer.verifier().vkey() + "\n", mode=0o644)
    return LedgerKeys(folder, signer)


def load_keys(folder: Path) -> LedgerKeys:
    path = folder / KEY_FILE
    if not path.exists():
        raise SigningKeyMissing(f"no ledger key at {path}; run `jaga ledger init` first")
    if path.stat().st_mode & 0o077:
        raise KeyFileInvalid(f"{path} is readable by other users; chmod 600 it")
    try:
        signer = parse_skey(path.read_text(encoding="ascii"))
    except Exception as exc:  # the key text never reaches a message
        raise KeyFileInvalid(f"{path} is not a valid signer key") from exc
    if not isinstance(signer, Ed25519Signer):
        raise KeyFileInvalid(f"{path} holds a witness key, not a log key")
    return LedgerKeys(folder, signer)
