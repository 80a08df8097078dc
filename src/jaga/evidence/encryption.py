"""Optional encryption of a pack to its recipients' keys, with age (https://age-encryption.org/v1)
through pyrage, the maintained Python binding of the Rust implementation: never a hand-written cipher.

pyrage is imported when a pack is encrypted or decrypted, not before: packing and verifying plain packs
need nothing more than the rest of jaga.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from jaga.errors import InvalidInput, Unavailable

AGE_HEADER = b"age-encryption.org/v1\n"


def _pyrage() -> Any:
    try:
        import pyrage
    except ImportError as exc:  # an optional dependency: say how to get it
        raise Unavailable("encrypting evidence packs needs pyrage (pip install pyrage)") from exc
    return pyrage


def is_encrypted(data: bytes) -> bool:
    return data.startswith(AGE_HEADER)


def check_recipients(recipients: Sequence[str]) -> None:
    """Raise InvalidInput unless each is an age X25519 public key: called before packing, so that a
    mistyped key refuses the request before anything is read, audited or logged (all or nothing)."""
    _recipients(recipients)


def encrypt_to(data: bytes, recipients: Sequence[str]) -> bytes:
    """`data` encrypted to every age X25519 recipient (`age1...`); any one of them can decrypt it."""
    return bytes(_pyrage().encrypt(data, _recipients(recipients)))


def _recipients(recipients: Sequence[str]) -> list[Any]:
    pyrage = _pyrage()
    keys = []
    for number, text in enumerate(recipients, start=1):
        try:
            keys.append(pyrage.x25519.Recipient.from_str(text.strip()))
        except pyrage.RecipientError as exc:
            raise InvalidInput(f"recipient {number} is not an age X25519 public key (age1...)") from exc
    return keys


def decrypt_with(data: bytes, identity_file: Path) -> bytes:
    """`data` decrypted with the age identities (`AGE-SECRET-KEY-1...` lines) in `identity_file`."""
    pyrage = _pyrage()
    try:
        lines = identity_file.read_text(encoding="ascii").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise InvalidInput(f"cannot read the identity file {identity_file}") from exc
    identities = []
    for line in lines:
        if line.strip().startswith("AGE-SECRET-KEY-"):
            try:
                identities.append(pyrage.x25519.Identity.from_str(line.strip()))
            except pyrage.IdentityError as exc:
                raise InvalidInput(f"{identity_file} holds a malformed age identity") from exc
    if not identities:
        raise InvalidInput(f"{identity_file} holds no age identity (AGE-SECRET-KEY-1...)")
    try:
        return bytes(pyrage.decrypt(data, identities))
    except pyrage.DecryptError as exc:
        raise InvalidInput("the pack is not encrypted to the given identity (or it was altered)") from exc
