"""C2SP tlog-checkpoint: origin, tree size and root hash as the text of a signed note."""

from __future__ import annotations

import base64
import binascii
import re
from dataclasses import dataclass

from jaga.ledger.errors import FormatError
from jaga.ledger.hashing import HASH_SIZE
from jaga.ledger.note import Note, Signer, Verifier, open_note, sign_note

_SIZE = re.compile(r"^(0|[1-9][0-9]*)$")


@dataclass(frozen=True)
class Checkpoint:
    origin: str
    size: int
    root: bytes
    extensions: tuple[str, ...] = ()

    def text(self) -> str:
        lines = [self.origin, str(self.size), base64.b64encode(self.root).decode(), *self.extensions]
        return "\n".join(lines) + "\n"

    def sign(self, *signers: Signer) -> Note:
        return sign_note(self.text(), *signers)


def parse_checkpoint_text(text: str) -> Checkpoint:
    if not text.endswith("\n"):
        raise FormatError("checkpoint text must end with a newline")
    lines = text[:-1].split("\n")
    if len(lines) < 3:
        raise FormatError(f"checkpoint has {len(lines)} lines, needs at least 3 (origin, size, root)")
    origin, size_text, root_text, *extensions = lines
    if not origin:
        raise FormatError("checkpoint origin is empty")
    if not _SIZE.match(size_text) or len(size_text) > 20:
        raise FormatError("checkpoint tree size must be a decimal number without leading zeros")
    size = int(size_text)
    if size >= 1 << 63:
        raise FormatError("checkpoint tree size is too large")
    try:
        root = base64.b64decode(root_text, validate=True)
    except binascii.Error as exc:
        raise FormatError("checkpoint root hash is not base64") from exc
    if len(root) != HASH_SIZE:
        raise FormatError(f"checkpoint root hash has {len(root)} bytes, expected {HASH_SIZE}")
    if any(not line for line in extensions):
        raise FormatError("checkpoint extension lines must be non-empty")
    return Checkpoint(origin, size, root, tuple(extensions))


def open_checkpoint(
    message: str | bytes, verifiers: list[Verifier], *, origin: str | None = None
) -> tuple[Checkpoint, Note]:
    """Verify a signed checkpoint (at least one trusted signature) and parse it; check the origin if given."""
    note, _ = open_note(message, verifiers)
    checkpoint = parse_checkpoint_text(note.text)
    if origin is not None and checkpoint.origin != origin:
        raise FormatError(f"checkpoint origin is {checkpoint.origin!r}, expected {origin!r}")
    return checkpoint, note
