"""C2SP tlog-cosignature v1 (Ed25519, type 0x04): a witness's timestamped statement that a checkpoint is
the largest consistent tree head it has seen for the log.

    message   = "cosignature/v1\\n" "time " <decimal POSIX seconds> "\\n" <checkpoint note text>
    signature = u64 big-endian timestamp || Ed25519 signature over message
"""

from __future__ import annotations

import base64

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from jaga.ledger.errors import FormatError
from jaga.ledger.note import COSIGNATURE_V1, Signature, check_key_name, key_id

MAX_TIMESTAMP = (1 << 63) - 1


def cosigned_message(checkpoint_text: str, timestamp: int) -> bytes:
    return f"cosignature/v1\ntime {timestamp}\n".encode() + checkpoint_text.encode("utf-8")


class CosignatureVerifier:
    """Verifies a witness's v1 cosignature; usable wherever a note verifier is (open_note)."""

    def __init__(self, name: str, public_key: bytes) -> None:
        check_key_name(name)
        if len(public_key) != 32:
            raise FormatError(f"Ed25519 public key has {len(public_key)} bytes, expected 32")
        self.name = name
        self.public_key = public_key
        self.key_id = key_id(name, COSIGNATURE_V1, public_key)
        self._key = Ed25519PublicKey.from_public_bytes(public_key)

    def timestamp(self, signature: bytes) -> int:
        if len(signature) != 8 + 64:
            raise FormatError(f"cosignature has {len(signature)} bytes, expected 72")
        return int.from_bytes(signature[:8], "big")

    def verify(self, text: str, signature: bytes) -> bool:
        if len(signature) != 72:
            return False
        timestamp = int.from_bytes(signature[:8], "big")
        if timestamp > MAX_TIMESTAMP:
            return False
        try:
            self._key.verify(signature[8:], cosigned_message(text, timestamp))
            return True
        except InvalidSignature:
            return False

    def vkey(self) -> str:
        encoded = base64.b64encode(bytes([COSIGNATURE_V1]) + self.public_key).decode()
        return f"{self.name}+{self.key_id:08x}+{encoded}"


class Cosigner:
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
        self.key_id = key_id(name, COSIGNATURE_V1, self.public_key)

    @classmethod
    def generate(cls, name: str) -> Cosigner:
        key = Ed25519PrivateKey.generate()
        return cls(
            name,
            key.private_bytes(
                serialization.Encoding.Raw, serialization.PrivateFormat.Raw, serialization.NoEncryption()
            ),
        )

    def cosign(self, checkpoint_text: str, timestamp: int) -> Signature:
        if not 0 <= timestamp <= MAX_TIMESTAMP:
            raise FormatError(f"timestamp {timestamp} is out of range")
        raw = self._key.sign(cosigned_message(checkpoint_text, timestamp))
        return Signature(self.name, self.key_id, timestamp.to_bytes(8, "big") + raw)

    def verifier(self) -> CosignatureVerifier:
        return CosignatureVerifier(self.name, self.public_key)

    def skey(self) -> str:
        encoded = base64.b64encode(bytes([COSIGNATURE_V1]) + self._seed).decode()
        return f"PRIVATE+KEY+{self.name}+{self.key_id:08x}+{encoded}"

    def __repr__(self) -> str:
        return f"Cosigner(name={self.name!r}, key_id={self.key_id:08x})"
