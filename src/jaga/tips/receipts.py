"""Receipt codes: what a tipster writes down to come back, and the only key to their tip.

`KH7M-Q2WX-9DPA-TN4C-RE6B`: 20 characters from an alphabet without 0/O/1/I (so a code read aloud or
copied by hand survives), in five groups of four. The first group is the lookup key, stored in clear so
that a receipt finds its row without trying every hash; the whole code is stored only as an argon2id hash
(as `jaga.access` stores API tokens). The 16 characters after the key carry 80 random bits.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # 32 symbols: 5 bits each; no 0, O, 1 or I
GROUPS, GROUP_LENGTH = 5, 4
LENGTH = GROUPS * GROUP_LENGTH
_SEPARATORS = str.maketrans("", "", " -_.\t\r\n")


@dataclass(frozen=True)
class NewReceipt:
    code: str  # shown once, never stored
    key: str  # the first group, stored in clear
    hashed: str  # argon2id (PHC string)


def new_receipt(hasher: PasswordHasher) -> NewReceipt:
    raw = "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))
    code = grouped(raw)
    return NewReceipt(code=code, key=raw[:GROUP_LENGTH], hashed=hasher.hash(code))


def grouped(raw: str) -> str:
    return "-".join(raw[i : i + GROUP_LENGTH] for i in range(0, len(raw), GROUP_LENGTH))


def parse_receipt(text: str | None) -> str | None:
    """The receipt in its grouped form, or None when `text` cannot be one (any case, any separators)."""
    if not text or len(text) > 64:
        return None
    raw = text.translate(_SEPARATORS).upper()
    if len(raw) != LENGTH or any(ch not in ALPHABET for ch in raw):
        return None
    return grouped(raw)


def receipt_key(code: str) -> str:
    return code[:GROUP_LENGTH]


@cache
def _decoy(hasher: PasswordHasher) -> str:
    """A hash no receipt matches, verified when no row has the key: the answer takes as long."""
    return hasher.hash(secrets.token_urlsafe(24))


def verify(hasher: PasswordHasher, hashes: list[str], code: str) -> int | None:
    """The index of the hash `code` matches, or None; always at least one argon2 verification."""
    found = None
    for index, hashed in enumerate(hashes or [_decoy(hasher)]):
        try:
            hasher.verify(hashed, code)
        except (VerificationError, InvalidHashError):
            continue
        if hashes:
            found = index
    return found
