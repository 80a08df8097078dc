"""C2SP signed-note: notes, Ed25519 note signatures, key IDs, and Go's vkey / skey text encodings.

note      = text ending in "\\n", a blank line, then signature lines
signature = "— " name " " base64(key ID (4 bytes, big-endian) || signature)
key ID    = SHA-256(name || "\\n" || type byte || public key)[:4]
vkey      = name "+" hex(key ID) "+" base64(type byte || public key)
skey      = "PRIVATE+KEY+" name "+" hex(key ID) "+" base64(type byte || private seed)
"""

from __future__ import annotations

import base64
import binascii
import hashlib
from dataclasses import dataclass
from typing import Protocol, Self

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from jaga.ledger.errors import FormatError, SignatureInvalid

ED25519 = 0x01  # signed-note signature type: Ed25519 over the note text
COSIGNATURE_V1 = 0x04  # tlog-cosignature: timestamped Ed25519
EM_DASH = "\u2014"
MAX_SIGNATURES = 100


def key_id(name: str, signature_type: int, public_key: bytes) -> int:
    digest = hashlib.sha256(name.encode() + b"\n" + bytes([signature_type]) + public_key).digest()
    return int.from_bytes(digest[:4], "big")


def check_key_name(name: str) -> None:
    if not name or any(ch.isspace() for ch in name) or "+" in name:
        raise FormatError(f"key name {name!r} must be non-empty, without spaces or '+'")


@dataclass(frozen=True)
class Signature:
    name: str
    key_id: int
    signature: bytes  # without the key ID

    def line(self) -> str:
        blob = self.key_id.to_bytes(4, "big") + self.signature
        return f"{EM_DASH} {self.name} {base64.b64encode(blob).decode()}\n"


@dataclass(frozen=True)
class Note:
    text: str  # ends with "\n"
    signatures: tuple[Signature, ...]

    def format(self) -> str:
        return self.text + "\n" + "".join(s.line() for s in self.signatures)

    def with_signature(self, signature: Signature) -> Note:
        kept = tuple(s for s in self.signatures if (s.name, s.key_id) != (signature.name, signature.key_id))
        return Note(self.text, (*kept, signature))


def parse_note(message: str | bytes) -> Note:
    """Split a signed note into text and signature lines, checking the format (not the signatures)."""
    if isinstance(message, bytes):
        try:
            message = message.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise FormatError("note is not valid UTF-8") from exc
    if any(ord(ch) < 0x20 and ch != "\n" for ch in message):
        raise FormatError("note contains control characters other than newline")
    split = message.rfind("\n\n")
    if split < 0:
        raise FormatError("note has no blank line between text and signatures")
    text, lines = message[: split + 1], message[split + 2 :]
    if not lines.endswith("\n"):
        raise FormatError("note signatures must end with a newline")
    signatures = []
    for line in lines[:-1].split("\n"):
        if not line.startswith(EM_DASH + " "):
            raise FormatError("signature line does not start with an em dash and a space")
        name, sep, encoded = line[2:].rpartition(" ")
        if not sep:
            raise FormatError("signature line has no name")
        check_key_name(name)
        try:
            blob = base64.b64decode(encoded, validate=True)
        except binascii.Error as exc:
            raise FormatError("signature is not base64") from exc
        if len(blob) < 5:
            raise FormatError("signature is shorter than a key ID and one byte")
        signatures.append(Signature(name, int.from_bytes(blob[:4], "big"), blob[4:]))
    if not signatures:
        raise FormatError("note has no signatures")
    if len(signatures) > MAX_SIGNATURES:
        raise FormatError(f"note has {len(signatures)} signatures, more than {MAX_SIGNATURES}")
    return Note(text, tuple(signatures))


class Verifier(Protocol):
    name: str
    key_id: int

    def verify(self, text: str, signature: bytes) -> bool: ...


class Signer(Protocol):
    name: str
    key_id: int

    def sign(self, text: str) -> bytes: ...


class PublicKey:
    """An Ed25519 public key with its note name and key type (the type enters the key ID)."""

    key_type = ED25519

    def __init__(self, name: str, public_key: bytes) -> None:
        check_key_name(name)
        if len(public_key) != 32:
            raise FormatError(f"Ed25519 public key has {len(public_key)} bytes, expected 32")
        self.name = name
        self.public_key = public_key
        self.key_id = key_id(name, self.key_type, public_key)
        self._key = Ed25519PublicKey.from_public_bytes(public_key)

    def vkey(self) -> str:
        encoded = base64.b64encode(bytes([self.key_type]) + self.public_key).decode()
        return f"{self.name}+{self.key_id:08x}+{encoded}"


class PrivateKey:
    """An Ed25519 private key (its 32-byte seed) with its note name and key type."""

    key_type = ED25519

    def __init__(self, name: str, seed: bytes) -> None:
        check_key_name(name)
        if len(seed) != 32:
            raise FormatError(f"Ed25519 seed has {len(seed)} bytes, expected 32")
        self.name = name
        self._seed = seed
        self._key = Ed25519PrivateKey.from_private_bytes(seed)
        self.public_key = self._key.public_key().public_bytes(
            serialization.Encoding.Raw, serialization.PublicFormat.Raw
        )
        self.key_id = key_id(name, self.key_type, self.public_key)

    @classmethod
    def generate(cls, name: str) -> Self:
        key = Ed25519PrivateKey.generate()
        seed = key.private_bytes(
            serialization.Encoding.Raw, serialization.PrivateFormat.Raw, serialization.NoEncryption()
        )
        return cls(name, seed)

    def skey(self) -> str:
        encoded = base64.b64encode(bytes([self.key_type]) + self._seed).decode()
        return f"PRIVATE+KEY+{self.name}+{self.key_id:08x}+{encoded}"

    def __repr__(self) -> str:  # never print key material
        return f"{type(self).__name__}(name={self.name!r}, key_id={self.key_id:08x})"


class Ed25519Verifier(PublicKey):
    def verify(self, text: str, signature: bytes) -> bool:
        try:
            self._key.verify(signature, text.encode("utf-8"))
            return True
        except InvalidSignature:
            return False


class Ed25519Signer(PrivateKey):
    def sign(self, text: str) -> bytes:
        return self._key.sign(text.encode("utf-8"))

    def verifier(self) -> Ed25519Verifier:
        return Ed25519Verifier(self.name, self.public_key)


def sign_note(text: str, *signers: Signer) -> Note:
    if not text.endswith("\n"):
        raise FormatError("note text must end with a newline")
    return Note(text, tuple(Signature(s.name, s.key_id, s.sign(text)) for s in signers))


def open_note(message: str | bytes, verifiers: list[Verifier]) -> tuple[Note, list[Verifier]]:
    """Parse a note and verify it against trusted keys (C2SP signed-note semantics).

    Unknown signatures are ignored; a known key's failing signature rejects the note; at least one known
    signature must verify. Returns the note and the verifiers whose signatures verified.
    """
    note = parse_note(message)
    known = {(v.name, v.key_id): v for v in verifiers}
    good: list[Verifier] = []
    for signature in note.signatures:
        verifier = known.get((signature.name, signature.key_id))
        if verifier is None:
            continue
        if not verifier.verify(note.text, signature.signature):
            raise SignatureInvalid(
                f"the signature by {signature.name} ({signature.key_id:08x}) does not verify"
            )
        good.append(verifier)
    if not good:
        raise SignatureInvalid("no signature by a trusted key")
    return note, good
