"""Photos at rest: AES-256-GCM files under the data directory, never rows in the database.

The key is 32 random bytes in `key_dir/photos.key`, made 0600 on first use (as the other keys are), in a
0700 folder; photos go to `data_dir/photos/` (0700), one file a photo, named by the photo's ref. Each
file is a 12-byte nonce and the ciphertext; the photo's ref is the associated data, so a file copied
under another photo's name does not decrypt. Whoever holds the database alone has no image, and whoever
holds the photo folder alone has only ciphertext.

Crash consistency: the file is written (and made durable) before the row that names it commits, so a
committed row always has its file; a crash between the two leaves a file no row names. Writers hold a
shared lock on `photos/.writers.lock` from the file's first byte to the commit; `sweep` takes the lock
exclusively, so it runs only when no write is in flight (a killed writer's lock goes with its process),
and then removes every file whose photo no committed row names. It never removes a file a committed row
needs, and it runs on each process's first photo write and in `jaga photos check`.
"""

from __future__ import annotations

import fcntl
import os
import re
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from jaga.errors import NotFound, Unavailable
from jaga.files import atomic_write_bytes, private_folder

KEY_FILE = "photos.key"
FOLDER = "photos"
NONCE_BYTES = 12
LOCK_FILE = ".writers.lock"
SUFFIX = ".photo"
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
        """Store the image; call it inside `writing()`, before the row that names `ref` commits."""
        nonce = os.urandom(NONCE_BYTES)
        private_folder(self.folder)
        atomic_write_bytes(self._path(ref), nonce + self._aead.encrypt(nonce, image, ref.encode()))
        _sync_folder(self.folder)  # the rename is durable before the row that needs it commits

    @contextmanager
    def writing(self) -> Iterator[None]:
        """Held from writing a photo's file until its row is committed (or the file discarded): while
        any writer holds it, `sweep` waits, so it never takes an uncommitted photo's file for an orphan."""
        with self._lock(fcntl.LOCK_SH) as held:
            assert held
            yield

    def sweep(
        self, committed: Callable[[list[str]], Iterable[str]], *, wait: bool = True
    ) -> list[str] | None:
        """Remove the files (and half-written temporaries) of photos that no committed row names;
        `committed(refs)` answers which of `refs` have a committed row. The removed refs, or None when
        `wait` is false and a write is in flight (nothing is touched then)."""
        if not self.folder.exists():
            return []
        with self._lock(fcntl.LOCK_EX if wait else fcntl.LOCK_EX | fcntl.LOCK_NB) as held:
            if not held:
                return None
            stored = {p.name[: -len(SUFFIX)]: p for p in self.folder.glob(f"*{SUFFIX}")}
            known: set[str] = set()
            refs = sorted(stored)
            for start in range(0, len(refs), 500):
                known.update(committed(refs[start : start + 500]))
            removed = sorted(ref for ref in stored if ref not in known)
            for ref in removed:
                stored[ref].unlink(missing_ok=True)
            for partial in self.folder.glob(f".*{SUFFIX}.*.part"):  # a writer killed mid-write
                partial.unlink(missing_ok=True)
            if removed:
                _sync_folder(self.folder)
            return removed

    @contextmanager
    def _lock(self, operation: int) -> Iterator[bool]:
        private_folder(self.folder)
        descriptor = os.open(self.folder / LOCK_FILE, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            try:
                fcntl.flock(descriptor, operation)
            except BlockingIOError:
                yield False
                return
            yield True
        finally:
            os.close(descriptor)  # closing releases the lock; so does the process's death

    def get(self, ref: str) -> bytes:
        path = self._path(ref)
        if not path.exists():
            raise NotFound(
                f"the image of photo {ref} is not in the photo store",
                message_id=f"gambar foto {ref} tidak ada di penyimpanan foto",
            )
        sealed = path.read_bytes()
        try:
            return self._aead.decrypt(sealed[:NONCE_BYTES], sealed[NONCE_BYTES:], ref.encode())
        except InvalidTag as exc:
            raise Unavailable(
                f"the image of photo {ref} does not decrypt with this key (wrong key or damaged file)",
                message_id=f"gambar foto {ref} tidak dapat didekripsi dengan kunci ini "
                "(kunci salah atau berkas rusak)",
            ) from exc

    def has(self, ref: str) -> bool:
        return self._path(ref).exists()

    def discard(self, ref: str) -> None:
        """Remove a file written for a photo whose record was then not saved."""
        self._path(ref).unlink(missing_ok=True)


def _sync_folder(folder: Path) -> None:
    descriptor = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)
