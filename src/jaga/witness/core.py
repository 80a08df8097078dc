"""A witness: remembers the last checkpoint it saw of each log, and cosigns a new one only if the log
proves it is an extension of that one.

A log that shows one tree to one party and another tree to someone else (a split view) cannot get the
same witnesses to cosign both: the second would not be consistent with what the witness remembers. A
verifier that requires cosignatures from independent witnesses therefore sees the same log as everyone.

The witness pulls: it reads the log's checkpoint and tiles from the log's static copy or its `/ledger/`
URL, builds the consistency proof itself from the tiles and checks it against both signed roots.
Files in its folder: `witness.key` (0600), `witness.vkey`, `logs/<origin>.checkpoint` (the last
checkpoint cosigned, as signed by the log) and `evidence/` (conflicting checkpoints, kept as proof).
"""

from __future__ import annotations

import fcntl
import os
import threading
import time
import urllib.parse
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from jaga.errors import (
    Conflict,
    JagaError,
    Rollback,
    SplitView,
    VerificationFailed,
    WitnessKeyInvalid,
    WitnessKeyMissing,
)
from jaga.files import atomic_write, durable_write
from jaga.ledger import (
    Checkpoint,
    Cosigner,
    FormatError,
    LedgerError,
    Note,
    ProofInvalid,
    SignatureInvalid,
    consistency_proof,
    open_checkpoint,
    open_note,
    parse_checkpoint_text,
    parse_note,
    parse_skey,
    verify_consistency,
)
from jaga.ledger.note import Verifier
from jaga.ledger.witness_protocol import SIZE_CONTENT_TYPE, parse_add_checkpoint, signature_lines, size_body
from jaga.witness.source import LogSource

KEY_FILE = "witness.key"
VKEY_FILE = "witness.vkey"
LOCK_FILE = "witness.lock"


class Refused(Exception):
    """An `add-checkpoint` request the witness refuses, with the HTTP status C2SP tlog-witness gives it."""

    def __init__(self, status: int, message: str, *, size: int | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.size = size  # for 409: the size of the latest checkpoint this witness cosigned

    def body(self) -> tuple[str, str]:
        """(body, content type) of the response."""
        if self.size is not None:
            return size_body(self.size), SIZE_CONTENT_TYPE
        return self.message + "\n", "text/plain; charset=utf-8"


@dataclass(frozen=True)
class Cosigned:
    checkpoint: Checkpoint
    previous_size: int | None  # None: the first checkpoint this witness saw of the log
    note: Note  # the log's note with this witness's cosignature added


class Witness:
    def __init__(self, folder: Path, cosigner: Cosigner) -> None:
        self.folder = folder
        self.cosigner = cosigner
        self._thread_lock = threading.Lock()

    @contextmanager
    def _locked(self) -> Iterator[None]:
        """One update of the witness's memory at a time: threads of this process (the lock) and other
        processes on the same folder (flock), so that checking the old size and recording the new
        checkpoint are one step and two requests cannot roll the memory back."""
        with self._thread_lock, open(self.folder / LOCK_FILE, "a") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)

    @classmethod
    def create(cls, folder: Path, name: str) -> Witness:
        if (folder / KEY_FILE).exists():
            raise Conflict(f"{folder / KEY_FILE} already exists; a witness key is never overwritten")
        try:
            cosigner = Cosigner.generate(name)
        except LedgerError as exc:
            raise WitnessKeyInvalid(f"witness name: {exc}") from exc
        folder.mkdir(parents=True, exist_ok=True)
        os.chmod(folder, 0o700)
        atomic_write(folder / KEY_FILE, cosigner.skey() + "\n")
        atomic_write(folder / VKEY_FILE, cosigner.verifier().vkey() + "\n", mode=0o644)
        return cls(folder, cosigner)

    @classmethod
    def load(cls, folder: Path) -> Witness:
        path = folder / KEY_FILE
        if not path.exists():
            raise WitnessKeyMissing(f"no witness key at {path}; run `jaga witness init` first")
        # As for the log's key (sequencer/keys.py): a key others could read may have been copied, and a
        # copied cosigning key lets anyone vouch for a split view in this witness's name.
        if path.stat().st_mode & 0o077:
            raise WitnessKeyInvalid(f"{path} is readable by other users; chmod 600 it")
        try:
            signer = parse_skey(path.read_text(encoding="ascii"))
        except Exception as exc:  # the key text never reaches a message
            raise WitnessKeyInvalid(f"{path} is not a valid signer key") from exc
        if not isinstance(signer, Cosigner):
            raise WitnessKeyInvalid(f"{path} is a log key, not a witness (cosignature) key")
        return cls(folder, signer)

    def state_path(self, origin: str) -> Path:
        """The file holding the last checkpoint of `origin` this witness recorded (the log's signed note)."""
        return self.folder / "logs" / (urllib.parse.quote(origin, safe="") + ".checkpoint")

    def last_seen(self, origin: str, log: list[Verifier]) -> Checkpoint | None:
        path = self.state_path(origin)
        if not path.exists():
            return None
        try:
            checkpoint, _ = open_checkpoint(path.read_text(encoding="utf-8"), log, origin=origin)
        except LedgerError as exc:
            raise VerificationFailed(
                f"the checkpoint this witness last cosigned ({path}) does not verify with the log keys "
                f"given ({exc}); after a log key rotation, pass the old and the new key"
            ) from exc
        return checkpoint

    def _evidence(self, old_note: str, new_note: str) -> Path:
        # Nanoseconds: two conflicting requests in the same second must not overwrite each other's evidence.
        path = self.folder / "evidence" / f"{time.time_ns()}-split-view.txt"
        atomic_write(
            path, f"# checkpoint previously cosigned\n{old_note}\n# conflicting checkpoint\n{new_note}", 0o644
        )
        return path

    def cosign(self, source: LogSource, log: list[Verifier], *, origin: str | None = None) -> Cosigned:
        """Verify the log's current checkpoint against the last one seen, then cosign it."""
        text = source.checkpoint()
        try:
            new, note = open_checkpoint(text, log, origin=origin)
        except LedgerError as exc:
            raise VerificationFailed(f"the log's checkpoint does not verify: {exc}") from exc
        path = self.state_path(new.origin)
        old = self.last_seen(new.origin, log)
        if old is not None:
            old_text = path.read_text(encoding="utf-8")
            if new.size < old.size:
                raise Rollback(
                    f"the log shows size {new.size}, but this witness already cosigned size {old.size}"
                )
            if new.size == old.size and new.root != old.root:
                evidence = self._evidence(old_text, text)
                raise SplitView(
                    f"the log signed two different roots for size {new.size}; evidence kept in {evidence}"
                )
            if new.size > old.size and old.size > 0:
                try:
                    proof = consistency_proof(source.reader(new.size), old.size, new.size)
                    verify_consistency(old.size, new.size, proof, old.root, new.root)
                except (LedgerError, JagaError) as exc:
                    evidence = self._evidence(old_text, text)
                    raise SplitView(
                        f"the log's size-{new.size} tree does not extend the size-{old.size} tree this "
                        f"witness cosigned ({exc}); evidence kept in {evidence}"
                    ) from exc
        with self._locked():
            if self.last_seen(new.origin, log) != old:  # another request recorded a checkpoint meanwhile
                raise Conflict("this witness recorded another checkpoint of the log meanwhile; run it again")
            durable_write(path, text, 0o644)
            signature = self.cosigner.cosign(note.text, int(time.time()))
        return Cosigned(new, None if old is None else old.size, note.with_signature(signature))

    def recorded_size(self, origin: str, log: list[Verifier]) -> int:
        latest = self.last_seen(origin, log)
        return 0 if latest is None else latest.size

    def add_checkpoint(self, body: bytes, logs: list[Verifier]) -> str:
        """C2SP tlog-witness `add-checkpoint`: check the request, record the checkpoint durably, and return
        the cosignature line; `Refused` carries the status the protocol prescribes for each failure."""
        try:
            request = parse_add_checkpoint(body)
            note = parse_note(request.checkpoint)
            checkpoint = parse_checkpoint_text(note.text)
        except FormatError as exc:
            raise Refused(400, f"malformed request: {exc}") from exc
        trusted = [key for key in logs if key.name == checkpoint.origin]
        if not trusted:
            raise Refused(404, f"unknown log origin {checkpoint.origin!r}")
        try:
            open_note(request.checkpoint, trusted)
        except SignatureInvalid as exc:
            raise Refused(403, f"no valid signature by a trusted log key ({exc})") from exc
        if request.old_size > checkpoint.size:
            raise Refused(400, f"old size {request.old_size} is greater than the size {checkpoint.size}")
        path = self.state_path(checkpoint.origin)
        with self._locked():
            latest = self.last_seen(checkpoint.origin, trusted)
            recorded = 0 if latest is None else latest.size
            if request.old_size != recorded:
                message = f"old size {request.old_size}, but this witness has {recorded}"
                raise Refused(409, message, size=recorded)
            if latest is not None and request.old_size == checkpoint.size and latest.root != checkpoint.root:
                self._evidence(path.read_text(encoding="utf-8"), request.checkpoint)
                message = f"two different roots for size {checkpoint.size}: split view"
                raise Refused(409, message, size=recorded)
            if request.old_size == 0 and request.proof:
                raise Refused(422, "the consistency proof must be empty when the old size is 0")
            if latest is not None and request.old_size > 0:
                try:
                    verify_consistency(
                        latest.size, checkpoint.size, request.proof, latest.root, checkpoint.root
                    )
                except ProofInvalid as exc:
                    self._evidence(path.read_text(encoding="utf-8"), request.checkpoint)
                    raise Refused(422, f"the consistency proof does not verify: {exc}") from exc
            # The memory is on disk (fsynced, renamed, folder fsynced) before any cosignature leaves.
            durable_write(path, request.checkpoint, 0o644)
            signature = self.cosigner.cosign(note.text, int(time.time()))
        return signature_lines(signature)
