"""How a jaga registry event becomes a log entry: salted commitments only, never personal data.

    commitment = SHA-256("jaga/commitment/v1\\n" || salt || canonical payload)
    meta       = SHA-256("jaga/meta/v1\\n" || salt || canonical header)
    entry      = "jaga/event/v1\\n" seq "\\n" kind "\\n" hex(commitment) "\\n" hex(meta) "\\n"

The payload is the record's canonical state; the header is the rest of the event (its id, the table
and row, the time, the account). Whoever holds the salt and the record can recompute the commitment and
find it in the log; without the salt nobody can test a guess of the record against the public log.
Entry `seq` sits at leaf index `seq - 1`.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass

from jaga.ledger.errors import FormatError

ENTRY_PREFIX = "jaga/event/v1\n"
_ENTRY = re.compile(r"^jaga/event/v1\n([1-9][0-9]*)\n([a-z_]+\.[a-z_]+)\n([0-9a-f]{64})\n([0-9a-f]{64})\n$")


COMMITMENT_PREFIX = b"jaga/commitment/v1\n"


def commitment(salt: bytes, canonical_payload: bytes) -> bytes:
    return hashlib.sha256(COMMITMENT_PREFIX + salt + canonical_payload).digest()


def meta_hash(salt: bytes, canonical_header: bytes) -> bytes:
    return hashlib.sha256(b"jaga/meta/v1\n" + salt + canonical_header).digest()


@dataclass(frozen=True)
class EventEntry:
    seq: int
    kind: str
    commitment: bytes
    meta: bytes

    @property
    def index(self) -> int:
        return self.seq - 1

    def encode(self) -> bytes:
        return f"{ENTRY_PREFIX}{self.seq}\n{self.kind}\n{self.commitment.hex()}\n{self.meta.hex()}\n".encode(
            "ascii"
        )


def decode_entry(data: bytes) -> EventEntry:
    match = _ENTRY.match(data.decode("ascii", errors="replace"))
    if not match:
        raise FormatError("not a jaga/event/v1 log entry")
    seq, kind, commit_hex, meta_hex = match.groups()
    return EventEntry(int(seq), kind, bytes.fromhex(commit_hex), bytes.fromhex(meta_hex))
