"""C2SP tlog-cosignature v1 (Ed25519, type 0x04): a witness's timestamped statement that a checkpoint is
the largest consistent tree head it has seen for the log.

    message   = "cosignature/v1\\n" "time " <decimal POSIX seconds> "\\n" <checkpoint note text>
    signature = u64 big-endian timestamp || Ed25519 signature over message
"""

from __future__ import annotations

from cryptography.exceptions import InvalidSignature

from jaga.ledger.errors import FormatError
from jaga.ledger.note import COSIGNATURE_V1, PrivateKey, PublicKey, Signature

MAX_TIMESTAMP = (1 << 63) - 1


def cosigned_message(checkpoint_text: str, timestamp: int) -> bytes:
    return f"cosignature/v1\ntime {timestamp}\n".encode() + checkpoint_text.encode("utf-8")


class CosignatureVerifier(PublicKey):
    """Verifies a witness's v1 cosignature; usable wherever a note verifier is (open_note)."""

    key_type = COSIGNATURE_V1

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


class Cosigner(PrivateKey):
    key_type = COSIGNATURE_V1

    def cosign(self, checkpoint_text: str, timestamp: int) -> Signature:
        if not 0 <= timestamp <= MAX_TIMESTAMP:
            raise FormatError(f"timestamp {timestamp} is out of range")
        raw = self._key.sign(cosigned_message(checkpoint_text, timestamp))
        return Signature(self.name, self.key_id, timestamp.to_bytes(8, "big") + raw)

    def verifier(self) -> CosignatureVerifier:
        return CosignatureVerifier(self.name, self.public_key)
