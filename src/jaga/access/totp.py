"""The workbench's second factor: TOTP (RFC 6238, pyotp), its secrets encrypted at rest.

The secret must be readable to check a code, so it cannot be hashed; it is encrypted with Fernet
(`cryptography`) under a key kept in the key folder, apart from the database: a copy of the database
alone does not give anyone an officer's second factor. A code is accepted once (its time step is kept),
within one step of clock drift either way.
"""

from __future__ import annotations

import time
from pathlib import Path

import pyotp
from cryptography.fernet import Fernet, InvalidToken

from jaga.errors import Unavailable
from jaga.files import atomic_write_bytes, private_folder

KEY_FILE = "totp.key"
ISSUER = "jaga"
STEP = 30


class TotpBox:
    """Encrypts and decrypts TOTP secrets with the key in `key_dir` (made on first use, 0600)."""

    def __init__(self, key_dir: Path) -> None:
        path = key_dir / KEY_FILE
        if not path.exists():
            private_folder(key_dir)
            atomic_write_bytes(path, Fernet.generate_key())
        self._fernet = Fernet(path.read_bytes().strip())

    def seal(self, secret: str) -> str:
        return self._fernet.encrypt(secret.encode()).decode()

    def open(self, sealed: str) -> str:
        try:
            return self._fernet.decrypt(sealed.encode()).decode()
        except InvalidToken as exc:
            raise Unavailable(
                f"a second-factor secret cannot be decrypted: {KEY_FILE} in the key folder is not the key "
                "it was enrolled with"
            ) from exc


def new_secret() -> str:
    return pyotp.random_base32()


def provisioning_uri(secret: str, username: str) -> str:
    """The otpauth:// address an authenticator app takes (as a QR code or typed in)."""
    return pyotp.TOTP(secret).provisioning_uri(name=username, issuer_name=ISSUER)


def matching_step(secret: str, code: str, *, last_step: int | None, now: float | None = None) -> int | None:
    """The time step `code` belongs to (now, or one step either side), if valid and newer than `last_step`."""
    digits = code.strip().replace(" ", "")
    if not (len(digits) == 6 and digits.isdigit()):
        return None
    moment = time.time() if now is None else now
    totp = pyotp.TOTP(secret, interval=STEP)
    current = int(moment // STEP)
    for step in (current - 1, current, current + 1):
        if last_step is not None and step <= last_step:
            continue
        if pyotp.utils.strings_equal(totp.at(step * STEP), digits):
            return step
    return None
