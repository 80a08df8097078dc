"""API tokens: `jaga_<id>_<secret>`, stored as argon2id hashes, looked up by their public id."""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
import time
from dataclasses import dataclass, field

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

TOKEN_PATTERN = re.compile(r"^jaga_([A-Za-z0-9]{12})_([A-Za-z0-9_-]{43})$")
_ALPHANUMERIC = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"


@dataclass(frozen=True)
class NewToken:
    token_id: str
    plaintext: str  # shown once, never stored
    token_hash: str


def parse_token(token: str) -> str | None:
    """The token's public id, or None when it is not shaped like a jaga token."""
    match = TOKEN_PATTERN.match(token.strip())
    return match.group(1) if match else None


@dataclass
class TokenHasher:
    """argon2id hashing with a short in-process memory of tokens already verified.

    Tokens carry 256 bits of randomness, so argon2 guards the stored hashes at rest; re-running it (tens
    of milliseconds) on every request would only add latency. A verified token is remembered for
    `cache_seconds` (revocation is still checked in the database on every request).
    """

    cache_seconds: int = 60
    hasher: PasswordHasher = field(default_factory=PasswordHasher)
    _verified: dict[bytes, tuple[str, float]] = field(default_factory=dict)

    def new_token(self) -> NewToken:
        token_id = "".join(secrets.choice(_ALPHANUMERIC) for _ in range(12))
        plaintext = f"jaga_{token_id}_{secrets.token_urlsafe(32)}"
        return NewToken(token_id=token_id, plaintext=plaintext, token_hash=self.hasher.hash(plaintext))

    def verify(self, token_hash: str, plaintext: str) -> bool:
        digest = hashlib.sha256(plaintext.encode()).digest()
        cached = self._verified.get(digest)
        now = time.monotonic()
        if cached is not None and cached[1] > now and hmac.compare_digest(cached[0], token_hash):
            return True
        try:
            self.hasher.verify(token_hash, plaintext)
        except (VerificationError, InvalidHashError):
            return False
        if self.cache_seconds:
            if len(self._verified) > 10_000:
                self._verified.clear()
            self._verified[digest] = (token_hash, now + self.cache_seconds)
        return True
