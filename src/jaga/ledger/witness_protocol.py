"""C2SP tlog-witness wire formats: the `add-checkpoint` request body, the 409 size body, the 200 body.

request  = "old " <decimal size> "\\n"  (<base64 hash> "\\n"){0,63}  "\\n"  <signed checkpoint note>
409 body = <decimal size of the witness's latest cosigned checkpoint> "\\n"   (text/x.tlog.size)
200 body = one or more note signature lines ("— " name " " base64(key ID || signature) "\\n")
"""

from __future__ import annotations

import base64
import binascii
import re
from dataclasses import dataclass

from jaga.ledger.errors import FormatError
from jaga.ledger.hashing import HASH_SIZE
from jaga.ledger.note import Note, Signature, parse_note

ADD_CHECKPOINT_PATH = "/add-checkpoint"
SIZE_CONTENT_TYPE = "text/x.tlog.size"
MAX_PROOF_LINES = 63
# A checkpoint is a few hundred bytes; 63 proof lines are ~3 KB. Anything much larger is not a request.
MAX_REQUEST_BYTES = 64 * 1024
_OLD = re.compile(r"^old (0|[1-9][0-9]{0,19})$")
_SIZE = re.compile(r"^(0|[1-9][0-9]{0,19})$")


@dataclass(frozen=True)
class AddCheckpoint:
    old_size: int
    proof: tuple[bytes, ...]
    checkpoint: str  # the signed note, as sent

    def body(self) -> bytes:
        lines = [f"old {self.old_size}", *(base64.b64encode(h).decode() for h in self.proof), ""]
        return ("\n".join(lines) + "\n").encode() + self.checkpoint.encode("utf-8")


def parse_add_checkpoint(body: bytes) -> AddCheckpoint:
    """Parse a request body; FormatError says what is malformed (the witness answers 400)."""
    if len(body) > MAX_REQUEST_BYTES:
        raise FormatError(f"request body has {len(body)} bytes, more than {MAX_REQUEST_BYTES}")
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise FormatError("request body is not UTF-8") from exc
    head, sep, checkpoint = text.partition("\n\n")
    if not sep:
        raise FormatError("request body has no empty line before the checkpoint")
    lines = head.split("\n")
    match = _OLD.match(lines[0])
    if not match:
        raise FormatError("the first line must be `old <size>` (decimal, no leading zeros)")
    old_size = int(match.group(1))
    if old_size >= 1 << 63:
        raise FormatError("old size is too large")
    if len(lines) - 1 > MAX_PROOF_LINES:
        raise FormatError(f"{len(lines) - 1} consistency proof lines, at most {MAX_PROOF_LINES} allowed")
    proof = []
    for number, line in enumerate(lines[1:], start=2):
        try:
            value = base64.b64decode(line, validate=True)
        except binascii.Error as exc:
            raise FormatError(f"line {number}: proof hash is not base64") from exc
        if len(value) != HASH_SIZE or not line:
            raise FormatError(f"line {number}: proof hash has {len(value)} bytes, expected {HASH_SIZE}")
        proof.append(value)
    return AddCheckpoint(old_size, tuple(proof), checkpoint)


def size_body(size: int) -> str:
    return f"{size}\n"


def parse_size_body(text: str) -> int:
    """The witness's recorded size from a 409 body (`text/x.tlog.size`)."""
    if not text.endswith("\n") or not _SIZE.match(text[:-1]):
        raise FormatError(f"a tree size body must be a decimal number and a newline, got {text[:40]!r}")
    return int(text[:-1])


def signature_lines(*signatures: Signature) -> str:
    return "".join(s.line() for s in signatures)


def parse_signature_lines(checkpoint_text: str, body: str) -> Note:
    """The 200 body's signature lines, parsed against the checkpoint text they sign (as the spec suggests:
    concatenate them to the checkpoint and parse the note)."""
    if not body.endswith("\n") or not body.startswith("\u2014 "):
        raise FormatError("the response must be note signature lines, each ending with a newline")
    return parse_note(checkpoint_text + "\n" + body)
