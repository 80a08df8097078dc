"""Key texts in Go's note format: `name+keyid+base64(type||key)` (vkey) and
`PRIVATE+KEY+name+keyid+base64(type||seed)` (skey), for log keys (type 0x01) and witness keys (0x04)."""

from __future__ import annotations

import base64
import binascii

from jaga.ledger.cosignature import CosignatureVerifier, Cosigner
from jaga.ledger.errors import FormatError
from jaga.ledger.note import COSIGNATURE_V1, ED25519, Ed25519Signer, Ed25519Verifier, Verifier, check_key_name


def _split_key(text: str, parts: int, what: str) -> list[str]:
    pieces = text.strip().split("+", parts - 1)  # the base64 part may itself contain "+"
    if len(pieces) != parts:
        raise FormatError(f"{what} must have {parts} '+'-separated parts")
    return pieces


def _decode_key(encoded: str, hex_id: str, what: str) -> tuple[int, bytes]:
    try:
        blob = base64.b64decode(encoded, validate=True)
    except binascii.Error as exc:
        raise FormatError(f"{what} key material is not base64") from exc
    if not blob or len(hex_id) != 8 or any(c not in "0123456789abcdef" for c in hex_id):
        raise FormatError(f"{what} has a malformed key ID or empty key")
    return blob[0], blob[1:]


def parse_vkey(vkey: str) -> Verifier:
    """A verifier from a vkey (Ed25519 note key or v1 cosignature key); the key ID must match."""
    name, hex_id, encoded = _split_key(vkey, 3, "verifier key")
    check_key_name(name)
    kind, material = _decode_key(encoded, hex_id, "verifier key")
    verifier: Verifier
    if kind == ED25519:
        verifier = Ed25519Verifier(name, material)
    elif kind == COSIGNATURE_V1:
        verifier = CosignatureVerifier(name, material)
    else:
        raise FormatError(f"verifier key type {kind:#04x} is not supported (Ed25519 0x01, cosignature 0x04)")
    if f"{verifier.key_id:08x}" != hex_id:
        raise FormatError(f"verifier key ID {hex_id} does not match its key (expected {verifier.key_id:08x})")
    return verifier


def parse_skey(skey: str) -> Ed25519Signer | Cosigner:
    """A signer from an skey (Ed25519 note key or v1 cosignature key); the key ID must match."""
    private, key, name, hex_id, encoded = _split_key(skey, 5, "signer key")
    if (private, key) != ("PRIVATE", "KEY"):
        raise FormatError("signer key must start with PRIVATE+KEY+")
    kind, seed = _decode_key(encoded, hex_id, "signer key")
    signer: Ed25519Signer | Cosigner
    if kind == ED25519:
        signer = Ed25519Signer(name, seed)
    elif kind == COSIGNATURE_V1:
        signer = Cosigner(name, seed)
    else:
        raise FormatError(f"signer key type {kind:#04x} is not supported")
    if f"{signer.key_id:08x}" != hex_id:
        raise FormatError(f"signer key ID {hex_id} does not match its key (expected {signer.key_id:08x})")
    return signer
