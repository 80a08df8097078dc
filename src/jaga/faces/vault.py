"""Photos at rest: AES-256-GCM files under the data directory, never rows in the database.

The key is 32 random bytes in `key_dir/photos.key`, made 0600 on first use (as the other keys are), in a
0700 folder; photos go to `data_dir/photos/` (0700), one file a photo, named by the photo's ref. Each
file is a 12-byte nonce and the ciphertext; the photo's ref is the associated data, so a file copied
under another photo's name does not decrypt. Whoever holds the database alone has no image, and whoever
holds the photo folder alone has only ciphertext.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from jaga.errors import NotFound, Unavailable
from jaga.files import atomic_write_bytes, private_folder

KEY_FILE = "photos.key"
FOLDER = "photos"
NONCE_BYTES = 12
_SAFE_REF = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")


def load_photo_key(key_dir: Path) -> bytes:
    """The photo key in `key_dir`, made (0600) on first use."""
    path = key_dir / KEY_FILE
    if not path.exists():
        private_folder(key_dir)
        atomic_write_bytes(path, AESGCM.generate_key(bit_length=256))
    key = path.read_bytes()
    if len(key) != 32:
        raise Unavailable(f"{path} is damaged: it must hold exactly 32 random bytes")
    return key


class PhotoVault:
    """Encrypted photo files in `folder` under one key."""

    def __init__(self, folder: Path, key: bytes | None = None, *, key_dir: Path | None = None) -> None:
        self.folder = folder
        self._key_dir = key_dir
        self._cipher = AESGCM(key) if key is not None else None

    @classmethod
    def open(cls, data_dir: Path, key_dir: Path) -> PhotoVault:
        """The vault of a data directory; its key is read (or made) only when a photo is stored or read,
        so that a request refused earlier leaves no key behind."""
        return cls(data_dir / FOLDER, key_dir=key_dir)

    @property
    def _aead(self) -> AESGCM:
        if self._cipher is None:
            assert self._key_dir is not None
            self._cipher = AESGCM(load_photo_key(self._key_dir))
        return self._cipher

    def _path(self, ref: str) -> Path:
        if not _SAFE_REF.match(ref):  # refs are jaga's own; refuse anything that could leave the folder
            raise ValueError("not a photo ref")
        return self.folder / f"{ref}.photo"

    def put(self, ref: str, image: bytes) -> None:
        nonce = os.urandom(NONCE_BYTES)
        private_folder(self.folder)
        atomic_write_bytes(self._path(ref), nonce + self._aead.encrypt(nonce, image, ref.encode()))

    def get(self, ref: str) -> bytes:
        path = self._path(ref)
        if not path.exists():
            raise NotFound(f"the image of photo {ref} is not in the photo store")
        sealed = path.read_bytes()
        try:
            return self._aead.decrypt(sealed[:NONCE_BYTES], sealed[NONCE_BYTES:], ref.encode())
        except InvalidTag as exc:
            raise Unavailable(
                f"the image of photo {ref} does not decrypt with this key (wrong key or damaged file)"
            ) from exc

    def discard(self, ref: str) -> None:
        """Remove a file written for a photo whose record was then not saved."""
        self._path(ref).unlink(missing_ok=True)
